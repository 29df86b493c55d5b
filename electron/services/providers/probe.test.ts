// "Check" and "Fetch models" through the real composition root (contract validation, registry,
// vault, upstream client, history) against the fake upstream over loopback HTTP.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { providerErrors, streamOf } from '../../../test/fake-upstream/scenarios.ts';
import type { CheckResult } from '../../contract/index.ts';
import { DB_FILE } from '../history/db.ts';
import { startTestKaiwa, type TestKaiwa } from '../../../test/kaiwa.ts';

let fake: FakeUpstream;
let k: TestKaiwa;

beforeEach(async () => {
  fake = await FakeUpstream.start();
  k = startTestKaiwa();
});

afterEach(async () => {
  await k.close();
  await fake.close();
});

function calls(): { kind: string; status: string; error_code: string | null; provider_id: string; model_id: string; key_id: string | null }[] {
  const db = new DatabaseSync(join(k.dir, DB_FILE), { readOnly: true });
  try {
    return db.prepare('SELECT kind, status, error_code, provider_id, model_id, key_id FROM calls ORDER BY ts').all() as never;
  } finally {
    db.close();
  }
}

const pointAtFake = (id: string, keys: string) => k.useProvider(id, { baseUrl: fake.baseUrl, keys });

describe('providers.check', () => {
  it('sends one streaming 1-token chat call, reports success with latency and records it as a check', async () => {
    await pointAtFake('modelscope', 'ms-check-key-00000001');
    fake.enqueue({ ...streamOf('Hello'), flavor: 'modelscope' });
    const r: CheckResult = await k.call('providers.check', { id: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Thinking-2507' });
    expect(r).toMatchObject({ ok: true, modelId: 'Qwen/Qwen3-235B-A22B-Thinking-2507', key: 'ms-…0001' });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    const req = fake.chatRequests()[0]!;
    // Thinking models on ModelScope reject stream:false, so the check streams.
    expect(req.body).toMatchObject({ model: 'Qwen/Qwen3-235B-A22B-Thinking-2507', stream: true, max_tokens: 1 });
    expect(req.headers['authorization']).toBe('Bearer ms-check-key-00000001');
    const rows = calls();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'check', status: 'ok', provider_id: 'modelscope', error_code: null });
    expect(rows[0]!.key_id).toBe((await k.call('providers.list', {}))[0]!.keys[0]!.id);
  });

  it('uses the default model when none is given, else the first of the provider', async () => {
    await pointAtFake('modelscope', 'ms-check-key-00000001');
    await k.call('settings.update', { defaultModel: { providerId: 'modelscope', modelId: 'fake-model' } });
    expect((await k.call('providers.check', { id: 'modelscope' })).modelId).toBe('fake-model');
    await pointAtFake('wandb', 'wandb-check-key-000001');
    expect((await k.call('providers.check', { id: 'wandb' })).modelId).toBe('moonshotai/Kimi-K2-Instruct');
  });

  it('a rejected key: mapped error with the upstream text under details, the key marked failed, the call recorded', async () => {
    await pointAtFake('modelscope', 'ms-bad-key-000000001');
    fake.acceptKeys = ['something-else'];
    const r = await k.call('providers.check', { id: 'modelscope' });
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'auth_invalid_key', status: 401, actions: ['open_settings'] });
    expect(r.error!.details).toContain('valid ModelScope token');
    expect(JSON.stringify(r)).not.toContain('ms-bad-key-000000001');
    const key = (await k.call('providers.list', {}))[0]!.keys[0]!;
    expect(key.failure?.code).toBe('auth_invalid_key');
    expect(calls()[0]).toMatchObject({ kind: 'check', status: 'error', error_code: 'auth_invalid_key' });
    // A later successful check of that key clears the mark.
    fake.acceptKeys = ['ms-bad-key-000000001'];
    expect((await k.call('providers.check', { id: 'modelscope', keyId: key.id })).ok).toBe(true);
    expect((await k.call('providers.list', {}))[0]!.keys[0]!.failure).toBeUndefined();
  });

  it('times out with the provider timeout when the server never answers', async () => {
    await pointAtFake('modelscope', 'ms-slow-key-00000001');
    await k.call('providers.update', { id: 'modelscope', timeoutSec: 1 });
    fake.enqueue({ kind: 'hang' });
    const t0 = Date.now();
    const r = await k.call('providers.check', { id: 'modelscope' });
    expect(r.error?.code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(calls()[0]).toMatchObject({ status: 'error', error_code: 'timeout' });
  });

  it('times out when headers come but no event follows', async () => {
    await pointAtFake('modelscope', 'ms-slow-key-00000001');
    await k.call('providers.update', { id: 'modelscope', timeoutSec: 1 });
    fake.enqueue({ ...streamOf('never'), stallAfter: 0 });
    expect((await k.call('providers.check', { id: 'modelscope' })).error?.code).toBe('timeout');
  });

  it('maps DashScope region mismatch, W&B quota and an error sent inside the stream', async () => {
    await pointAtFake('dashscope', 'sk-dashscope-000000001');
    fake.enqueue(providerErrors.dashscopeInvalidKey());
    const ds = await k.call('providers.check', { id: 'dashscope' });
    expect(ds.error).toMatchObject({ code: 'auth_region_mismatch', actions: ['check_region', 'open_settings'] });

    await pointAtFake('wandb', 'wandb-key-0000000001');
    fake.enqueue(providerErrors.wandbQuota());
    expect((await k.call('providers.check', { id: 'wandb' })).error?.code).toBe('payment_required');

    fake.enqueue({ kind: 'stream', content: [], errorAfter: { chunks: 0, error: { code: 'data_inspection_failed', message: 'Input data may contain inappropriate content.' } } });
    // The first event is the role chunk, which is a valid answer: the check succeeds before the error.
    expect((await k.call('providers.check', { id: 'wandb' })).ok).toBe(true);
  });

  it('sends the W&B project as the OpenAI-Project header and custom headers as given', async () => {
    await pointAtFake('wandb', 'wandb-key-0000000001');
    await k.call('providers.update', { id: 'wandb', project: 'my-team/my-project', headers: { 'X-Trace': 'abc' } });
    expect((await k.call('providers.check', { id: 'wandb' })).ok).toBe(true);
    const h = fake.chatRequests()[0]!.headers;
    expect(h['openai-project']).toBe('my-team/my-project');
    expect(h['x-trace']).toBe('abc');
  });

  it('says "no key" without sending anything', async () => {
    await k.call('providers.update', { id: 'modelscope', baseUrl: fake.baseUrl });
    const r = await k.call('providers.check', { id: 'modelscope' });
    expect(r.error?.code).toBe('no_key');
    expect(fake.chatRequests()).toHaveLength(0);
    expect(calls()).toHaveLength(0);
  });

  it('a keyless custom provider sends no Authorization header', async () => {
    const p = await k.call('providers.add', { name: 'Local', baseUrl: fake.baseUrl, headers: { 'X-Team': 'kaiwa' } });
    await k.call('providers.addModel', { id: p.id, modelId: 'fake-model' });
    expect((await k.call('providers.check', { id: p.id })).ok).toBe(true);
    const h = fake.chatRequests()[0]!.headers;
    expect(h['authorization']).toBeUndefined();
    expect(h['x-team']).toBe('kaiwa');
  });
});

describe('providers.fetchModels', () => {
  it('merges GET /models into the list, marks new ones, works without a key on ModelScope', async () => {
    await k.call('providers.update', { id: 'modelscope', baseUrl: fake.baseUrl });
    fake.models = ['Qwen/Qwen3-235B-A22B-Instruct-2507', 'deepseek-ai/DeepSeek-V3.1', 'fake-model'];
    const r = await k.call('providers.fetchModels', { id: 'modelscope' });
    expect(r.added).toEqual(['deepseek-ai/DeepSeek-V3.1', 'fake-model']);
    expect(r.provider.models.filter((m) => m.isNew).map((m) => m.id)).toEqual(r.added);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models' });
    const again = await k.call('providers.fetchModels', { id: 'modelscope' });
    expect(again.added).toEqual([]);
  });

  it('other providers need a key first: "no key" is said without a request', async () => {
    await k.call('providers.update', { id: 'wandb', baseUrl: fake.baseUrl });
    expect((await k.failure('providers.fetchModels', { id: 'wandb' })).code).toBe('no_key');
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a failure (connection refused) to a clear error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await k.call('providers.update', { id: 'modelscope', baseUrl: `http://127.0.0.1:${port}/v1` });
    const e = await k.failure('providers.fetchModels', { id: 'modelscope' });
    expect(e.code).toBe('connection_refused');
    expect(e.actions).toContain('open_settings');
  });
});

describe('contract validation of the settings calls', () => {
  it('refuses secrets in headers with a clear code, and malformed header names at the boundary', async () => {
    expect((await k.failure('providers.update', { id: 'modelscope', headers: { Authorization: 'Bearer abc' } })).code).toBe('invalid_header');
    expect((await k.failure('providers.update', { id: 'modelscope', headers: { 'X-Api-Key': 'abc' }, publicHeaders: ['X-Api-Key'] })).code).toBe('invalid_header');
    expect((await k.failure('providers.update', { id: 'modelscope', headers: { 'bad name': 'x' } })).code).toBe('invalid_request');
    expect((await k.failure('providers.add', { name: 'x', baseUrl: 'file:///etc/passwd' })).code).toBe('invalid_request');
    expect((await k.failure('providers.addModel', { id: 'modelscope', modelId: 'has space' })).code).toBe('invalid_request');
  });

  it('refuses a base URL that carries credentials, saying where they belong, and changes nothing', async () => {
    for (const baseUrl of ['http://user:pass@127.0.0.1:18787/v1', 'https://key@api.example.com/v1', 'http://127.0.0.1:18787/v1?api_key=sk-abc', 'https://x.test/v1?KEY=abc', 'https://x.test/v1?access_token=abc', 'https://x.test/v1?x-api-key=1', 'https://x.test/v1?subscription-key=1']) {
      const e = await k.failure('providers.update', { id: 'modelscope', baseUrl });
      expect(e, baseUrl).toMatchObject({ code: 'invalid_base_url', params: { reason: baseUrl.includes('@') ? 'userinfo' : 'credentialParam' } });
      expect(e.message).toContain('API key field');
      expect((await k.failure('providers.add', { name: 'x', baseUrl })).code).toBe('invalid_base_url');
    }
    expect((await k.call('providers.list', {})).find((p) => p.id === 'modelscope')!.baseUrl).toBe('https://api-inference.modelscope.cn/v1');
    expect((await k.call('providers.list', {})).length).toBe(3);
    // Ordinary query parameters are fine (Azure-style API versions, for one).
    expect((await k.call('providers.update', { id: 'modelscope', baseUrl: 'https://x.test/openai/v1?api-version=2024-10-21' })).baseUrl).toBe('https://x.test/openai/v1?api-version=2024-10-21');
  });

  it('a hand-typed default model becomes part of the provider list', async () => {
    await k.call('settings.update', { defaultModel: { providerId: 'wandb', modelId: 'my/finetune' } });
    const wandb = (await k.call('providers.list', {})).find((p) => p.id === 'wandb')!;
    expect(wandb.models.at(-1)).toEqual({ id: 'my/finetune', source: 'manual' });
    expect((await k.failure('settings.update', { defaultModel: { providerId: 'nope', modelId: 'x' } })).code).toBe('not_found');
  });
});
