// Cost and usage from real recorded calls: W&B's seed prices, a user price override, an unpriced
// ModelScope model, and the page's summary and CSV computed from the same rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerErrors } from '../../../test/fake-upstream/scenarios.ts';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { computeCost } from '../chat/service.ts';
import { manualClock, startTestKaiwa, type ManualClock, type TestKaiwa } from '../../../test/kaiwa.ts';

const WB_MODEL = 'Qwen/Qwen3-Coder-480B-A35B-Instruct'; // seed: $1 in, $1.5 out per 1M tokens
const MS_MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
const TZ = 'Asia/Shanghai';

let fake: FakeUpstream;
let k: TestKaiwa<ManualClock>;

beforeEach(async () => {
  fake = await FakeUpstream.start();
  k = startTestKaiwa({ clock: manualClock(Date.parse('2025-01-15T12:00:00+08:00')) });
  for (const id of ['wandb', 'modelscope']) await k.useProvider(id, { baseUrl: fake.baseUrl, maxRetries: 0, keys: `${id}-test-key-000001` });
});

afterEach(async () => {
  await k.close();
  await fake.close();
});

describe('cost', () => {
  it('is tokens × the price per 1M tokens, unknown without a price, never invented', () => {
    expect(computeCost({ promptTokens: 1_000_000, completionTokens: 2_000_000 }, { inputPrice: 1, outputPrice: 1.5 })).toBe(4);
    expect(computeCost({ promptTokens: 1200, completionTokens: 345 }, { inputPrice: 0.1, outputPrice: 0.1 })).toBeCloseTo(0.0001545, 12);
    expect(computeCost({ promptTokens: 10, completionTokens: 10 }, { inputPrice: null, outputPrice: null })).toBeNull();
    expect(computeCost({ promptTokens: 10, completionTokens: 10 }, { inputPrice: 1 })).toBeNull();
    expect(computeCost({ promptTokens: 10, completionTokens: 10 }, undefined)).toBeNull();
    expect(computeCost(null, { inputPrice: 1, outputPrice: 1 })).toBeNull();
  });

  it('is recorded per call from the registry price, including a user override', async () => {
    fake.enqueue({ kind: 'stream', content: ['a'], usage: { prompt: 1000, completion: 2000 } });
    const m1 = await k.ask('wandb', WB_MODEL);
    expect(m1.cost).toBeCloseTo((1000 * 1 + 2000 * 1.5) / 1e6, 12);

    // A price the user edited in settings (a model override) is the one used from then on.
    k.kaiwa.services.settings.update((s) => {
      s.providers.find((p) => p.id === 'wandb')!.modelOverrides[WB_MODEL] = { inputPrice: 2, outputPrice: 4 };
    });
    expect(k.kaiwa.services.registry.model('wandb', WB_MODEL)).toMatchObject({ inputPrice: 2, outputPrice: 4 });
    fake.enqueue({ kind: 'stream', content: ['b'], usage: { prompt: 500, completion: 250 } });
    const m2 = await k.ask('wandb', WB_MODEL);
    expect(m2.cost).toBeCloseTo((500 * 2 + 250 * 4) / 1e6, 12);

    fake.enqueue({ kind: 'stream', content: ['c'], usage: { prompt: 7, completion: 9 } });
    const m3 = await k.ask('modelscope', MS_MODEL);
    expect(m3.cost).toBeUndefined();

    const s = await k.call('usage.summary', { range: 'today', timeZone: TZ });
    expect(s.totals.cost).toBeCloseTo(m1.cost! + m2.cost!, 12);
    expect(s.totals.unpricedCalls).toBe(1);
  });
});

describe('usage summary and CSV', () => {
  it('add up what was sent, per provider and model, and the CSV has one row per call', async () => {
    const sent = [
      { p: 'wandb', m: WB_MODEL, prompt: 120, completion: 30 },
      { p: 'wandb', m: WB_MODEL, prompt: 80, completion: 70 },
      { p: 'modelscope', m: MS_MODEL, prompt: 40, completion: 60 },
    ];
    for (const x of sent) {
      fake.enqueue({ kind: 'stream', content: ['ok'], usage: { prompt: x.prompt, completion: x.completion } });
      await k.ask(x.p, x.m);
    }
    fake.enqueue(providerErrors.serverError());
    const failed = await k.ask('modelscope', MS_MODEL);
    expect(failed.status).toBe('error');
    // Yesterday's call is in the 7-day view only.
    k.clock.t -= 86_400_000;
    fake.enqueue({ kind: 'stream', content: ['old'], usage: { prompt: 1, completion: 1 } });
    await k.ask('wandb', WB_MODEL);
    k.clock.t += 86_400_000;

    const today = await k.call('usage.summary', { range: 'today', timeZone: TZ });
    expect(today.totals).toMatchObject({
      calls: 4,
      errors: 1,
      inputTokens: 240,
      outputTokens: 160,
      unpricedCalls: 1,
    });
    expect(today.totals.cost).toBeCloseTo(((120 + 80) * 1 + (30 + 70) * 1.5) / 1e6, 12);
    expect(today.byProvider.map((p) => [p.providerId, p.calls, p.errors])).toEqual([
      ['modelscope', 2, 1],
      ['wandb', 2, 0],
    ]);
    const week = await k.call('usage.summary', { range: '7d', timeZone: TZ });
    expect(week.totals.calls).toBe(5);
    expect(week.days.at(-1)).toMatchObject({ calls: 4, errors: 1 });
    expect(week.days.at(-2)).toMatchObject({ calls: 1, errors: 0 });

    const csv = await k.call('usage.exportCsv', { range: 'today', timeZone: TZ });
    expect(csv.rows).toBe(4);
    expect(csv.filename).toBe('kaiwa-usage-today-2025-01-15.csv');
    const lines = csv.csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(5);
    const head = lines[0]!.split(',');
    const recs = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
    expect(recs.map((r) => r['input_tokens'])).toEqual(['120', '80', '40', '']);
    expect(recs[3]).toMatchObject({ status: 'error', error_code: 'server_error', http_status: '500' });
    // Key ids only; never a key.
    expect(csv.csv).not.toContain('test-key');

    const bad = await k.kaiwa.dispatch('usage.summary', { range: 'today', timeZone: 'Mars/Olympus' });
    expect(bad.ok).toBe(false);
  });
});
