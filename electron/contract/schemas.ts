// Shared zod building blocks for the contract. Everything that crosses the process boundary is
// described here once; main validates against these, the renderer only imports the derived types.
import { z } from 'zod';

/** Keys that would let a payload reach an object's prototype once copied into a plain object. */
const POISON_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'invalid id');
export const ShortText = z.string().max(200);
export const LongText = z.string().max(2_000_000);

/** A URL string whose scheme is one of `protocols` (each with its colon, as URL.protocol has it). */
const urlWith = (protocols: string[], message: string) =>
  z
    .string()
    .max(2048)
    .refine((s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    }, message);

export const Url = urlWith(['http:', 'https:'], 'must be an http(s) URL');

/** A link the user chose to open outside the app (from model output): http(s) or mailto only. */
export const ExternalUrl = urlWith(['http:', 'https:', 'mailto:'], 'must be an http(s) or mailto URL');

/** A string→string map that cannot smuggle prototype keys and stays small. */
export const SafeStringRecord = z
  // Checked on the input: zod's record parser silently drops an own `__proto__` key, so a check on
  // the parsed output would never see it and the payload would be accepted.
  .custom<Record<string, string>>((v) => !(v !== null && typeof v === 'object' && Object.keys(v).some((k) => POISON_KEYS.has(k))), 'forbidden key')
  .pipe(z.record(z.string().min(1).max(200), z.string().max(4096)))
  .refine((r) => Object.keys(r).every((k) => !POISON_KEYS.has(k)), 'forbidden key')
  .refine((r) => Object.keys(r).length <= 64, 'too many entries');

/** HTTP header names a user may set; values must not carry line breaks. */
export const HeaderRecord = SafeStringRecord.refine(
  (r) => Object.entries(r).every(([k, v]) => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k) && !/[\r\n]/.test(v)),
  'invalid header',
);

/** A list of header names (which headers are not secret, which secret ones to keep). */
export const HeaderNames = z.array(z.string().min(1).max(200).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'invalid header')).max(64);

export { headerProblem, type HeaderProblem } from './headers.ts';
export { baseUrlProblem, type BaseUrlProblem } from './base-url.ts';

/** An IANA time zone name the host's Intl understands ("today" is the user's day). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_+\-/]+$/)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone');

export const ProviderKind = z.enum(['modelscope', 'wandb', 'dashscope', 'custom']);
export type ProviderKind = z.infer<typeof ProviderKind>;

export const DashscopeRegion = z.enum(['singapore', 'us', 'beijing']);
export type DashscopeRegion = z.infer<typeof DashscopeRegion>;

/** ModelScope's two sites: modelscope.cn (China, the default) and modelscope.ai (international), separate accounts. */
export const ModelscopeSite = z.enum(['cn', 'intl']);
export type ModelscopeSite = z.infer<typeof ModelscopeSite>;

export const ErrorCode = z.enum([
  'invalid_request', // the call itself was malformed (contract validation)
  'not_found',
  'internal',
  'storage_failed',
  'storage_full',
  'no_provider',
  'no_key',
  'key_other_mode', // the only keys were sealed by the other mode (desktop app vs browser mode): paste again (params: provider)
  'keys_detached', // the provider's keys were saved for another address than its base URL now (params: provider, origin)
  'secret_unbound', // a request would have carried a secret to an origin it was not saved for; refused before sending
  'cleartext_proxy', // a secret for a plain http:// address would have passed a proxy; refused before sending (params: provider, origin, host, proxy, context = custom | system)
  'invalid_base_url', // a base URL that carries credentials (params: reason = userinfo | credentialParam)
  'no_model',
  'invalid_params',
  'json_mode_needs_json', // response_format json_object, but neither the system prompt nor the question says "JSON"
  'response_format_unsupported', // json_schema while the model thinks, or on a provider that does not document it
  'thinking_budget_range', // thinking_budget above the model's maximum, or set for a model without one (params: max)
  'invalid_header', // a custom header the settings refuse (params: header, reason)
  'invalid_project', // W&B project not in team/project form
  // upstream, mapped by services/providers/errors.ts
  'auth_invalid_key',
  'auth_modelscope_unbound',
  'auth_region_mismatch',
  'payment_required',
  'arrearage',
  'forbidden',
  'model_not_found',
  'model_not_in_region', // DashScope 404 for a model: the key's region or workspace may not offer it
  'upstream_redirect', // the provider answered with a redirect; a request carrying a secret never follows one (params: provider, origin)
  'endpoint_not_found', // a 404 that names no model: the base URL's path is wrong
  'not_api', // an HTML page with status 200 (a proxy's login page) instead of an API answer
  'stream_error', // an error event inside the stream that matches no known signal (params: upstream)
  'think_unclosed', // the answer stayed inside <think>: there is no separate answer text
  'bad_request',
  'thinking_requires_stream',
  'rate_limited',
  'quota_exceeded',
  'server_error',
  'bad_gateway',
  'overloaded',
  'content_filtered',
  'network_down',
  'connection_refused',
  'dns_failure',
  'tls_failure',
  'timeout',
  'idle_timeout',
  'stream_malformed',
  'stream_incomplete',
  'not_stream',
  'tool_failed',
  'tool_round_limit', // the model still asked for tools when the answer's rounds were used up
  // files in and out (export/import, backup/restore), the proxy, opening the data folder
  'import_invalid', // not a Kaiwa conversation file (params: reason)
  'backup_invalid', // not a Kaiwa backup at all
  'backup_damaged', // a Kaiwa backup whose checksum or contents do not match
  'backup_too_new', // made by a newer Kaiwa
  'backup_needs_passphrase',
  'backup_wrong_passphrase',
  'backup_too_large',
  'upload_missing', // the staged file is gone (expired or never sent)
  'too_large',
  'invalid_proxy',
  'open_failed',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorAction = z.enum(['open_settings', 'retry', 'switch_model', 'continue', 'check_region']);
export type ErrorAction = z.infer<typeof ErrorAction>;

/** What a failure looks like to the renderer: a code it translates, plus optional raw upstream text. */
export const KaiwaError = z.object({
  code: ErrorCode,
  /** English text for logs and as a fallback; the UI shows the translated `errors.<code>` string. */
  message: z.string(),
  /** Values interpolated into the translated message (provider name, model, seconds…). */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** Raw upstream status/body (redacted), shown under "details". */
  details: z.string().optional(),
  status: z.number().int().optional(),
  actions: z.array(ErrorAction).optional(),
  providerId: z.string().optional(),
});
export type KaiwaError = z.infer<typeof KaiwaError>;

export const Notice = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type Notice = z.infer<typeof Notice>;
