// Providers: their configuration, keys (inbound only, shown masked), model catalogue and "Check".
import { z } from 'zod';
import { call, Empty, Ok } from './call.ts';
import { DashscopeRegion, HeaderNames, HeaderRecord, Id, KaiwaError, ModelscopeSite, ProviderKind, ShortText, Url } from './schemas.ts';

export const ModelInfo = z.object({
  id: z.string(),
  label: z.string().optional(),
  source: z.enum(['preset', 'fetched', 'manual']),
  /** Set when "Fetch models" found it and the user has not looked at it yet. */
  isNew: z.boolean().optional(),
  /** The provider's last /models list no longer had it (kept: conversations may still use it). */
  gone: z.boolean().optional(),
  reasoning: z.boolean().optional(),
  /** Thinking can be switched on/off per request (`enable_thinking`). */
  hybridThinking: z.boolean().optional(),
  /** From the model-family table: never, switchable, or always thinks (then always streamed). */
  thinking: z.enum(['none', 'hybrid', 'always']).optional(),
  /** Largest `thinking_budget` the family accepts; absent = no budget parameter. */
  thinkingBudgetMax: z.number().int().positive().optional(),
  /** What a hybrid model does when the toggle was never touched. */
  thinkingDefault: z.boolean().optional(),
  /** Model Studio web search (`enable_search`) is available for this model. */
  webSearch: z.boolean().optional(),
  toolUse: z.boolean().optional(),
  imageInput: z.boolean().optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutput: z.number().int().positive().optional(),
  /** USD per 1M tokens; null = known to be unpriced/free tier, undefined = unknown. */
  inputPrice: z.number().nonnegative().nullable().optional(),
  outputPrice: z.number().nonnegative().nullable().optional(),
  group: z.string().optional(),
  /** The user changed prices or flags of this model (stored as an override on top of the catalogue). */
  edited: z.boolean().optional(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const KeyView = z.object({
  id: z.string(),
  /** First 3 and last 4 characters; the renderer never receives more. */
  masked: z.string(),
  source: z.enum(['user', 'env']),
  envName: z.string().optional(),
  failure: z.object({ code: z.string(), at: z.number(), message: z.string().optional() }).optional(),
  /** The origin (scheme://host:port) the key was saved for: it is only ever sent there. */
  origin: z.string().optional(),
  /** Saved for another origin than the provider's base URL now: kept, but not sent; paste it again to use it here. */
  detached: z.literal(true).optional(),
});
export type KeyView = z.infer<typeof KeyView>;

export const ProviderView = z.object({
  id: z.string(),
  kind: ProviderKind,
  name: z.string(),
  enabled: z.boolean(),
  baseUrl: z.string(),
  defaultBaseUrl: z.string().nullable(),
  region: DashscopeRegion.optional(),
  /** DashScope: the base URL of every region, so the form can follow a region change as it happens. */
  regionBaseUrls: z.record(DashscopeRegion, z.string()).optional(),
  /** ModelScope: which site (and so which accounts, token page and API host). */
  site: ModelscopeSite.optional(),
  siteBaseUrls: z.record(ModelscopeSite, z.string()).optional(),
  project: z.string().optional(),
  /** Custom headers marked "not secret", with their values. */
  headers: z.record(z.string(), z.string()),
  /** Secret custom headers (the default): sealed in the vault, shown masked, bound to an origin like keys. */
  secretHeaders: z.array(
    z.object({ name: z.string(), masked: z.string(), detached: z.literal(true).optional(), failure: z.string().optional() }),
  ),
  timeoutSec: z.number(),
  maxRetries: z.number(),
  models: z.array(ModelInfo),
  keys: z.array(KeyView),
  requestUrlPreview: z.string(),
  tokenUrl: z.string().optional(),
  docsUrl: z.string().optional(),
});
export type ProviderView = z.infer<typeof ProviderView>;

/** A model id as providers spell them ("Qwen/Qwen3-8B", "qwen-plus", "org/model:tag"); no spaces or control characters. */
export const ModelId = z.string().min(1).max(200).regex(/^[^\s\p{Cc}]+$/u, 'invalid model id');

export const ModelRef = z.strictObject({ providerId: Id, modelId: ModelId });
export type ModelRef = z.infer<typeof ModelRef>;

/** The outcome of "Check": a minimal real request with one key and one model. */
export const CheckResult = z.object({
  ok: z.boolean(),
  modelId: z.string(),
  /** The key that was used (masked), when the provider has keys. */
  key: z.string().optional(),
  /** Time until the provider's first answer (headers + first event), or until the failure. */
  latencyMs: z.number(),
  error: KaiwaError.optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const providersCalls = {
  'providers.list': call(Empty, z.array(ProviderView)),
  /** Adds a custom OpenAI-compatible provider (local servers on http://localhost included). */
  'providers.add': call(
    z.strictObject({ name: ShortText.min(1), baseUrl: Url, headers: HeaderRecord.optional(), publicHeaders: HeaderNames.optional() }),
    ProviderView,
  ),
  /** Removes a custom provider and its keys. Presets cannot be removed, only disabled. */
  'providers.remove': call(z.strictObject({ id: Id }), Ok),
  'providers.update': call(
    z.strictObject({
      id: Id,
      name: ShortText.min(1).optional(),
      enabled: z.boolean().optional(),
      /** null resets to the preset's default. */
      baseUrl: Url.nullable().optional(),
      region: DashscopeRegion.optional(),
      site: ModelscopeSite.optional(),
      project: z.string().max(200).optional(),
      /**
       * The provider's custom headers become exactly these plus the kept ones. Every value is secret
       * (sealed, masked, bound to the base URL's origin) unless its name is in `publicHeaders`.
       */
      headers: HeaderRecord.optional(),
      publicHeaders: HeaderNames.optional(),
      /** Stored secret headers to keep unchanged (the renderer never has their values to send back). */
      keepSecretHeaders: HeaderNames.optional(),
      timeoutSec: z.number().int().min(1).max(3600).optional(),
      maxRetries: z.number().int().min(0).max(10).optional(),
    }),
    ProviderView,
  ),
  /**
   * Replaces (default) or extends the provider's keys: one per line. The only call that carries a
   * key, inbound only; the answer holds masked keys.
   */
  'providers.setKeys': call(z.strictObject({ id: Id, keys: z.string().max(20_000), mode: z.enum(['replace', 'append']).optional() }), ProviderView),
  'providers.removeKey': call(z.strictObject({ id: Id, keyId: Id }), ProviderView),
  /** GET /models, merged into the catalogue; models not seen before are marked new. */
  'providers.fetchModels': call(z.strictObject({ id: Id }), z.object({ provider: ProviderView, added: z.array(z.string()), gone: z.array(z.string()) })),
  'providers.addModel': call(z.strictObject({ id: Id, modelId: ModelId }), ProviderView),
  /** Only models added by hand or fetched; catalogue models stay. */
  'providers.removeModel': call(z.strictObject({ id: Id, modelId: ModelId }), ProviderView),
  /** Edits a model's prices (USD per 1M tokens; null = free/unpriced) or drops the edits (`reset`). */
  'providers.updateModel': call(
    z.strictObject({
      id: Id,
      modelId: ModelId,
      inputPrice: z.number().nonnegative().max(100_000).nullable().optional(),
      outputPrice: z.number().nonnegative().max(100_000).nullable().optional(),
      /** Capability flags: they decide the badges, the composer's switches and what is sent. */
      reasoning: z.boolean().optional(),
      hybridThinking: z.boolean().optional(),
      toolUse: z.boolean().optional(),
      imageInput: z.boolean().optional(),
      reset: z.boolean().optional(),
    }),
    ProviderView,
  ),
  'providers.markModelsSeen': call(z.strictObject({ id: Id }), ProviderView),
  /**
   * A minimal real request: a 1-token streaming chat call (ModelScope's /models answers without a
   * valid token, so only a chat call proves the key). Counts against quotas; recorded as a call.
   */
  'providers.check': call(z.strictObject({ id: Id, modelId: ModelId.optional(), keyId: Id.optional() }), CheckResult),
} as const;
