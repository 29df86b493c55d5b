// Pure usage arithmetic: local days in the user's time zone, totals per provider/model/day, CSV.
// Everything takes `now` and a time zone name, so tests do not depend on the machine's zone.
import type { UsageRange, UsageSummary, UsageTotals } from '../../contract/index.ts';
import type { CallRow } from '../history/tables/calls.ts';

export type { CallRow } from '../history/tables/calls.ts';

export const RANGE_DAYS: Record<UsageRange, number> = { today: 1, '7d': 7, '30d': 30 };
/** The chart shows at least a week, also when the totals are for today only. */
export const MIN_CHART_DAYS = 7;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(instant: number, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p['year']!, m: p['month']!, d: p['day']!, h: p['hour']! % 24, mi: p['minute']!, s: p['second']! };
}

/** The zone's UTC offset at `instant`, in ms (UTC+8 → 28,800,000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - whole;
}

/** The instant local midnight starts the given calendar day in the zone (DST-aware). */
function midnight(y: number, m: number, d: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d);
  const guess = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(guess, timeZone);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The last `days` local days up to and including today, oldest first. */
export function localDays(now: number, timeZone: string, days: number): { day: string; start: number }[] {
  const today = wallClock(now, timeZone);
  const out: { day: string; start: number }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(Date.UTC(today.y, today.m - 1, today.d - i));
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    out.push({ day: `${y}-${pad(m)}-${pad(d)}`, start: midnight(y, m, d, timeZone) });
  }
  return out;
}

function emptyTotals(): UsageTotals & { latencySum: number; latencyN: number; ttftSum: number; ttftN: number } {
  return { calls: 0, errors: 0, inputTokens: 0, outputTokens: 0, cost: 0, unpricedCalls: 0, avgLatencyMs: null, avgTtftMs: null, latencySum: 0, latencyN: 0, ttftSum: 0, ttftN: 0 };
}
type Acc = ReturnType<typeof emptyTotals>;

function add(t: Acc, r: CallRow): void {
  t.calls += 1;
  if (r.status === 'error') t.errors += 1;
  t.inputTokens += r.inputTokens ?? 0;
  t.outputTokens += r.outputTokens ?? 0;
  if (r.cost != null) t.cost += r.cost;
  // Tokens were used but the model has no price: the cost is unknown, and must not read as $0.
  else if ((r.inputTokens ?? 0) + (r.outputTokens ?? 0) > 0) t.unpricedCalls += 1;
  if (r.latencyMs != null) {
    t.latencySum += r.latencyMs;
    t.latencyN += 1;
  }
  if (r.ttftMs != null) {
    t.ttftSum += r.ttftMs;
    t.ttftN += 1;
  }
}

function finish(t: Acc): UsageTotals {
  const { latencySum, latencyN, ttftSum, ttftN, ...rest } = t;
  return { ...rest, avgLatencyMs: latencyN ? Math.round(latencySum / latencyN) : null, avgTtftMs: ttftN ? Math.round(ttftSum / ttftN) : null };
}

/** Start of the range and of the chart, for a query that fetches both at once. */
export function rangeBounds(range: UsageRange, now: number, timeZone: string): { from: number; days: { day: string; start: number }[] } {
  const n = RANGE_DAYS[range];
  const days = localDays(now, timeZone, Math.max(n, MIN_CHART_DAYS));
  return { from: days[days.length - n]!.start, days };
}

/** Totals, per provider, per model (for rows in the range) and calls per day (for the chart). */
export function summarize(rows: CallRow[], range: UsageRange, now: number, timeZone: string): UsageSummary {
  const { from, days } = rangeBounds(range, now, timeZone);
  const totals = emptyTotals();
  const byProvider = new Map<string, Acc>();
  const byModel = new Map<string, Acc & { providerId: string; modelId: string }>();
  const perDay = days.map((d) => ({ ...d, calls: 0, errors: 0 }));
  for (const r of rows) {
    // Rows are sorted by time; the chart may reach further back than the range.
    let i = perDay.length - 1;
    while (i > 0 && r.ts < perDay[i]!.start) i--;
    if (r.ts >= perDay[0]!.start) {
      perDay[i]!.calls += 1;
      if (r.status === 'error') perDay[i]!.errors += 1;
    }
    if (r.ts < from) continue;
    add(totals, r);
    let p = byProvider.get(r.providerId);
    if (!p) byProvider.set(r.providerId, (p = emptyTotals()));
    add(p, r);
    const mk = `${r.providerId}\u0000${r.modelId}`;
    let m = byModel.get(mk);
    if (!m) byModel.set(mk, (m = { ...emptyTotals(), providerId: r.providerId, modelId: r.modelId }));
    add(m, r);
  }
  const byCalls = (a: { calls: number; providerId: string; modelId?: string }, b: { calls: number; providerId: string; modelId?: string }) =>
    b.calls - a.calls || a.providerId.localeCompare(b.providerId) || (a.modelId ?? '').localeCompare(b.modelId ?? '');
  return {
    range,
    timeZone,
    from,
    to: now,
    totals: finish(totals),
    byProvider: [...byProvider].map(([providerId, t]) => ({ providerId, ...finish(t) })).sort(byCalls),
    byModel: [...byModel.values()].map(({ providerId, modelId, ...t }) => ({ providerId, modelId, ...finish(t) })).sort(byCalls),
    days: perDay,
  };
}

// -- CSV ---------------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  'time',
  'provider',
  'model',
  'key_id',
  'kind',
  'status',
  'error_code',
  'http_status',
  'input_tokens',
  'output_tokens',
  'latency_ms',
  'ttft_ms',
  'cost_usd',
  'conversation_id',
  'message_id',
] as const;

/** RFC 4180 quoting, and text that a spreadsheet would run as a formula is defused with a quote. */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: CallRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        new Date(r.ts).toISOString(),
        r.providerId,
        r.modelId,
        r.keyId,
        r.kind,
        r.status,
        r.errorCode,
        r.httpStatus,
        r.inputTokens,
        r.outputTokens,
        r.latencyMs,
        r.ttftMs,
        r.cost,
        r.conversationId,
        r.messageId,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
