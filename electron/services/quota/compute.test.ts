import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../history/db.ts';
import {
  applyObservation,
  countsAgainstQuota,
  emptyRecord,
  pruneRecord,
  QUOTA_COUNTED_SQL,
  quotaView,
  readQuotaHeaders,
  resetWindow,
  type KeyRecord,
  type Observed,
  type ViewInput,
} from './compute.ts';

const iso = (s: string) => Date.parse(s);
/** A wall-clock time in Asia/Shanghai (UTC+8, no DST) as an instant. */
const shanghai = (wall: string) => Date.parse(`${wall}+08:00`);

const ZONES = ['UTC', 'Asia/Shanghai', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns'];
const savedTz = process.env['TZ'];
afterEach(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

describe('resetWindow (00:00 UTC+8)', () => {
  it('puts 23:59:30 and 00:00:30 Shanghai time in consecutive quota days, whatever the machine zone', () => {
    const offsets = new Set<number>();
    for (const tz of ZONES) {
      process.env['TZ'] = tz;
      // Proves the machine zone really changed for each pass (Node re-reads TZ).
      offsets.add(new Date(iso('2025-01-15T00:00:00Z')).getTimezoneOffset());
      const before = resetWindow(shanghai('2025-01-15T23:59:30'), 8);
      expect(before).toEqual({ start: shanghai('2025-01-15T00:00:00'), next: shanghai('2025-01-16T00:00:00') });
      expect(before.next).toBe(iso('2025-01-15T16:00:00Z'));
      expect(before.next - shanghai('2025-01-15T23:59:30')).toBe(30_000);
      const after = resetWindow(shanghai('2025-01-16T00:00:30'), 8);
      expect(after.start).toBe(before.next);
      expect(after.next - shanghai('2025-01-16T00:00:30')).toBe(24 * 3600_000 - 30_000);
    }
    expect(offsets.size).toBeGreaterThan(4);
  });

  it('starts the new day exactly at the boundary', () => {
    const midnight = shanghai('2025-03-01T00:00:00');
    expect(resetWindow(midnight, 8).start).toBe(midnight);
    expect(resetWindow(midnight - 1, 8).next).toBe(midnight);
  });

  it('honours other (also fractional and negative) offsets', () => {
    expect(resetWindow(iso('2025-01-15T12:00:00Z'), 0)).toEqual({ start: iso('2025-01-15T00:00:00Z'), next: iso('2025-01-16T00:00:00Z') });
    expect(resetWindow(iso('2025-01-15T12:00:00Z'), 5.5).start).toBe(iso('2025-01-14T18:30:00Z'));
    expect(resetWindow(iso('2025-01-15T03:00:00Z'), -5).start).toBe(iso('2025-01-14T05:00:00Z'));
  });
});

describe('readQuotaHeaders', () => {
  it('reads the account and model figures ModelScope sends', () => {
    const h = new Headers({
      'modelscope-ratelimit-requests-limit': '2000',
      'modelscope-ratelimit-requests-remaining': '1234',
      'modelscope-ratelimit-model-requests-limit': '500',
      'modelscope-ratelimit-model-requests-remaining': '77',
    });
    expect(readQuotaHeaders(h)).toEqual({ account: { limit: 2000, remaining: 1234 }, model: { limit: 500, remaining: 77 } });
  });

  it('returns null without headers and ignores incomplete or garbled pairs', () => {
    expect(readQuotaHeaders(null)).toBeNull();
    expect(readQuotaHeaders(new Headers({ 'content-type': 'text/event-stream' }))).toBeNull();
    expect(readQuotaHeaders(new Headers({ 'modelscope-ratelimit-requests-limit': '2000' }))).toBeNull();
    expect(readQuotaHeaders(new Headers({ 'modelscope-ratelimit-requests-limit': '2000', 'modelscope-ratelimit-requests-remaining': '-3' }))).toBeNull();
    expect(
      readQuotaHeaders(
        new Headers({
          'modelscope-ratelimit-requests-limit': 'lots',
          'modelscope-ratelimit-requests-remaining': '5',
          'modelscope-ratelimit-model-requests-limit': '100',
          'modelscope-ratelimit-model-requests-remaining': '9',
        }),
      ),
    ).toEqual({ model: { limit: 100, remaining: 9 } });
  });
});

describe('which calls count against the daily quota', () => {
  const cases: { kind: 'chat' | 'check'; httpStatus: number | null; counts: boolean }[] = [
    { kind: 'chat', httpStatus: 200, counts: true },
    { kind: 'check', httpStatus: 200, counts: true },
    { kind: 'chat', httpStatus: 500, counts: true },
    { kind: 'chat', httpStatus: 503, counts: true },
    { kind: 'chat', httpStatus: 429, counts: false },
    { kind: 'chat', httpStatus: 401, counts: false },
    { kind: 'chat', httpStatus: 400, counts: false },
    { kind: 'chat', httpStatus: 402, counts: false },
    { kind: 'chat', httpStatus: null, counts: false },
  ];

  it('agrees between the observer rule and the SQL used for the estimate', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(MIGRATIONS[0]!);
    const ins = db.prepare("INSERT INTO calls (id, ts, provider_id, model_id, key_id, kind, status, http_status) VALUES (?, 0, 'p', 'm', 'k', ?, 'ok', ?)");
    cases.forEach((c, i) => ins.run(`c${i}`, c.kind, c.httpStatus));
    const counted = (db.prepare(`SELECT id FROM calls WHERE ${QUOTA_COUNTED_SQL} ORDER BY id`).all() as { id: string }[]).map((r) => r.id);
    const expected = cases.flatMap((c, i) => (c.counts ? [`c${i}`] : [])).sort();
    expect(counted).toEqual(expected);
    for (const c of cases) expect(countsAgainstQuota(c)).toBe(c.counts);
    db.close();
  });
});

const NOW = shanghai('2025-01-15T12:00:00');
const settings = { dailyLimit: 2000, perModelLimit: null, resetUtcOffsetHours: 8 };
const input = (o: Partial<ViewInput> = {}): ViewInput => ({
  providerId: 'modelscope',
  kind: 'modelscope',
  modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507',
  keyId: 'k1',
  keyMasked: 'ms-…0001',
  keyCount: 1,
  now: NOW,
  settings,
  record: undefined,
  counted: { account: 0, model: 0 },
  ...o,
});
const obs = (o: Partial<Observed> = {}): Observed => ({
  at: NOW - 60_000,
  modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507',
  kind: 'chat',
  status: 'ok',
  httpStatus: 200,
  quotaError: false,
  headers: null,
  ...o,
});
const fold = (...o: Observed[]): KeyRecord => o.reduce(applyObservation, emptyRecord());

describe('quotaView', () => {
  it('shows the reported figures exactly when the last call carried headers', () => {
    const record = fold(obs({ headers: { account: { limit: 2000, remaining: 1234 }, model: { limit: 500, remaining: 77 } } }));
    const v = quotaView(input({ record, counted: { account: 3, model: 2 } }))!;
    expect(v.source).toBe('reported');
    expect(v.account).toEqual({ limit: 2000, remaining: 1234, used: 766 });
    expect(v.model).toEqual({ limit: 500, remaining: 77, used: 423 });
    expect(v.level).toBe('warning'); // the model is 84.6% used
    expect(v.resetAt).toBe(shanghai('2025-01-16T00:00:00'));
    expect(v.keyMasked).toBeNull(); // one key: no need to say which
  });

  it('estimates from the local count when the last call carried no headers', () => {
    const record = fold(obs({ headers: { account: { limit: 2000, remaining: 1000 } } }), obs({ at: NOW - 1000 }));
    const v = quotaView(input({ record, counted: { account: 12, model: 5 } }))!;
    expect(v.source).toBe('estimated');
    expect(v.account).toEqual({ limit: 2000, remaining: 1988, used: 12 });
    expect(v.model).toEqual({ limit: null, remaining: null, used: 5 });
    expect(v.level).toBe('ok');
    const perModel = quotaView(input({ settings: { ...settings, perModelLimit: 10 }, counted: { account: 12, model: 5 } }))!;
    expect(perModel.model).toEqual({ limit: 10, remaining: 5, used: 5 });
  });

  it('turns warning at 80% and critical at 95% used, exhausted at the limit', () => {
    const at = (used: number) => quotaView(input({ counted: { account: used, model: 0 } }))!.level;
    expect(at(1599)).toBe('ok');
    expect(at(1600)).toBe('warning');
    expect(at(1899)).toBe('warning');
    expect(at(1900)).toBe('critical');
    expect(at(2000)).toBe('exhausted');
    expect(quotaView(input({ counted: { account: 2400, model: 0 } }))!.account!.remaining).toBe(0);
  });

  it('is exhausted after a quota error, until the reset or a call that works', () => {
    const record = fold(obs(), obs({ at: NOW - 1000, status: 'error', httpStatus: 429, quotaError: true }));
    const v = quotaView(input({ record, counted: { account: 1, model: 1 } }))!;
    expect(v.exhausted).toBe(true);
    expect(v.level).toBe('exhausted');
    expect(v.source).toBe('estimated');
    // One call counted, but ModelScope refused: nothing is left, whatever the local count says.
    expect(v.account).toEqual({ limit: 2000, remaining: 0, used: 2000 });
    // Next quota day: the error belongs to yesterday.
    const tomorrow = quotaView(input({ record, now: shanghai('2025-01-16T00:00:30'), counted: { account: 0, model: 0 } }))!;
    expect(tomorrow.exhausted).toBe(false);
    expect(tomorrow.account).toEqual({ limit: 2000, remaining: 2000, used: 0 });
    // A later successful call shows the quota was back.
    const ok = quotaView(input({ record: applyObservation(record, obs({ at: NOW - 10 })), counted: { account: 2, model: 2 } }))!;
    expect(ok.exhausted).toBe(false);
  });

  it('reads remaining 0 in the headers as exhausted, and a model-only 429 only for that model', () => {
    const zero = fold(obs({ headers: { account: { limit: 2000, remaining: 0 } }, status: 'error', httpStatus: 429, quotaError: true }));
    expect(quotaView(input({ record: zero }))!.level).toBe('exhausted');
    const modelOnly = fold(
      obs({ status: 'error', httpStatus: 429, quotaError: true, headers: { account: { limit: 2000, remaining: 900 }, model: { limit: 100, remaining: 0 } } }),
    );
    const same = quotaView(input({ record: modelOnly }))!;
    expect(same.exhausted).toBe(true);
    expect(same.account!.remaining).toBe(900);
    expect(same.model!.remaining).toBe(0);
    const other = quotaView(input({ record: modelOnly, modelId: 'ZhipuAI/GLM-4.5' }))!;
    expect(other.exhausted).toBe(false);
    expect(other.account).toEqual({ limit: 2000, remaining: 900, used: 1100 });
  });

  it("forgets yesterday's report at the reset", () => {
    const record = fold(obs({ at: shanghai('2025-01-15T23:59:00'), headers: { account: { limit: 2000, remaining: 3 } } }));
    const before = quotaView(input({ record, now: shanghai('2025-01-15T23:59:30'), counted: { account: 1997, model: 0 } }))!;
    expect(before.source).toBe('reported');
    expect(before.account!.remaining).toBe(3);
    const after = quotaView(input({ record, now: shanghai('2025-01-16T00:00:30'), counted: { account: 0, model: 0 } }))!;
    expect(after.source).toBe('estimated');
    expect(after.account!.remaining).toBe(2000);
    expect(after.resetAt! - shanghai('2025-01-16T00:00:30')).toBe(24 * 3600_000 - 30_000);
    expect(pruneRecord(record, after.resetAt! - 24 * 3600_000)).toEqual(emptyRecord());
  });

  it('shows other providers only when their quota or credit is gone', () => {
    expect(quotaView(input({ kind: 'wandb', providerId: 'wandb' }))).toBeNull();
    const record = fold(obs({ status: 'error', httpStatus: 402, quotaError: true }));
    const v = quotaView(input({ kind: 'wandb', providerId: 'wandb', record }))!;
    expect(v).toMatchObject({ exhausted: true, level: 'exhausted', resetAt: null, account: null });
    // No daily reset for credit: still exhausted days later, until a call works.
    expect(quotaView(input({ kind: 'wandb', providerId: 'wandb', record, now: NOW + 5 * 86_400_000 }))!.exhausted).toBe(true);
    expect(quotaView(input({ kind: 'wandb', providerId: 'wandb', record: applyObservation(record, obs({ at: NOW })) }))).toBeNull();
  });

  it('names the key only when there are several', () => {
    expect(quotaView(input({ keyCount: 2 }))!.keyMasked).toBe('ms-…0001');
  });
});
