import { describe, expect, it } from 'vitest';
import { csvCell, localDays, summarize, toCsv, zoneOffsetMs, type CallRow } from './aggregate.ts';

const row = (o: Partial<CallRow>): CallRow => ({
  ts: 0,
  providerId: 'wandb',
  modelId: 'm1',
  keyId: 'k1',
  kind: 'chat',
  status: 'ok',
  errorCode: null,
  httpStatus: 200,
  inputTokens: null,
  outputTokens: null,
  latencyMs: null,
  ttftMs: null,
  cost: null,
  conversationId: null,
  messageId: null,
  ...o,
});

describe('local days', () => {
  it('knows zone offsets, DST included', () => {
    expect(zoneOffsetMs(Date.parse('2025-01-15T12:00:00Z'), 'Asia/Shanghai')).toBe(8 * 3600_000);
    expect(zoneOffsetMs(Date.parse('2025-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * 3600_000);
    expect(zoneOffsetMs(Date.parse('2025-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * 3600_000);
    expect(zoneOffsetMs(Date.parse('2025-01-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3600_000);
  });

  it('starts each day at local midnight of the given zone, not the machine zone', () => {
    const now = Date.parse('2025-01-15T16:30:00Z'); // 00:30 on the 16th in Shanghai, still the 15th in UTC
    expect(localDays(now, 'Asia/Shanghai', 2)).toEqual([
      { day: '2025-01-15', start: Date.parse('2025-01-15T00:00:00+08:00') },
      { day: '2025-01-16', start: Date.parse('2025-01-16T00:00:00+08:00') },
    ]);
    expect(localDays(now, 'UTC', 1)).toEqual([{ day: '2025-01-15', start: Date.parse('2025-01-15T00:00:00Z') }]);
  });

  it('handles a 23-hour day (DST starts) and month boundaries', () => {
    const days = localDays(Date.parse('2025-03-10T12:00:00-04:00'), 'America/New_York', 3);
    expect(days.map((d) => d.day)).toEqual(['2025-03-08', '2025-03-09', '2025-03-10']);
    expect(days[1]!.start).toBe(Date.parse('2025-03-09T00:00:00-05:00'));
    expect(days[2]!.start).toBe(Date.parse('2025-03-10T00:00:00-04:00'));
    expect(days[2]!.start - days[1]!.start).toBe(23 * 3600_000);
    expect(localDays(Date.parse('2025-03-01T10:00:00Z'), 'UTC', 2).map((d) => d.day)).toEqual(['2025-02-28', '2025-03-01']);
  });
});

describe('summarize', () => {
  const tz = 'Asia/Tokyo';
  const now = Date.parse('2025-01-15T12:00:00+09:00');
  const day = (d: string, time = '10:00:00') => Date.parse(`2025-01-${d}T${time}+09:00`);
  const rows: CallRow[] = [
    row({ ts: day('05'), inputTokens: 999, outputTokens: 999, cost: 9 }), // outside 7 days, inside 30
    row({ ts: day('13'), modelId: 'm1', inputTokens: 100, outputTokens: 200, cost: 0.5, latencyMs: 1000, ttftMs: 100 }),
    row({ ts: day('14'), modelId: 'm2', inputTokens: 10, outputTokens: 20, cost: null, latencyMs: 3000, ttftMs: 300 }), // unpriced
    row({ ts: day('15', '00:10:00'), providerId: 'modelscope', modelId: 'q', status: 'error', httpStatus: 429, errorCode: 'quota_exceeded' }),
    row({ ts: day('15', '11:00:00'), providerId: 'modelscope', modelId: 'q', inputTokens: 5, outputTokens: 7, cost: null }),
    row({ ts: day('15', '11:30:00'), modelId: 'm1', inputTokens: 1, outputTokens: 2, cost: 0.25 }),
  ];

  it('totals today only for "today", but charts the whole week', () => {
    const s = summarize(rows.filter((r) => r.ts >= day('09', '00:00:00')), 'today', now, tz);
    expect(s.from).toBe(Date.parse('2025-01-15T00:00:00+09:00'));
    expect(s.totals).toMatchObject({ calls: 3, errors: 1, inputTokens: 6, outputTokens: 9, cost: 0.25, unpricedCalls: 1 });
    expect(s.days).toHaveLength(7);
    expect(s.days.map((d) => d.calls)).toEqual([0, 0, 0, 0, 1, 1, 3]);
    expect(s.days.at(-1)).toMatchObject({ day: '2025-01-15', errors: 1 });
  });

  it('splits per provider and per model; errors and unpriced calls stay visible', () => {
    const s = summarize(rows.slice(1), '7d', now, tz);
    expect(s.totals).toMatchObject({ calls: 5, errors: 1, inputTokens: 116, outputTokens: 229, cost: 0.75, unpricedCalls: 2, avgLatencyMs: 2000, avgTtftMs: 200 });
    expect(s.byProvider).toEqual([
      expect.objectContaining({ providerId: 'wandb', calls: 3, cost: 0.75, unpricedCalls: 1, inputTokens: 111 }),
      expect.objectContaining({ providerId: 'modelscope', calls: 2, errors: 1, cost: 0, unpricedCalls: 1 }),
    ]);
    expect(s.byModel.map((m) => [m.providerId, m.modelId, m.calls])).toEqual([
      ['modelscope', 'q', 2],
      ['wandb', 'm1', 2],
      ['wandb', 'm2', 1],
    ]);
    // The per-provider and per-model rows add up to the totals.
    const sum = (xs: { calls: number; inputTokens: number; outputTokens: number; cost: number; errors: number }[]) =>
      xs.reduce((a, x) => ({ calls: a.calls + x.calls, inputTokens: a.inputTokens + x.inputTokens, outputTokens: a.outputTokens + x.outputTokens, cost: a.cost + x.cost, errors: a.errors + x.errors }), { calls: 0, inputTokens: 0, outputTokens: 0, cost: 0, errors: 0 });
    const pick = ({ calls, inputTokens, outputTokens, cost, errors }: typeof s.totals) => ({ calls, inputTokens, outputTokens, cost, errors });
    expect(sum(s.byProvider)).toEqual(pick(s.totals));
    expect(sum(s.byModel)).toEqual(pick(s.totals));
  });

  it('covers 30 days', () => {
    const s = summarize(rows, '30d', now, tz);
    expect(s.days).toHaveLength(30);
    expect(s.days[0]!.day).toBe('2024-12-17');
    expect(s.totals.calls).toBe(6);
    expect(s.totals.cost).toBeCloseTo(9.75, 10);
  });
});

describe('CSV', () => {
  it('has a header and one parseable line per call', () => {
    const csv = toCsv([
      row({ ts: Date.parse('2025-01-15T01:02:03.004Z'), modelId: 'org/model,"v2"', inputTokens: 3, outputTokens: 4, cost: 0.000123, latencyMs: 50 }),
      row({ ts: Date.parse('2025-01-15T01:02:04Z'), status: 'error', errorCode: 'rate_limited', httpStatus: 429 }),
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('time,provider,model,key_id,kind,status,error_code,http_status,input_tokens,output_tokens,latency_ms,ttft_ms,cost_usd,conversation_id,message_id');
    expect(lines[1]).toBe('2025-01-15T01:02:03.004Z,wandb,"org/model,""v2""",k1,chat,ok,,200,3,4,50,,0.000123,,');
    expect(lines[2]).toBe('2025-01-15T01:02:04.000Z,wandb,m1,k1,chat,error,rate_limited,429,,,,,,,');
  });

  it('defuses text a spreadsheet would execute', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});
