// The one mapping from what a provider sent (HTTP status, error envelope, network failure) to a
// KaiwaError the UI can explain and act on. Used by chat streaming, "Check" and "Fetch models".
//
// Envelopes seen in the wild (issue texts, seeds):
//   OpenAI style  {"error":{"message","type","param","code"}}            (DashScope, W&B, most)
//   DashScope     {"error":{...,"code":"invalid_api_key"},"request_id"}
//   ModelScope    {"errors":{"message":"Request limit exceeded.","request_id"}}   ← note `errors`
//   proxies       an HTML page (502/504)
import type { ErrorAction, ErrorCode, KaiwaError, ProviderKind } from '../../contract/index.ts';
import { redact } from '../log.ts';

export interface MappedError extends KaiwaError {
  /** Safe to retry automatically (transient); quota errors never are: each retry burns quota. */
  retryable: boolean;
  /** Counts against a daily allowance (stop, rotate key, offer to switch provider). */
  quota: boolean;
  /** The key itself is bad: try the next key next time. */
  keyRejected: boolean;
  retryAfterMs?: number;
}

export interface UpstreamFailure {
  kind: ProviderKind;
  providerId: string;
  providerName: string;
  modelId?: string;
  status?: number;
  bodyText?: string;
  headers?: Headers | Record<string, string>;
  /** A network/abort error (anything thrown before a status arrived). */
  cause?: unknown;
  /** The URL the request went to: a relative `Location` of a redirect is resolved against it. */
  requestUrl?: string;
}

interface Extracted {
  message: string;
  code: string;
  type: string;
  envelope: 'error' | 'errors' | 'other' | 'html' | 'none';
}

function extract(bodyText: string | undefined): Extracted {
  const out: Extracted = { message: '', code: '', type: '', envelope: 'none' };
  if (!bodyText) return out;
  const trimmed = bodyText.trim();
  if (trimmed.startsWith('<')) {
    out.envelope = 'html';
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    const text = trimmed.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    out.message = (title?.trim() || text).slice(0, 200);
    return out;
  }
  try {
    const body = JSON.parse(trimmed) as Record<string, unknown>;
    const pick = (o: unknown): Record<string, unknown> | null => (o && typeof o === 'object' ? (o as Record<string, unknown>) : null);
    const e = pick(body['error']) ?? pick(body['errors']);
    out.envelope = pick(body['error']) ? 'error' : pick(body['errors']) ? 'errors' : 'other';
    const src = e ?? body;
    const msg = src['message'] ?? (typeof body['error'] === 'string' ? body['error'] : undefined) ?? body['msg'];
    out.message = typeof msg === 'string' ? msg : msg != null ? JSON.stringify(msg) : '';
    out.code = String(src['code'] ?? body['code'] ?? '');
    out.type = String(src['type'] ?? '');
  } catch {
    out.envelope = 'other';
    out.message = trimmed.slice(0, 500);
  }
  return out;
}

function header(h: UpstreamFailure['headers'], name: string): string | null {
  if (!h) return null;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name);
  const rec = h as Record<string, string>;
  const k = Object.keys(rec).find((x) => x.toLowerCase() === name);
  return k ? (rec[k] ?? null) : null;
}

/** `retry-after-ms` (OpenAI style) wins over `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(h: UpstreamFailure['headers'], now = Date.now()): number | undefined {
  const ms = header(h, 'retry-after-ms');
  if (ms && !Number.isNaN(Number(ms))) return Math.max(0, Number(ms));
  const ra = header(h, 'retry-after');
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const QUOTA_TEXT = /request limit exceeded|exceeded your current quota|quota|insufficient[_ ]balance|arrearage|free tier/i;

/** Moderation, in the spellings DashScope uses (`data_inspection_failed`, `DataInspectionFailed`). */
const MODERATION = /data[_ ]?inspection[_ ]?failed/i;

/**
 * A 429 is a quota error only on a provider's documented quota signal; everything else is a rate
 * limit, retried after a wait. ModelScope: "Request limit exceeded" is the day's calls (unless the
 * headers still show calls left), "increased too quickly" is its burst limit. DashScope has no
 * daily quota: `Throttling.AllocationQuota` is a per-minute token/request allowance.
 */
function map429(
  f: UpstreamFailure,
  x: Extracted,
  make: (code: ErrorCode, message: string, o?: Partial<MappedError>) => MappedError,
  withUp: Partial<MappedError>,
  after: number | undefined,
): MappedError {
  const text = `${x.message} ${x.code}`;
  const burst = /too quickly|throttling|rate limit|too many requests|concurren|per minute|limit_requests/i.test(text);
  const remaining = Number(header(f.headers, 'modelscope-ratelimit-requests-remaining') ?? header(f.headers, 'modelscope-ratelimit-model-requests-remaining') ?? NaN);
  const modelscopeDaily = /request limit exceeded/i.test(x.message) && !burst && !(remaining > 0);
  const quota =
    modelscopeDaily ||
    ['insufficient_quota', 'arrearage', 'free_tier_exhausted'].includes(x.code.toLowerCase()) ||
    /exceeded your current quota|insufficient[_ ]balance|arrearage|free tier/i.test(text);
  if (quota && !burst) return make('quota_exceeded', `${f.providerName}: the daily quota is used up.`, { ...withUp, quota: true, actions: ['switch_model'] });
  // Bursts clear within seconds; without a retry-after, a short pause rather than a long backoff.
  const wait = after ?? (/too quickly/i.test(text) ? 2000 : undefined);
  return make('rate_limited', `${f.providerName} is rate limiting requests.`, { ...withUp, retryable: true, ...(wait !== undefined ? { retryAfterMs: wait } : {}), actions: ['retry'] });
}

function causeCode(cause: unknown): { code: string; message: string } {
  let c: unknown = cause;
  let message = '';
  for (let depth = 0; c && depth < 6; depth++) {
    const e = c as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    if (!message && typeof e.message === 'string') message = e.message;
    if (typeof e.code === 'string' && e.code) return { code: e.code, message: typeof e.message === 'string' ? e.message : message };
    if (e.name === 'APIConnectionTimeoutError' || e.name === 'TimeoutError') return { code: 'ETIMEDOUT', message };
    c = e.cause;
  }
  return { code: '', message };
}

/** Where a redirect pointed, as an origin (what a user can compare with the base URL). */
function redirectOrigin(location: string | null, base: string | undefined): string {
  if (!location) return '?';
  try {
    return new URL(location, base).origin;
  } catch {
    return '?';
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|EPROTO/i;

/** A failure before any status arrived: timeout, refused, DNS, TLS, or the connection dropping. */
function mapNetworkFailure(f: UpstreamFailure, make: (code: ErrorCode, message: string, o?: Partial<MappedError>) => MappedError): MappedError {
  const { code, message } = causeCode(f.cause);
  const details = redact(message || code || String(f.cause));
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || /timed? ?out/i.test(message)) {
    return make('timeout', `${f.providerName} did not answer in time.`, { details, actions: ['retry', 'open_settings'] });
  }
  if (code === 'ECONNREFUSED') return make('connection_refused', `Could not connect to ${f.providerName}.`, { details, actions: ['retry', 'open_settings'] });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return make('dns_failure', `The address of ${f.providerName} could not be resolved.`, { details, actions: ['retry', 'open_settings'] });
  }
  if (TLS_CODES.test(code)) return make('tls_failure', `The secure connection to ${f.providerName} failed.`, { details, actions: ['open_settings'] });
  return make('network_down', `The network connection to ${f.providerName} failed.`, {
    details,
    retryable: ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED'].includes(code),
    actions: ['retry'],
  });
}

/** A 404 (or a model_not_found code): a wrong base path, a model the region lacks, or an unknown model. */
function mapNotFound(f: UpstreamFailure, x: Extracted, make: (code: ErrorCode, message: string, o?: Partial<MappedError>) => MappedError, withUp: Partial<MappedError>): MappedError {
  // A 404 that names no model is the base path being wrong (a proxy's page, FastAPI's default).
  if (x.code !== 'model_not_found' && !/model/i.test(x.message)) {
    return make('endpoint_not_found', `${f.providerName} has no API at this address (HTTP 404).`, { ...withUp, actions: ['open_settings'] });
  }
  // Model Studio serves different models per region (and per workspace): the key's region may lack it.
  if (f.kind === 'dashscope') {
    return make('model_not_in_region', `${f.providerName} does not offer "${f.modelId ?? ''}" in this region.`, { ...withUp, actions: ['switch_model', 'check_region'] });
  }
  return make('model_not_found', `${f.providerName} does not know the model "${f.modelId ?? ''}".`, { ...withUp, actions: ['switch_model', 'open_settings'] });
}

export function mapUpstreamError(f: UpstreamFailure): MappedError {
  const base = { providerId: f.providerId, params: { provider: f.providerName, model: f.modelId ?? '' } as Record<string, string | number> };
  const make = (code: ErrorCode, message: string, o: Partial<MappedError> & { actions?: ErrorAction[] } = {}): MappedError => ({
    code,
    message,
    retryable: false,
    quota: false,
    keyRejected: false,
    ...base,
    ...o,
    params: { ...base.params, ...(o.params ?? {}) },
  });

  if (f.status === undefined) return mapNetworkFailure(f, make);

  const status = f.status;
  const x = extract(f.bodyText);
  const upstream = x.message ? redact(x.message) : '';
  // Redacted in parts: as one string, "invalid_api_key: Incorrect API key…" reads like "api_key: <secret>".
  const details = `${redact(`HTTP ${status}${x.code ? ` ${x.code}` : ''}`)}${upstream ? `: ${upstream}` : ''}`;
  const withUp = { details, status, params: { upstream } };
  const lower = `${x.message} ${x.code} ${x.type}`.toLowerCase();
  const after = retryAfterMs(f.headers);

  // Only requests without a secret follow redirects (upstream.ts), so a 3xx here is one that would
  // have carried the key or a secret header to wherever the provider pointed.
  if (status >= 300 && status < 400) {
    const origin = redirectOrigin(header(f.headers, 'location'), f.requestUrl);
    return make('upstream_redirect', `${f.providerName} redirected the request to ${origin}; the key was not sent there.`, { ...withUp, params: { upstream, origin }, actions: ['open_settings'] });
  }
  if (status === 401) {
    if (/bind your alibaba cloud account/i.test(x.message)) {
      return make('auth_modelscope_unbound', 'Your ModelScope account must be bound to an Alibaba Cloud account.', { ...withUp, keyRejected: true, actions: ['open_settings'] });
    }
    if (f.kind === 'dashscope' && (x.code === 'invalid_api_key' || /invalid api.?key|api key/i.test(x.message))) {
      return make('auth_region_mismatch', 'The API key was rejected. DashScope keys only work in the region they were created in.', {
        ...withUp,
        keyRejected: true,
        actions: ['check_region', 'open_settings'],
      });
    }
    return make('auth_invalid_key', `${f.providerName} rejected the API key.`, { ...withUp, keyRejected: true, actions: ['open_settings'] });
  }
  if (status === 402) {
    return make('payment_required', `${f.providerName}: the account has no quota or credit left.`, { ...withUp, quota: true, actions: ['switch_model', 'open_settings'] });
  }
  if (status === 403) {
    const quota = QUOTA_TEXT.test(lower);
    return make(quota ? 'quota_exceeded' : 'forbidden', quota ? `${f.providerName}: quota exhausted.` : `${f.providerName} refused access (plan or permission).`, {
      ...withUp,
      quota,
      actions: ['switch_model', 'open_settings'],
    });
  }
  if (status === 404 || x.code === 'model_not_found') return mapNotFound(f, x, make, withUp);
  if (status === 429) return map429(f, x, make, withUp, after);
  if (status === 400 || status === 422) {
    if (/arrearage/i.test(x.code)) return make('arrearage', `${f.providerName}: the account is in arrears.`, { ...withUp, quota: true, actions: ['open_settings', 'switch_model'] });
    if (/stream=false|stream = false|enable thinking/i.test(x.message)) {
      return make('thinking_requires_stream', 'This thinking model only answers in streaming mode.', { ...withUp, actions: ['switch_model'] });
    }
    // Another provider or model may well answer the same question: offer that rather than nothing.
    if (MODERATION.test(`${x.code} ${x.type}`)) return make('content_filtered', 'The provider blocked the content (moderation).', { ...withUp, actions: ['switch_model'] });
    return make('bad_request', `${f.providerName} rejected the request.`, { ...withUp, actions: ['open_settings'] });
  }
  const wait = after !== undefined ? { retryAfterMs: after } : {};
  if (status === 502 || status === 504) {
    return make('bad_gateway', `A gateway in front of ${f.providerName} failed (HTTP ${status}).`, { ...withUp, retryable: true, ...wait, actions: ['retry'] });
  }
  if (status === 503 || /overloaded/i.test(x.message)) {
    return make('overloaded', `${f.providerName} is overloaded right now.`, {
      ...withUp,
      retryable: true,
      ...wait,
      actions: ['retry', 'switch_model'],
    });
  }
  if (status >= 500) {
    return make('server_error', `${f.providerName} had an internal error.`, { ...withUp, retryable: true, ...wait, actions: ['retry'] });
  }
  return make('bad_request', `${f.providerName} answered HTTP ${status}.`, { ...withUp, actions: ['open_settings'] });
}

/**
 * An error inside an SSE stream: `data: {"error":{…}}`, or an `event: error` whose data is the
 * error object itself (no wrapper). Only recognised signals get a specific message; anything else
 * is shown as the provider's own words, not guessed to be an internal error.
 */
export function mapStreamError(f: Omit<UpstreamFailure, 'status' | 'bodyText'>, errorObj: unknown): MappedError {
  const body = JSON.stringify({ error: errorObj });
  const x = extract(body);
  const text = `${x.code} ${x.type} ${x.message}`;
  const status = MODERATION.test(text) ? 400 : /limit|quota|throttl|arrearage/i.test(text) ? 429 : /overloaded/i.test(text) ? 503 : 0;
  const details = redact(`stream error${x.code ? ` ${x.code}` : ''}: ${x.message}`);
  if (status === 0) {
    const base = { providerId: f.providerId, params: { provider: f.providerName, model: f.modelId ?? '', upstream: redact(x.message || x.code) } };
    return { code: 'stream_error', message: `${f.providerName} ended the answer with an error.`, retryable: false, quota: false, keyRejected: false, details, actions: ['retry'], ...base };
  }
  const bodyText = MODERATION.test(text) ? JSON.stringify({ error: { ...x, code: 'data_inspection_failed' } }) : body;
  const { status: _httpStatus, ...mapped } = mapUpstreamError({ ...f, status, bodyText });
  // It arrived mid-stream: retrying would duplicate the partial answer.
  return { ...mapped, retryable: false, details };
}

/** What the renderer gets of a mapped error: the KaiwaError part, without retry bookkeeping. */
export function publicError(m: MappedError): KaiwaError {
  const { retryable: _r, quota: _q, keyRejected: _k, retryAfterMs: _a, ...rest } = m;
  return rest;
}
