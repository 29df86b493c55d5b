// The one error mapping, case by case as the providers issue lists them, plus the guarantees the UI
// relies on: every code and action has a translation in every language, every upstream case offers
// an action, the raw upstream text is under details, and a key never survives into any field.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorAction, ErrorCode, type ProviderKind } from '../../contract/index.ts';
import { registerSecret } from '../log.ts';
import { mapStreamError, mapUpstreamError, type UpstreamFailure } from './errors.ts';

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

describe('the issue list, case by case', () => {
  const cases: [string, ReturnType<typeof at>, string, string | null][] = [
    ['401 bad key', at('modelscope', 401, { error: { message: 'Authentication failed, please make sure that a valid ModelScope token is supplied.' } }), 'auth_invalid_key', 'valid ModelScope token'],
    ['401 ModelScope unbound', at('modelscope', 401, { error: { message: 'Please bind your Alibaba Cloud account before use.' } }), 'auth_modelscope_unbound', 'bind your Alibaba Cloud account'],
    ['401 DashScope region', at('dashscope', 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }, request_id: 'r' }), 'auth_region_mismatch', 'invalid_api_key'],
    ['402 W&B quota', at('wandb', 402, { error: { message: 'You exceeded your current quota, please check your plan and billing details.' } }), 'payment_required', 'exceeded your current quota'],
    ['403 plan', at('custom', 403, { error: { message: 'Your plan does not include this model' } }), 'forbidden', 'plan does not include'],
    ['403 quota', at('custom', 403, { error: { message: 'Free tier quota exhausted' } }), 'quota_exceeded', 'quota exhausted'],
    ['400 DashScope arrearage', at('dashscope', 400, { error: { message: 'Access denied, please make sure your account is in good standing.', code: 'Arrearage' } }), 'arrearage', 'good standing'],
    ['404 unknown model', at('dashscope', 404, { error: { message: 'The model `qwen-x` does not exist.', code: 'model_not_found' } }), 'model_not_found', 'does not exist'],
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

describe('keys never appear in an error', () => {
  it('a stored key echoed by the upstream is redacted from message, details and params', () => {
    const key = 'ms-0123abcd-4567-89ef-0123-456789abcdef';
    registerSecret(key);
    const m = at('modelscope', 401, { error: { message: `Invalid token ${key} supplied` } });
    expect(JSON.stringify(m)).not.toContain(key);
    expect(m.details).toContain('[REDACTED]');
  });
  it('key-shaped strings are redacted even when not registered (sk-…, Bearer …)', () => {
    const m = at('custom', 401, { error: { message: 'Incorrect API key provided: sk-abcdefghijklmnop1234. Authorization: Bearer abcdefghijklmnop' } });
    expect(JSON.stringify(m)).not.toContain('sk-abcdefghijklmnop1234');
    expect(JSON.stringify(m)).not.toContain('Bearer abcdefghijklmnop');
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
