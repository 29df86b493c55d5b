import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerErrors } from '../../../test/fake-upstream/scenarios.ts';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { QUOTA_STATE_FILE } from './service.ts';
import { manualClock, startTestKaiwa, type ManualClock, type TestKaiwa } from '../../../test/kaiwa.ts';

const shanghai = (wall: string) => Date.parse(`${wall}+08:00`);
const MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
const quotaHeaders = (account: number, model: number) => ({
  'modelscope-ratelimit-requests-limit': '2000',
  'modelscope-ratelimit-requests-remaining': String(account),
  'modelscope-ratelimit-model-requests-limit': '500',
  'modelscope-ratelimit-model-requests-remaining': String(model),
});

let fake: FakeUpstream;
let k: TestKaiwa<ManualClock>;

beforeEach(async () => {
  fake = await FakeUpstream.start();
  k = startTestKaiwa({ clock: manualClock(shanghai('2025-01-15T10:00:00')) });
  await k.useProvider('modelscope', { baseUrl: fake.baseUrl, maxRetries: 2, keys: 'ms-key-aaaa-0001\nms-key-bbbb-0002' });
});

afterEach(async () => {
  await k.close();
  await fake.close();
});

const changed = () => k.events.filter((e) => e.name === 'quota.changed').map((e) => e.payload);

describe('QuotaService with real calls', () => {
  it('shows what the headers report, per call, and remembers it across a restart', async () => {
    fake.enqueue({ kind: 'stream', content: ['a'], headers: quotaHeaders(1234, 321) });
    await k.ask('modelscope', MODEL);
    const v1 = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(v1.source).toBe('reported');
    expect(v1.account).toEqual({ limit: 2000, remaining: 1234, used: 766 });
    expect(v1.model).toEqual({ limit: 500, remaining: 321, used: 179 });
    // Two keys: the meter says which one, masked.
    expect(v1.keyMasked).toBe('ms-…0001');
    expect(changed()).toContainEqual({ providerId: 'modelscope', keyId: v1.keyId, reason: 'call' });

    fake.enqueue({ kind: 'stream', content: ['b'], headers: quotaHeaders(1233, 320) });
    await k.ask('modelscope', MODEL);
    const v2 = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(v2.account!.remaining).toBe(1233);
    expect(v2.model!.remaining).toBe(320);

    // The persisted state is keyed by key id and holds no key material.
    const file = readFileSync(join(k.dir, QUOTA_STATE_FILE), 'utf8');
    expect(file).toContain(v1.keyId!);
    expect(file).not.toContain('ms-key-aaaa-0001');

    await k.restart();
    const v3 = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(v3).toMatchObject({ source: 'reported', account: { remaining: 1233 } });
  });

  it('estimates by counting calls per key, and resets at 00:00 UTC+8', async () => {
    k.clock.t = shanghai('2025-01-15T23:59:00');
    await k.ask('modelscope', MODEL);
    await k.ask('modelscope', 'ZhipuAI/GLM-4.5');
    const v = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(v).toMatchObject({ source: 'estimated', account: { limit: 2000, remaining: 1998, used: 2 }, model: { used: 1, limit: null } });
    expect(v.resetAt! - v.now).toBe(60_000);

    k.kaiwa.services.quota.tick();
    expect(changed().filter((c) => (c as { reason: string }).reason === 'reset')).toHaveLength(0);
    k.clock.t = shanghai('2025-01-16T00:00:30');
    k.kaiwa.services.quota.tick();
    expect(changed()).toContainEqual({ providerId: null, keyId: null, reason: 'reset' });
    const after = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(after.account).toEqual({ limit: 2000, remaining: 2000, used: 0 });
    expect(after.resetAt! - after.now).toBe(24 * 3600_000 - 30_000);
  });

  it('uses the editable free tier for the estimate', async () => {
    await k.ask('modelscope', MODEL);
    await k.call('quota.updateSettings', { dailyLimit: 5, perModelLimit: 2, resetUtcOffsetHours: 0 });
    const v = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(v.account).toEqual({ limit: 5, remaining: 4, used: 1 });
    expect(v.model).toEqual({ limit: 2, remaining: 1, used: 1 });
    expect(v.resetAt).toBe(Date.parse('2025-01-16T00:00:00Z'));
    expect(changed()).toContainEqual({ providerId: null, keyId: null, reason: 'settings' });
    expect(await k.call('quota.getSettings', {})).toEqual({ dailyLimit: 5, perModelLimit: 2, resetUtcOffsetHours: 0 });
    const bad = await k.kaiwa.dispatch('quota.updateSettings', { dailyLimit: -1 });
    expect(bad.ok).toBe(false);
  });

  it('never retries a quota 429, marks that key exhausted and moves on to the next key', async () => {
    await k.ask('modelscope', MODEL);
    const first = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    fake.reset();
    fake.enqueue(providerErrors.modelscopeQuota());
    const msg = await k.ask('modelscope', MODEL);
    expect(msg.status).toBe('error');
    expect(msg.error).toMatchObject({ code: 'quota_exceeded', actions: ['switch_model'] });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.chatRequests()).toHaveLength(1);
    expect(k.events.some((e) => e.name === 'stream.status' && (e.payload as { state: string }).state === 'retrying')).toBe(false);

    // The next call goes out with the second key, whose meter starts fresh; the first key is exhausted.
    const next = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(next.keyId).not.toBe(first.keyId);
    expect(next).toMatchObject({ exhausted: false, account: { used: 0 } });
    await k.call('providers.setKeys', { id: 'modelscope', keys: 'ms-key-aaaa-0001' });
    const only = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(only.keyId).toBe(first.keyId);
    expect(only).toMatchObject({ exhausted: true, level: 'exhausted', account: { limit: 2000, remaining: 0 } });
  });

  it('marks W&B exhausted on 402 and shows nothing for it otherwise', async () => {
    await k.call('providers.update', { id: 'wandb', baseUrl: fake.baseUrl });
    await k.call('providers.setKeys', { id: 'wandb', keys: 'wandb-key-0000000001' });
    const model = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
    expect(await k.call('quota.get', { providerId: 'wandb', modelId: model })).toBeNull();
    fake.enqueue(providerErrors.wandbQuota());
    const msg = await k.ask('wandb', model);
    expect(msg.error).toMatchObject({ code: 'payment_required' });
    expect(msg.error!.actions).toContain('switch_model');
    expect(fake.chatRequests()).toHaveLength(1);
    expect(await k.call('quota.get', { providerId: 'wandb', modelId: model })).toMatchObject({ exhausted: true, resetAt: null });
  });

  it('returns null when the provider has no key', async () => {
    expect(await k.call('quota.get', { providerId: 'dashscope', modelId: 'qwen-plus' })).toBeNull();
  });
});

describe('several ModelScope tokens', () => {
  it('the next call uses a token with calls left; the view lists each token; the next day the first is used again', async () => {
    fake.enqueue({ kind: 'stream', content: ['a'], headers: quotaHeaders(0, 0) });
    await k.ask('modelscope', MODEL);
    const v = (await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!;
    expect(v.keyMasked).toBe('ms-…0002');
    expect(v.keys!.map((x) => [x.keyMasked, x.exhausted, x.next, x.account?.remaining])).toEqual([
      ['ms-…0001', true, false, 0],
      ['ms-…0002', false, true, 2000],
    ]);
    fake.enqueue({ kind: 'stream', content: ['b'], headers: quotaHeaders(1999, 499) });
    await k.ask('modelscope', MODEL);
    expect(fake.chatRequests().map((r) => r.headers['authorization'])).toEqual(['Bearer ms-key-aaaa-0001', 'Bearer ms-key-bbbb-0002']);

    // After the reset both have calls again: the first in the list is preferred.
    k.clock.t = shanghai('2025-01-16T00:00:01');
    k.kaiwa.services.quota.tick();
    expect((await k.call('quota.get', { providerId: 'modelscope', modelId: MODEL }))!.keyMasked).toBe('ms-…0001');
  });

  it('a token saved for another site is never chosen: the token pasted for the new site is sent', async () => {
    // The base URL moves to another origin (the other site): both tokens stay, detached, and a token
    // for the new address is pasted. The next call uses it instead of waiting on a detached one.
    const other = await FakeUpstream.start();
    try {
      await k.call('providers.update', { id: 'modelscope', baseUrl: other.baseUrl });
      await k.call('providers.setKeys', { id: 'modelscope', keys: 'ms-key-cccc-0003', mode: 'append' });
      other.enqueue({ kind: 'stream', content: ['c'] });
      const m = await k.ask('modelscope', MODEL);
      expect(m.status).toBe('done');
      expect(other.chatRequests().map((r) => r.headers['authorization'])).toEqual(['Bearer ms-key-cccc-0003']);
      expect(fake.chatRequests()).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
