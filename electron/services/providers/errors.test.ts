// How upstream failures become the errors a user sees, case by case, against the scenarios the fake upstream sends.
// File length (~460 lines): one table of cases per status and cause, all over the same few helpers; split, the helpers would move out for tests only.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { providerErrors, type ErrorScenario } from '../../../test/fake-upstream/scenarios.ts';
import { ErrorAction, ErrorCode, type ProviderKind } from '../../contract/index.ts';
import { mapStreamError, mapUpstreamError, retryAfterMs, type MappedError, type UpstreamFailure } from './errors.ts';
import { testKey } from '../../../test/test-keys.ts';

const NAMES: Record<ProviderKind, string> = {
  modelscope: 'ModelScope',
  wandb: 'W&B Inference',
  dashscope: 'Alibaba Cloud Model Studio',
  custom: 'My server',
};

function fromHttp(kind: ProviderKind, status: number, body: unknown, headers?: Record<string, string> | Headers): MappedError {
  return mapUpstreamError({
    kind,
    providerId: kind,
    providerName: NAMES[kind],
    modelId: 'some/model',
    status,
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    ...(headers ? { headers } : {}),
  });
}

/** The same error as the fake upstream (and the real provider) sends it. */
function fromScenario(kind: ProviderKind, s: ErrorScenario): MappedError {
  return fromHttp(kind, s.status, s.body, s.headers);
}

function fromCause(cause: unknown, kind: ProviderKind = 'modelscope'): MappedError {
  return mapUpstreamError({ kind, providerId: kind, providerName: NAMES[kind], modelId: 'some/model', cause });
}

/** What Node's fetch throws for a socket-level failure: a TypeError whose cause carries the code. */
function nodeFetchError(code: string, message: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

describe('mapUpstreamError: HTTP errors', () => {
  it('ModelScope 401 (bad token) → auth_invalid_key, key rejected', () => {
    const e = fromScenario('modelscope', providerErrors.modelscopeBadToken());
    expect(e.code).toBe('auth_invalid_key');
    expect(e.keyRejected).toBe(true);
    expect(e.retryable).toBe(false);
    expect(e.quota).toBe(false);
    expect(e.status).toBe(401);
    expect(e.actions).toContain('open_settings');
    expect(e.params).toMatchObject({ provider: 'ModelScope' });
    expect(e.details).toContain('401');
    expect(e.details).toContain('Authentication failed');
  });

  it('ModelScope 401 "Please bind your Alibaba Cloud account before use." → auth_modelscope_unbound', () => {
    const e = fromScenario('modelscope', providerErrors.modelscopeUnbound());
    expect(e.code).toBe('auth_modelscope_unbound');
    expect(e.keyRejected).toBe(true);
    expect(e.retryable).toBe(false);
  });

  it('DashScope 401 invalid_api_key → auth_region_mismatch with check_region', () => {
    const e = fromScenario('dashscope', providerErrors.dashscopeInvalidKey());
    expect(e.code).toBe('auth_region_mismatch');
    expect(e.actions).toContain('check_region');
    expect(e.keyRejected).toBe(true);
    expect(e.details).toContain('invalid_api_key');
  });

  it('the same invalid_api_key from a provider without regions is a plain invalid key', () => {
    const e = fromScenario('wandb', providerErrors.dashscopeInvalidKey());
    expect(e.code).toBe('auth_invalid_key');
    expect(e.actions).not.toContain('check_region');
  });

  it('W&B 402 → payment_required, counts as quota, not retried', () => {
    const e = fromScenario('wandb', providerErrors.wandbQuota());
    expect(e.code).toBe('payment_required');
    expect(e.quota).toBe(true);
    expect(e.retryable).toBe(false);
    expect(e.actions).toContain('switch_model');
  });

  it('404 → model_not_found naming the model', () => {
    const e = fromHttp('custom', 404, { error: { message: 'The model `some/model` does not exist', code: 'model_not_found' } });
    expect(e.code).toBe('model_not_found');
    expect(e.params).toMatchObject({ model: 'some/model' });
    expect(e.message).toContain('some/model');
    expect(e.actions).toContain('switch_model');
  });

  it('a model_not_found code with another status is still a missing model (on DashScope: with the region hint)', () => {
    expect(fromHttp('custom', 400, { error: { message: 'Model not exist.', code: 'model_not_found' } }).code).toBe('model_not_found');
    expect(fromHttp('dashscope', 400, { error: { message: 'Model not exist.', code: 'model_not_found' } }).code).toBe('model_not_in_region');
  });

  it('ModelScope 429 {"errors":{"message":"Request limit exceeded."}} → quota_exceeded, never retried', () => {
    const e = fromHttp('modelscope', 429, { errors: { message: 'Request limit exceeded.' } });
    expect(e.code).toBe('quota_exceeded');
    expect(e.quota).toBe(true);
    expect(e.retryable).toBe(false);
    expect(e.retryAfterMs).toBeUndefined();
    expect(e.details).toContain('Request limit exceeded.');
  });

  it('ModelScope quota stays a non-retryable quota error even with a retry-after header', () => {
    const e = fromScenario('modelscope', providerErrors.modelscopeQuota({ 'retry-after': '1' }));
    expect(e.code).toBe('quota_exceeded');
    expect(e.retryable).toBe(false);
  });

  it('W&B 429 "Concurrency limit reached for requests" with retry-after: 2 → rate_limited, retried after 2000 ms', () => {
    const e = fromScenario('wandb', providerErrors.wandbConcurrency(2));
    expect(e.code).toBe('rate_limited');
    expect(e.retryable).toBe(true);
    expect(e.quota).toBe(false);
    expect(e.retryAfterMs).toBe(2000);
    expect(e.actions).toContain('retry');
  });

  it('retry-after-ms wins over retry-after', () => {
    const headers = { 'Retry-After': '5', 'retry-after-ms': '1500' };
    expect(fromHttp('wandb', 429, { error: { message: 'Concurrency limit reached for requests' } }, headers).retryAfterMs).toBe(1500);
    expect(fromHttp('wandb', 429, { error: { message: 'Too many requests' } }, new Headers(headers)).retryAfterMs).toBe(1500);
    expect(retryAfterMs({ 'retry-after': '5' })).toBe(5000);
  });

  it('retry-after as an HTTP date is the time until then', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'not a date' }, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('500 JSON → server_error, retryable', () => {
    const e = fromScenario('wandb', providerErrors.serverError());
    expect(e.code).toBe('server_error');
    expect(e.retryable).toBe(true);
  });

  it('500 HTML page → server_error whose details carry the page title, not HTML', () => {
    const page =
      '<!DOCTYPE html><html><head><title>Internal Server Error</title><style>body{color:red}</style>' +
      '<script>var secret=1</script></head><body><h1>Oops</h1><p>Something broke.</p></body></html>';
    const e = fromHttp('custom', 500, page);
    expect(e.code).toBe('server_error');
    expect(e.details).toContain('Internal Server Error');
    expect(e.details).not.toMatch(/[<>]/);
    expect(e.details).not.toContain('var secret');
  });

  it('502 HTML page from a proxy → bad_gateway whose details carry the title, not HTML', () => {
    const e = fromScenario('modelscope', providerErrors.proxyHtml502());
    expect(e.code).toBe('bad_gateway');
    expect(e.retryable).toBe(true);
    expect(e.details).toContain('502 Bad Gateway');
    expect(e.details).not.toMatch(/[<>]/);
    expect(JSON.stringify(e.params)).not.toMatch(/[<>]/);
  });

  it('an HTML page without a title is reduced to its text', () => {
    const e = fromHttp('custom', 504, '<html><body><h1>Gateway   Timeout</h1></body></html>');
    expect(e.code).toBe('bad_gateway');
    expect(e.details).toContain('Gateway Timeout');
    expect(e.details).not.toMatch(/[<>]/);
  });

  it('503 → overloaded, retryable, honouring retry-after', () => {
    const e = fromHttp('wandb', 503, providerErrors.wandbOverloaded().body, { 'retry-after': '3' });
    expect(e.code).toBe('overloaded');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(3000);
  });
});

describe('mapUpstreamError: network failures', () => {
  let server: Server | null = null;
  afterEach(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server!.close(() => r()));
      server = null;
    }
  });

  async function listen(handler: Parameters<typeof createServer>[1] = () => {}): Promise<number> {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return (server.address() as AddressInfo).port;
  }

  async function fetchError(url: string, init?: RequestInit): Promise<unknown> {
    try {
      await fetch(url, init);
    } catch (err) {
      return err;
    }
    throw new Error('fetch unexpectedly succeeded');
  }

  it('connection refused (a real closed loopback port) → connection_refused', async () => {
    const port = await listen();
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    const e = fromCause(await fetchError(`http://127.0.0.1:${port}/v1/chat/completions`));
    expect(e.code).toBe('connection_refused');
    expect(e.details).toContain('ECONNREFUSED');
    expect(e.actions).toEqual(expect.arrayContaining(['retry', 'open_settings']));
  });

  it('an unknown host → dns_failure', () => {
    const e = fromCause(nodeFetchError('ENOTFOUND', 'getaddrinfo ENOTFOUND api-inference.modelscope.invalid'));
    expect(e.code).toBe('dns_failure');
    expect(e.details).toContain('ENOTFOUND');
    expect(fromCause(nodeFetchError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN x')).code).toBe('dns_failure');
  });

  it('a TLS failure (https to a plain HTTP loopback server) → tls_failure', async () => {
    const port = await listen((_req, res) => res.end('plain'));
    const e = fromCause(await fetchError(`https://127.0.0.1:${port}/`));
    expect(e.code).toBe('tls_failure');
    expect(e.retryable).toBe(false);
  });

  it('a certificate error code → tls_failure', () => {
    const e = fromCause(nodeFetchError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'));
    expect(e.code).toBe('tls_failure');
  });

  it('ETIMEDOUT, a connect timeout and a fetch timeout → timeout', async () => {
    expect(fromCause(nodeFetchError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443')).code).toBe('timeout');
    expect(fromCause(nodeFetchError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')).code).toBe('timeout');
    const port = await listen(() => {
      /* never answers */
    });
    const real = await fetchError(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(50) });
    expect(fromCause(real).code).toBe('timeout');
  });

  it('a reset connection → network_down, retryable', () => {
    const e = fromCause(nodeFetchError('ECONNRESET', 'read ECONNRESET'));
    expect(e.code).toBe('network_down');
    expect(e.retryable).toBe(true);
  });
});

describe('mapUpstreamError: secrets in error bodies', () => {
  const KEY = testKey('sk-', 'abcdefghijklmnopqrstuv');
  const MS_KEY = testKey('ms-', '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d');

  const cases: [string, ProviderKind, number, unknown][] = [
    ['a 401 echoing the Authorization header', 'wandb', 401, { error: { message: `Invalid header Authorization: Bearer ${KEY}` } }],
    ['a 400 echoing the bearer token', 'custom', 400, { error: { message: `bad request for Bearer ${KEY}`, code: 'x' } }],
    ['a DashScope 401 naming the key', 'dashscope', 401, { error: { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' } }],
    ['a ModelScope 429 echoing a ModelScope token', 'modelscope', 429, { errors: { message: `Request limit exceeded for token ${MS_KEY}` } }],
    ['an HTML page with the key in its title', 'custom', 502, `<html><head><title>Bad key Bearer ${KEY}</title></head></html>`],
    ['a plain-text body with the key as JSON', 'custom', 500, `upstream said {"api_key": "${KEY}"}`],
  ];

  for (const [label, kind, status, body] of cases) {
    it(`never repeats the key: ${label}`, () => {
      const e = fromHttp(kind, status, body);
      const all = JSON.stringify(e);
      expect(all).not.toContain(KEY);
      expect(all).not.toContain(MS_KEY);
      expect(all).not.toContain('abcdefghijklmnopqrstuv');
      expect(e.details).toContain('[REDACTED]');
    });
  }

  it('never repeats a key that appears in a network error message', () => {
    const e = fromCause(nodeFetchError('ECONNRESET', `socket hang up (Authorization: Bearer ${KEY})`));
    expect(JSON.stringify(e)).not.toContain(KEY);
  });
});

describe('mapStreamError', () => {
  it('maps a mid-stream data_inspection_failed to content_filtered, never retryable', () => {
    const e = mapStreamError(
      { kind: 'dashscope', providerId: 'dashscope', providerName: NAMES.dashscope, modelId: 'qwen-plus' },
      { code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.', type: 'data_inspection_failed' },
    );
    expect(e.code).toBe('content_filtered');
    expect(e.retryable).toBe(false);
    expect(e.details).toContain('data_inspection_failed');
  });

  it('a mid-stream rate limit is not retried either (it would duplicate the partial answer)', () => {
    const e = mapStreamError({ kind: 'wandb', providerId: 'wandb', providerName: NAMES.wandb }, { message: 'Rate limit reached', code: 'rate_limit' });
    expect(e.code).toBe('rate_limited');
    expect(e.retryable).toBe(false);
  });
});

// ---- providers branch: the list as one table, and translations for every code ----

const localesDir = join(import.meta.dirname, '../../../renderer/src/i18n/locales');

function merged(lang: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const f of readdirSync(join(localesDir, lang))) Object.assign(out, JSON.parse(readFileSync(join(localesDir, lang, f), 'utf8')));
  return out;
}

const at = (kind: ProviderKind, status: number | undefined, body?: unknown, extra: Partial<UpstreamFailure> = {}) =>
  mapUpstreamError({
    kind,
    providerId: kind,
    providerName: kind === 'modelscope' ? 'ModelScope' : kind === 'wandb' ? 'W&B Inference' : kind === 'dashscope' ? 'Model Studio' : 'Local',
    modelId: 'm',
    ...(status !== undefined ? { status, bodyText: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    ...extra,
  });

const netError = (code: string, message = 'fetch failed') => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('the issue list, case by case (every case has an action and the raw text under details)', () => {
  const cases: [string, ReturnType<typeof at>, string, string | null][] = [
    ['401 bad key', at('modelscope', 401, { error: { message: 'Authentication failed, please make sure that a valid ModelScope token is supplied.' } }), 'auth_invalid_key', 'valid ModelScope token'],
    ['401 ModelScope unbound', at('modelscope', 401, { error: { message: 'Please bind your Alibaba Cloud account before use.' } }), 'auth_modelscope_unbound', 'bind your Alibaba Cloud account'],
    ['401 DashScope region', at('dashscope', 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }, request_id: 'r' }), 'auth_region_mismatch', 'invalid_api_key'],
    ['402 W&B quota', at('wandb', 402, { error: { message: 'You exceeded your current quota, please check your plan and billing details.' } }), 'payment_required', 'exceeded your current quota'],
    ['403 plan', at('custom', 403, { error: { message: 'Your plan does not include this model' } }), 'forbidden', 'plan does not include'],
    ['403 quota', at('custom', 403, { error: { message: 'Free tier quota exhausted' } }), 'quota_exceeded', 'quota exhausted'],
    ['400 DashScope arrearage', at('dashscope', 400, { error: { message: 'Access denied, please make sure your account is in good standing.', code: 'Arrearage' } }), 'arrearage', 'good standing'],
    ['404 unknown model', at('custom', 404, { error: { message: 'The model `qwen-x` does not exist.', code: 'model_not_found' } }), 'model_not_found', 'does not exist'],
    ['404 DashScope model not in the region', at('dashscope', 404, { error: { message: 'The model `qwen-x` does not exist.', code: 'model_not_found' } }), 'model_not_in_region', 'does not exist'],
    ['429 ModelScope quota', at('modelscope', 429, { errors: { message: 'Request limit exceeded.', request_id: 'r' } }), 'quota_exceeded', 'Request limit exceeded.'],
    ['429 W&B concurrency', at('wandb', 429, { error: { message: 'Concurrency limit reached for requests' } }), 'rate_limited', 'Concurrency limit'],
    ['429 DashScope limit_requests', at('dashscope', 429, { error: { message: 'Requests rate limit exceeded, please try again later.', code: 'limit_requests' } }), 'rate_limited', 'rate limit exceeded'],
    ['500', at('custom', 500, { error: { message: 'Internal server error' } }), 'server_error', 'Internal server error'],
    ['502 proxy HTML', at('custom', 502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'), 'bad_gateway', '502 Bad Gateway'],
    ['503 overloaded', at('wandb', 503, { error: { message: 'The engine is currently overloaded, please try again later' } }), 'overloaded', 'overloaded'],
    ['400 thinking needs stream', at('modelscope', 400, { error: { code: 'invalid_parameter_error', message: 'enable thinking can not be support when `stream=False`.' } }), 'thinking_requires_stream', 'stream=False'],
    ['network down', at('custom', undefined, undefined, { cause: netError('ECONNRESET', 'socket hang up') }), 'network_down', 'socket hang up'],
    ['connection refused', at('custom', undefined, undefined, { cause: netError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1') }), 'connection_refused', 'ECONNREFUSED'],
    ['dns', at('custom', undefined, undefined, { cause: netError('ENOTFOUND', 'getaddrinfo ENOTFOUND example.invalid') }), 'dns_failure', 'ENOTFOUND'],
    ['timeout', at('custom', undefined, undefined, { cause: Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' }) }), 'timeout', 'timed out'],
  ];

  it.each(cases)('%s → %s, with an action and the raw text under details', (_name, mapped, code, detail) => {
    expect(mapped.code).toBe(code);
    expect(mapped.actions?.length ?? 0).toBeGreaterThan(0);
    if (detail) expect(mapped.details).toContain(detail);
  });

  it('quota errors are never retried automatically; rate limits and overload are', () => {
    const byName = Object.fromEntries(cases.map(([n, m]) => [n, m]));
    expect(byName['429 ModelScope quota']).toMatchObject({ quota: true, retryable: false });
    expect(byName['402 W&B quota']).toMatchObject({ quota: true, retryable: false });
    expect(byName['429 W&B concurrency']).toMatchObject({ quota: false, retryable: true });
    expect(byName['503 overloaded']).toMatchObject({ retryable: true });
    expect(byName['401 bad key']).toMatchObject({ keyRejected: true, retryable: false });
  });

  it('a moderation error inside the stream is content_filtered', () => {
    const m = mapStreamError({ kind: 'dashscope', providerId: 'dashscope', providerName: 'Model Studio' }, { code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.' });
    expect(m.code).toBe('content_filtered');
    expect(m.details).toContain('inappropriate content');
  });
});

describe('translations', () => {
  const langs = ['en', 'ja', 'zh'];
  const en = merged('en');
  it.each(langs)('%s has a text for every error code, action and notice', (lang) => {
    const t = merged(lang);
    for (const code of ErrorCode.options) expect(t['errors']?.[code], `errors.${code} in ${lang}`).toBeTruthy();
    for (const a of ErrorAction.options) expect(t['actions']?.[a], `actions.${a} in ${lang}`).toBeTruthy();
    for (const n of Object.keys(en['notices'] ?? {})) expect(t['notices']?.[n], `notices.${n} in ${lang}`).toBeTruthy();
  });
  it.each(['ja', 'zh'])('%s error texts are translated, not English copies', (lang) => {
    const t = merged(lang);
    for (const code of ErrorCode.options) expect(t['errors']![code], `errors.${code} in ${lang}`).not.toBe(en['errors']![code]);
  });
  it('every key of the settings locale exists in all languages', () => {
    const flat = (o: unknown, p = ''): string[] =>
      typeof o === 'object' && o ? Object.entries(o).flatMap(([k, v]) => flat(v, p ? `${p}.${k}` : k)) : [p];
    const enKeys = flat(JSON.parse(readFileSync(join(localesDir, 'en', 'settings.json'), 'utf8'))).sort();
    for (const lang of ['ja', 'zh']) {
      expect(flat(JSON.parse(readFileSync(join(localesDir, lang, 'settings.json'), 'utf8'))).sort()).toEqual(enKeys);
    }
  });
});

// ---- wire defects found by running Kaiwa against an independent fake upstream ----

const ms = (status: number, body: unknown, headers?: Record<string, string>) => fromHttp('modelscope', status, body, headers);

describe('429: only a documented quota signal is a quota error', () => {
  it('DashScope Throttling.AllocationQuota is a (per-minute) rate limit: retried, Retry offered, key not failed', () => {
    const e = fromHttp('dashscope', 429, { error: { message: 'Allocated quota exceeded, please increase your quota limit.', type: 'Throttling.AllocationQuota', code: 'Throttling.AllocationQuota' } }, { 'retry-after': '3' });
    expect(e).toMatchObject({ code: 'rate_limited', quota: false, keyRejected: false, retryable: true, retryAfterMs: 3000 });
    expect(e.actions).toEqual(['retry']);
  });

  it('ModelScope burst "increased too quickly" is a short rate limit, not the daily quota', () => {
    const e = ms(429, { errors: { message: 'Request rate increased too quickly. To ensure system stability, please adjust your client logic.' } });
    expect(e).toMatchObject({ code: 'rate_limited', quota: false, retryable: true });
    expect(e.retryAfterMs).toBeLessThanOrEqual(5000);
  });

  it('ModelScope "Request limit exceeded" while the headers still show calls left is a rate limit', () => {
    const e = ms(429, { errors: { message: 'Request limit exceeded.' } }, { 'modelscope-ratelimit-requests-remaining': '120', 'modelscope-ratelimit-requests-limit': '2000' });
    expect(e.code).toBe('rate_limited');
  });

  it('ModelScope "Request limit exceeded" with remaining 0 is the daily quota', () => {
    const e = ms(429, { errors: { message: 'Request limit exceeded.' } }, { 'modelscope-ratelimit-requests-remaining': '0', 'modelscope-ratelimit-requests-limit': '2000' });
    expect(e).toMatchObject({ code: 'quota_exceeded', quota: true, retryable: false });
  });
});

describe('404: a wrong base path is not an unknown model', () => {
  it.each([
    ['an empty body', ''],
    ['an HTML page', '<html><head><title>404 Not Found</title></head><body>nginx</body></html>'],
    ['FastAPI default', { detail: 'Not Found' }],
  ])('%s → endpoint_not_found with settings as the fix', (_n, body) => {
    const e = fromHttp('custom', 404, body);
    expect(e.code).toBe('endpoint_not_found');
    expect(e.actions).toEqual(['open_settings']);
  });

  it('a DashScope model missing in the region → model_not_in_region with Switch model and Check the region', () => {
    const e = fromHttp('dashscope', 404, { error: { message: 'The model `qwen3-max` does not exist or you do not have access to it.', code: 'model_not_found' } });
    expect(e.code).toBe('model_not_in_region');
    expect(e.actions).toEqual(['switch_model', 'check_region']);
  });
});

describe('moderation in either spelling', () => {
  it('DataInspectionFailed before streaming → content_filtered with Switch model', () => {
    const e = fromHttp('dashscope', 400, { error: { message: 'Input data may contain inappropriate content.', type: 'DataInspectionFailed', code: 'DataInspectionFailed' } });
    expect(e.code).toBe('content_filtered');
    expect(e.actions).toEqual(['switch_model']);
  });

  it('DataInspectionFailed mid-stream → content_filtered, not an internal error', () => {
    const e = mapStreamError({ kind: 'dashscope', providerId: 'dashscope', providerName: 'Model Studio' }, { code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' });
    expect(e.code).toBe('content_filtered');
  });

  it('an unknown mid-stream error shows the provider’s words instead of "internal error"', () => {
    const e = mapStreamError({ kind: 'custom', providerId: 'c', providerName: 'Local' }, { message: 'context window exceeded while decoding', code: 'decode_failed' });
    expect(e.code).toBe('stream_error');
    expect(e.params).toMatchObject({ upstream: 'context window exceeded while decoding' });
    expect(e.actions).toEqual(['retry']);
  });
});

describe('retry-after on every retryable status', () => {
  it.each([500, 502, 503, 504])('%i honours retry-after', (status) => {
    const e = fromHttp('custom', status, { error: { message: 'try later' } }, { 'retry-after': '2' });
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(2000);
  });
});
