// The one list of everything that crosses the renderer ⇄ main boundary.
//
// `calls` are request/response pairs; `events` flow main → renderer only. Main validates every
// call's input against these schemas before any service sees it (electron/services/rpc.ts); the
// preload and the browser-mode bridge expose exactly these names and nothing else. Types are
// derived from the schemas, so a change here is checked by the compiler on both sides.
import { z } from 'zod';
import {
  DashscopeRegion,
  HeaderNames,
  ModelscopeSite,
  HeaderRecord,
  Id,
  KaiwaError,
  LongText,
  Notice,
  ProviderKind,
  ShortText,
  ExternalUrl,
  TimeZone,
  Url,
} from './schemas.ts';

import { UPLOAD_CHUNK_CHARS } from './files.ts';
import { CALL_NAMES, EVENT_NAMES, type CallNameList, type EventNameList } from './names.ts';

export * from './schemas.ts';
export { UPLOAD_CHUNK_CHARS } from './files.ts';
export { channelOf } from './names.ts';

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });

// ---------------------------------------------------------------------------------------------
// Domain shapes (outputs are not re-validated at runtime; they are produced by our own services)

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

export const VaultInfo = z.object({
  backend: z.string(),
  /** False when keys are stored without OS-level encryption. */
  encrypted: z.boolean(),
  /** True when the protection is weaker than an OS keychain (basic_text, browser-mode file). */
  weak: z.boolean(),
});

/**
 * How upstream calls reach the internet. `system`: the desktop app asks the OS (Electron's proxy
 * resolution), browser mode reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY; `none`: direct; `custom`: this
 * HTTP(S) proxy for every provider except the hosts in `noProxy` (comma-separated, NO_PROXY syntax).
 */
export const ProxySettings = z.object({
  mode: z.enum(['system', 'none', 'custom']),
  url: z.string(),
  noProxy: z.string(),
});
export type ProxySettings = z.infer<typeof ProxySettings>;

/** What "system" means on this host, so the settings page can say it plainly. */
export const SystemProxyInfo = z.object({
  source: z.enum(['os', 'env']),
  /** The proxy from the environment (credentials removed), or null when none is set. */
  envProxy: z.string().nullable(),
});

export const SettingsView = z.object({
  language: z.enum(['system', 'en', 'ja', 'zh']),
  theme: z.enum(['system', 'light', 'dark']),
  defaultModel: ModelRef.nullable(),
  idleTimeoutSec: z.number(),
  vault: VaultInfo,
  proxy: ProxySettings,
  systemProxy: SystemProxyInfo,
});
export type SettingsView = z.infer<typeof SettingsView>;

/** The built-in tools (issue 8), by the name the model sees. */
export const BuiltinToolName = z.enum(['get_current_time', 'calculate', 'fetch_url']);
export type BuiltinToolName = z.infer<typeof BuiltinToolName>;

/** Function calling for one conversation. */
export const ToolSettings = z.strictObject({
  /** Tools turned on; none by default. */
  enabled: z
    .array(BuiltinToolName)
    .max(3)
    .refine((a) => new Set(a).size === a.length, 'duplicate tool')
    .optional(),
  /** auto (default): only to models whose metadata lists tool use; always / never: the user's override. */
  send: z.enum(['auto', 'always', 'never']).optional(),
  /** Requests to the model per answer (tool rounds and the final answer); default 5. */
  maxRounds: z.number().int().min(1).max(20).optional(),
  /** The user's time zone for the date/time tool (the renderer's `Intl` time zone). */
  timeZone: TimeZone.optional(),
});
export type ToolSettings = z.infer<typeof ToolSettings>;

/** Sampling parameters, ranges as the Model Studio page states them. */
export const ChatParams = z.strictObject({
  temperature: z.number().min(0).lt(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  presencePenalty: z.number().min(-2).max(2).optional(),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  stop: z.array(z.string().min(1).max(200)).max(4).optional(),
  enableThinking: z.boolean().optional(),
  /** Upper bound on reasoning tokens; checked against the model's maximum before sending. */
  thinkingBudget: z.number().int().positive().max(1_000_000).optional(),
  /** Model Studio web search for this conversation (`enable_search`), only where the model has it. */
  enableSearch: z.boolean().optional(),
  /** `response_format`: JSON mode, or a JSON schema (text of the schema object) where supported. */
  responseFormat: z.enum(['json_object', 'json_schema']).optional(),
  jsonSchema: z.string().max(20_000).optional(),
  tools: ToolSettings.optional(),
});
export type ChatParams = z.infer<typeof ChatParams>;

export const Usage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof Usage>;

/** Why a tool call did not give a result; the UI translates it, the model gets the English message. */
export const ToolErrorCode = z.enum([
  'bad_arguments', // not JSON, or a parameter missing or of the wrong type
  'unknown_tool',
  'timeout',
  'denied', // the user said no
  'confirm_timeout', // nobody answered the confirmation in time
  'cancelled', // Stop, or the app closed, before it ran
  'round_limit', // the answer already used its rounds: not run
  'syntax',
  'division_by_zero',
  'too_large',
  'blocked_url',
  'http_error',
  'unsupported_content',
  'network',
  'failed',
]);
export type ToolErrorCode = z.infer<typeof ToolErrorCode>;

export const ToolCall = z.object({
  index: z.number().int(),
  id: z.string(),
  name: z.string(),
  arguments: z.string(),
  /** 0-based request round that asked for it. Absent: the call was shown, never run (tools off). */
  round: z.number().int().optional(),
  state: z.enum(['pending', 'confirming', 'running', 'done', 'error']).optional(),
  /** What the model was sent back (JSON text), for a call that ran. */
  result: z.string().optional(),
  error: z.object({ code: ToolErrorCode, message: z.string() }).optional(),
  durationMs: z.number().optional(),
});
export type ToolCall = z.infer<typeof ToolCall>;

export const MessageStatus = z.enum([
  'done', // finished with finish_reason stop
  'streaming',
  'stopped', // user pressed Stop
  'error',
  'interrupted', // app died while streaming
  'incomplete', // stream ended without finish_reason
  'length', // cut off at max tokens
]);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  parentId: z.string().nullable(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  reasoning: z.string(),
  toolCalls: z.array(ToolCall).optional(),
  /**
   * Text the model wrote in each finished tool round (round i's text came before its calls); the
   * final round's text is `content`. One entry per round whose calls ran.
   */
  roundTexts: z.array(z.string()).optional(),
  /** Web pages the provider's search used, when the response listed them. */
  sources: z.array(z.object({ title: z.string(), url: z.string(), site: z.string().optional() })).optional(),
  status: MessageStatus,
  error: KaiwaError.optional(),
  providerId: z.string().optional(),
  modelId: z.string().optional(),
  usage: Usage.optional(),
  ttftMs: z.number().optional(),
  durationMs: z.number().optional(),
  reasoningMs: z.number().optional(),
  cost: z.number().nullable().optional(),
  createdAt: z.number(),
  /** Position among its siblings (versions) — 1-based index and count. */
  version: z.object({ index: z.number(), count: z.number() }),
});
export type Message = z.infer<typeof Message>;

export const ConversationSummary = z.object({
  id: z.string(),
  title: z.string(),
  updatedAt: z.number(),
  providerId: z.string().nullable(),
  modelId: z.string().nullable(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const Conversation = z.object({
  id: z.string(),
  title: z.string(),
  titleAuto: z.boolean(),
  providerId: z.string().nullable(),
  modelId: z.string().nullable(),
  systemPrompt: z.string(),
  params: ChatParams,
  draft: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Conversation = z.infer<typeof Conversation>;

export const SearchHit = z.object({
  conversationId: z.string(),
  title: z.string(),
  /** null when the conversation's title matched. */
  messageId: z.string().nullable(),
  role: z.enum(['user', 'assistant']).nullable(),
  snippet: z.string(),
  updatedAt: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/**
 * The shown branch after a change below `anchorId` (a new version, a switch, a deletion): the
 * renderer keeps its messages up to the anchor and replaces the rest with `tail`.
 */
export const PathUpdate = z.object({ conversation: Conversation, anchorId: z.string().nullable(), tail: z.array(Message) });
export type PathUpdate = z.infer<typeof PathUpdate>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  platform: z.string(),
  /** UI language to use when settings say "system" (OS locale, or --lang). */
  systemLanguage: z.enum(['en', 'ja', 'zh']),
  dataDir: z.string(),
  notices: z.array(Notice),
});
export type AppInfo = z.infer<typeof AppInfo>;

// Quota and usage (issue 5)

/** One daily allowance: null limit/remaining = not known (no per-model limit configured, not reported). */
export const QuotaFigure = z.object({ limit: z.number().nullable(), remaining: z.number().nullable(), used: z.number() });
export type QuotaFigure = z.infer<typeof QuotaFigure>;

/** What the quota meter shows for one provider, model and the key the next call will use. */
export const QuotaView = z.object({
  providerId: z.string(),
  kind: ProviderKind,
  modelId: z.string(),
  /** The vault's random key id, never the key. */
  keyId: z.string().nullable(),
  /** Masked key (first 3 + last 4), only when the provider has several keys. */
  keyMasked: z.string().nullable(),
  /** 'reported' = ModelScope's response headers; 'estimated' = local count against the settings. */
  source: z.enum(['reported', 'estimated']),
  account: QuotaFigure.nullable(),
  model: QuotaFigure.nullable(),
  level: z.enum(['ok', 'warning', 'critical', 'exhausted']),
  exhausted: z.boolean(),
  /** Next reset (epoch ms); null when the provider has no daily reset. */
  resetAt: z.number().nullable(),
  reportedAt: z.number().nullable(),
  /** Main's clock when this view was computed: countdowns are relative to it, not the page's clock. */
  now: z.number(),
  /** Several keys (separate ModelScope accounts): each key's own figures, in the vault's order. */
  keys: z
    .array(z.object({ keyId: z.string(), keyMasked: z.string(), source: z.enum(['reported', 'estimated']), account: QuotaFigure.nullable(), exhausted: z.boolean(), next: z.boolean() }))
    .optional(),
});
export type QuotaView = z.infer<typeof QuotaView>;

export const QuotaSettingsView = z.object({
  dailyLimit: z.number(),
  perModelLimit: z.number().nullable(),
  resetUtcOffsetHours: z.number(),
});
export type QuotaSettingsView = z.infer<typeof QuotaSettingsView>;

export const UsageRange = z.enum(['today', '7d', '30d']);
export type UsageRange = z.infer<typeof UsageRange>;

export const UsageTotals = z.object({
  calls: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** USD, summed over priced calls only. */
  cost: z.number(),
  /** Calls that used tokens on a model without a price: their cost is unknown, not zero. */
  unpricedCalls: z.number(),
  avgLatencyMs: z.number().nullable(),
  avgTtftMs: z.number().nullable(),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const UsageSummary = z.object({
  range: UsageRange,
  timeZone: z.string(),
  from: z.number(),
  to: z.number(),
  totals: UsageTotals,
  byProvider: z.array(UsageTotals.extend({ providerId: z.string() })),
  byModel: z.array(UsageTotals.extend({ providerId: z.string(), modelId: z.string() })),
  /** Calls per day in the user's time zone, oldest first. */
  days: z.array(z.object({ day: z.string(), start: z.number(), calls: z.number(), errors: z.number() })),
});
export type UsageSummary = z.infer<typeof UsageSummary>;

/** fetch_url asks before every fetch: main waits for `tools.confirm` (or the timeout, which denies). */
export const ToolConfirmRequest = z.object({
  requestId: z.string(),
  streamId: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
  tool: BuiltinToolName,
  url: z.string(),
  /** Set when `url` is where another site redirected the fetch: the user allowed that site, not this one. */
  redirectedFrom: z.string().optional(),
  /** Time left to answer, ms (the page's and main's clocks need not agree). */
  timeoutMs: z.number(),
});
export type ToolConfirmRequest = z.infer<typeof ToolConfirmRequest>;

/** A file produced by main for the renderer to save as a download. */
export const ExportedFile = z.object({ filename: z.string(), mime: z.string(), text: z.string() });
export type ExportedFile = z.infer<typeof ExportedFile>;


// ---------------------------------------------------------------------------------------------
// Calls

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const calls = {
  'app.info': call(Empty, AppInfo),
  /** Opens an http(s) URL in the system browser (after the renderer has shown it to the user). */
  'app.openExternal': call(z.strictObject({ url: ExternalUrl }), Ok),
  'app.dismissNotice': call(z.strictObject({ id: z.string().max(100) }), Ok),

  'settings.get': call(Empty, SettingsView),
  'settings.update': call(
    z.strictObject({
      language: z.enum(['system', 'en', 'ja', 'zh']).optional(),
      theme: z.enum(['system', 'light', 'dark']).optional(),
      defaultModel: ModelRef.nullable().optional(),
      idleTimeoutSec: z.number().int().min(5).max(3600).optional(),
      proxy: z
        .strictObject({
          mode: z.enum(['system', 'none', 'custom']),
          url: z.string().max(2048).optional(),
          noProxy: z.string().max(4000).regex(/^[^\p{Cc}]*$/u, 'no control characters').optional(),
        })
        .optional(),
    }),
    SettingsView,
  ),

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

  'conversations.list': call(z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }), z.array(ConversationSummary)),
  'conversations.create': call(z.strictObject({ model: ModelRef.optional() }), Conversation),
  'conversations.open': call(
    /**
     * `tail`: only the newest `tail` messages of the path (the view shows the end first); `earlier`
     * then says how many come before them, to be fetched next without `tail`.
     */
    z.strictObject({ id: Id, tail: z.number().int().min(1).max(10_000).optional() }),
    z.object({
      conversation: Conversation,
      messages: z.array(Message),
      earlier: z.number().int().min(0).optional(),
      /** Answers of this conversation still streaming in main (e.g. after a page reload), so Stop works. */
      streams: z.array(z.object({ messageId: z.string(), streamId: z.string() })),
    }),
  ),
  'conversations.update': call(
    z.strictObject({
      id: Id,
      title: ShortText.optional(),
      model: ModelRef.optional(),
      systemPrompt: z.string().max(100_000).optional(),
      params: ChatParams.optional(),
      draft: z.string().max(1_000_000).optional(),
    }),
    Conversation,
  ),
  /** Soft delete: `conversations.restore` undoes it until the next start. */
  'conversations.delete': call(z.strictObject({ id: Id }), Ok),
  'conversations.restore': call(z.strictObject({ id: Id }), Ok),
  /** Titles and messages; every word must match. Short CJK words (会話) work too. */
  'conversations.search': call(
    z.strictObject({ query: z.string().min(1).max(200), limit: z.number().int().min(1).max(200).optional() }),
    z.array(SearchHit),
  ),

  /** Shows a message, or with `version` its sibling at that 1-based position; the path follows the newest leaf under it. */
  'messages.select': call(z.strictObject({ messageId: Id, version: z.number().int().min(1).max(100_000).optional() }), PathUpdate),
  /** A message with versions goes with its branch; one without is cut out and the rest moves up. */
  'messages.delete': call(z.strictObject({ messageId: Id }), PathUpdate),

  /** Starts a reply. Returns at once; the reply arrives as `stream.*` events for `streamId`. */
  'chat.send': call(
    z.strictObject({ conversationId: Id, text: LongText.min(1) }),
    z.object({ streamId: z.string(), userMessage: Message, assistantMessage: Message, conversation: Conversation }),
  ),
  'chat.stop': call(z.strictObject({ streamId: Id }), Ok),
  /**
   * A new answer (a new version) to the question behind `messageId`. With `model` that model answers
   * and becomes the conversation's model: the "switch model" action after any failure, quota 429s included.
   */
  'chat.regenerate': call(z.strictObject({ messageId: Id, model: ModelRef.optional() }), PathUpdate.extend({ streamId: z.string() })),
  /** Edit-and-resend: a new version of a question of yours, answered at once. */
  'chat.edit': call(z.strictObject({ messageId: Id, text: LongText.min(1) }), PathUpdate.extend({ streamId: z.string() })),
  /** Continues a cut-off answer; the new text is appended to the same message. */
  'chat.continue': call(z.strictObject({ messageId: Id }), z.object({ streamId: z.string(), message: Message, conversation: Conversation })),

  /** The user's answer to a tool confirmation (`tools.confirmRequest`). Late answers are ignored. */
  'tools.confirm': call(z.strictObject({ requestId: Id, allow: z.boolean() }), z.object({ ok: z.literal(true), accepted: z.boolean() })),
  /** Confirmations still waiting (after a page reload). */
  'tools.pending': call(Empty, z.array(ToolConfirmRequest)),

  /** The quota meter for a provider/model (null: nothing to show, e.g. no key or not ModelScope). */
  'quota.get': call(z.strictObject({ providerId: Id, modelId: z.string().min(1).max(200) }), QuotaView.nullable()),
  'quota.getSettings': call(Empty, QuotaSettingsView),
  /** The local estimate's free tier; ModelScope changes its rules, so the user can correct them. */
  'quota.updateSettings': call(
    z.strictObject({
      dailyLimit: z.number().int().min(1).max(100_000_000).optional(),
      perModelLimit: z.number().int().min(1).max(100_000_000).nullable().optional(),
      resetUtcOffsetHours: z.number().min(-12).max(14).multipleOf(0.25).optional(),
    }),
    QuotaSettingsView,
  ),
  'usage.summary': call(z.strictObject({ range: UsageRange, timeZone: TimeZone }), UsageSummary),
  /** One CSV row per recorded upstream call in the range; the renderer saves it as a file. */
  'usage.exportCsv': call(z.strictObject({ range: UsageRange, timeZone: TimeZone }), z.object({ filename: z.string(), csv: z.string(), rows: z.number() })),


  // -- export/import, backup/restore, data folder (issue 9) -------------------------------------
  /**
   * A conversation as a file: Markdown (the shown branch, for reading) or Kaiwa JSON (every version
   * of every message, for import). `labels` are the UI's words for the Markdown headings.
   */
  'conversations.export': call(
    z.strictObject({
      id: Id,
      format: z.enum(['markdown', 'json']),
      labels: z
        .strictObject({
          user: ShortText,
          assistant: ShortText,
          thinking: ShortText,
          systemPrompt: ShortText,
          untitled: ShortText,
          tool: ShortText.optional(),
          toolArguments: ShortText.optional(),
          toolResult: ShortText.optional(),
        })
        .optional(),
    }),
    ExportedFile,
  ),
  /** Imports a staged Kaiwa JSON file (see uploads.append) as a new conversation; nothing is written unless it is valid. */
  'conversations.import': call(z.strictObject({ uploadId: Id }), z.object({ conversation: Conversation, messages: z.number() })),
  /**
   * Stages a file the user picked, in pieces small enough for any transport. Without `uploadId` a new
   * upload starts. Staged files live in memory for a few minutes and are consumed by the call that uses them.
   */
  'uploads.append': call(
    z.strictObject({ uploadId: Id.optional(), chunk: z.string().max(UPLOAD_CHUNK_CHARS) }),
    z.object({ uploadId: z.string(), size: z.number() }),
  ),
  'uploads.discard': call(z.strictObject({ uploadId: Id }), Ok),
  /** All settings and history in one file. Keys only with a passphrase, then sealed with it (scrypt + AES-256-GCM). */
  'backup.create': call(
    z.strictObject({ passphrase: z.string().min(8).max(1024).optional() }),
    ExportedFile.extend({ includesKeys: z.boolean(), conversations: z.number() }),
  ),
  /**
   * Replaces settings, history (and keys, when the backup has them) with a staged backup. The whole
   * file is checked first; on any failure nothing changes.
   */
  'backup.restore': call(
    z.strictObject({ uploadId: Id, passphrase: z.string().max(1024).optional() }),
    z.object({ conversations: z.number(), keys: z.number() }),
  ),
  /** Opens the data directory in the system file manager. */
  'app.openDataDir': call(Empty, Ok),
} as const;

// ---------------------------------------------------------------------------------------------
// Events (main → renderer)

export const events = {
  /** New text since the previous delta for this stream; at most one per animation frame. */
  'stream.delta': z.object({
    streamId: z.string(),
    messageId: z.string(),
    /** Per-stream sequence number, so the renderer can detect a gap. */
    seq: z.number(),
    content: z.string().optional(),
    reasoning: z.string().optional(),
    /** The tool calls that changed since the previous delta, each whole as main has assembled it so far; a call is (round, index). */
    toolCalls: z.array(ToolCall.pick({ index: true, round: true, id: true, name: true, arguments: true })).optional(),
    /** Apply first: move everything received as content so far to the end of reasoning (lone `</think>`). */
    contentToReasoning: z.boolean().optional(),
    /** When the answer (not the thinking) started, ms since stream start; sent once. */
    answerStartedMs: z.number().optional(),
    /**
     * Bench only (host started with KAIWA_BENCH=1, upstream chunks stamped with `kaiwa_seq`): the
     * sequence numbers of the chunks this delta carries and when the host received each (epoch ms).
     */
    bench: z.object({ seq: z.array(z.number()), at: z.array(z.number()) }).optional(),
  }),
  /** Waiting for headers, retrying after an error, or receiving. */
  'stream.status': z.object({
    streamId: z.string(),
    messageId: z.string(),
    state: z.enum(['connecting', 'retrying', 'receiving']),
    attempt: z.number().optional(),
    retryInMs: z.number().optional(),
    error: KaiwaError.optional(),
  }),
  /**
   * The answer's tool state changed (a round ended, a call started, finished or awaits confirmation):
   * all its calls and round texts. A longer `roundTexts` means the live content so far became the
   * text of a finished round: the renderer starts the content afresh.
   */
  'stream.tools': z.object({ streamId: z.string(), messageId: z.string(), toolCalls: z.array(ToolCall), roundTexts: z.array(z.string()) }),
  /** The stream is over; `message` is the final stored record. */
  'stream.end': z.object({ streamId: z.string(), message: Message }),
  'app.notice': Notice,
  'tools.confirmRequest': ToolConfirmRequest,
  /** A confirmation is over (answered here or in another window, timed out, or the answer stopped). */
  'tools.confirmSettled': z.object({ requestId: z.string(), outcome: z.enum(['allowed', 'denied', 'timeout', 'stopped']) }),
  /** A quota view may have changed (a call with this provider's key, a reset, settings): fetch it again. */
  'quota.changed': z.object({ providerId: z.string().nullable(), keyId: z.string().nullable(), reason: z.enum(['call', 'reset', 'settings']) }),
} as const;

// ---------------------------------------------------------------------------------------------
// Derived types

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.infer<Calls[N]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.infer<Events[N]>;

// Compile-time proof that names.ts (used by the preload) lists exactly the calls and events above.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const callNamesMatch: Same<CallNameList, CallName> = true;
export const eventNamesMatch: Same<EventNameList, EventName> = true;
export const callNames: readonly CallName[] = CALL_NAMES;
export const eventNames: readonly EventName[] = EVENT_NAMES;

/** Every call's reply crosses the boundary as an envelope: errors keep their code and details. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: KaiwaError };

/** Turns 'a.b' | 'a.c' | 'd.e' into { a: { b, c }, d: { e } }. */
type Split<S extends string> = S extends `${infer Head}.${infer Tail}` ? [Head, Tail] : never;
type Namespaces = Split<CallName>[0];
export type KaiwaCallApi = {
  [NS in Namespaces]: {
    [N in CallName as Split<N>[0] extends NS ? Split<N>[1] : never]: (input: CallInput<N>) => Promise<Envelope<CallOutput<N>>>;
  };
};

/** The object `window.kaiwa` exposes, from the preload or the browser-mode bridge. */
export interface KaiwaWindowApi extends KaiwaCallApi {
  /** Subscribe to one event; returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  readonly transport: 'ipc' | 'websocket';
}
