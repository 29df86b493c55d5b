// Pure quota arithmetic: reset windows, ModelScope's rate-limit headers, which calls count, and the
// view the meter shows. No clock, no I/O: every function takes `now` so tests can stand anywhere in
// time, independent of the machine's time zone.
import type { ProviderKind, QuotaFigure, QuotaView } from '../../contract/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The quota day containing `now`, for a reset at 00:00 in UTC+`offsetHours` (seeds: UTC+8). */
export function resetWindow(now: number, offsetHours: number): { start: number; next: number } {
  const shift = Math.round(offsetHours * HOUR);
  const start = Math.floor((now + shift) / DAY) * DAY - shift;
  return { start, next: start + DAY };
}

export interface Figure {
  limit: number;
  remaining: number;
}

export interface QuotaHeaders {
  account?: Figure;
  model?: Figure;
}

function int(h: Headers, name: string): number | null {
  const v = h.get(name);
  if (v === null || !/^\s*\d+\s*$/.test(v)) return null;
  return Number(v);
}

function pair(h: Headers, prefix: string): Figure | undefined {
  const limit = int(h, `${prefix}-limit`);
  const remaining = int(h, `${prefix}-remaining`);
  if (limit === null || remaining === null) return undefined;
  return { limit, remaining: Math.min(remaining, limit) };
}

/** ModelScope's per-day figures: account (`requests`) and this model (`model-requests`). */
export function readQuotaHeaders(h: Headers | null | undefined): QuotaHeaders | null {
  if (!h) return null;
  const account = pair(h, 'modelscope-ratelimit-requests');
  const model = pair(h, 'modelscope-ratelimit-model-requests');
  if (!account && !model) return null;
  return { ...(account ? { account } : {}), ...(model ? { model } : {}) };
}

/**
 * Whether an attempt used up one of the day's calls, for the local estimate. The provider counted
 * it if it accepted the request: any 2xx (also answers that were stopped or broke mid-stream), and
 * 5xx too — the request reached the model server, and over-counting only makes the estimate
 * cautious. Refused at the door (4xx: bad key, quota already gone, rate limit) or never sent
 * (no HTTP status) does not count. `QUOTA_COUNTED_SQL` is the same rule for the calls table.
 */
export function countsAgainstQuota(c: { kind: string; httpStatus: number | null }): boolean {
  if (c.kind !== 'chat' && c.kind !== 'check') return false;
  const s = c.httpStatus;
  return s !== null && ((s >= 200 && s < 300) || s >= 500);
}

export const QUOTA_COUNTED_SQL = "kind IN ('chat', 'check') AND http_status IS NOT NULL AND ((http_status >= 200 AND http_status < 300) OR http_status >= 500)";

interface Stamped extends Figure {
  at: number;
}

/** What we remember about one key (persisted, so a restart does not forget the last report). */
export interface KeyRecord {
  /** Latest account figures ModelScope reported. */
  account?: Stamped;
  /** Latest per-model figures, by model id. */
  models: Record<string, Stamped>;
  /** Latest counted call that carried no quota headers (overall and per model). */
  bareAt?: number;
  bareModelAt: Record<string, number>;
  /** Latest quota error (429 "Request limit exceeded.", 402, DashScope quota codes…); a call that works clears it. */
  exhausted?: { at: number; modelId: string; scope: 'account' | 'model' };
}

export const emptyRecord = (): KeyRecord => ({ models: {}, bareModelAt: {} });

export interface Observed {
  at: number;
  modelId: string;
  kind: 'chat' | 'check';
  status: 'ok' | 'error' | 'stopped';
  httpStatus: number | null;
  quotaError: boolean;
  headers: QuotaHeaders | null;
}

/** Folds one upstream attempt into the key's record (returns a new record). */
export function applyObservation(prev: KeyRecord, o: Observed): KeyRecord {
  const r: KeyRecord = { ...prev, models: { ...prev.models }, bareModelAt: { ...prev.bareModelAt } };
  if (o.headers) {
    if (o.headers.account) r.account = { ...o.headers.account, at: o.at };
    if (o.headers.model) r.models[o.modelId] = { ...o.headers.model, at: o.at };
  } else if (countsAgainstQuota(o)) {
    r.bareAt = o.at;
    r.bareModelAt[o.modelId] = o.at;
  }
  if (o.quotaError) {
    const modelOnly = o.headers?.model?.remaining === 0 && (o.headers.account?.remaining ?? 0) > 0;
    r.exhausted = { at: o.at, modelId: o.modelId, scope: modelOnly ? 'model' : 'account' };
  } else if (o.status === 'ok') {
    delete r.exhausted;
  }
  return r;
}

/** Drops what belongs to an earlier quota day, so the persisted file stays small. */
export function pruneRecord(r: KeyRecord, periodStart: number): KeyRecord {
  const keep = <T extends { at: number }>(x: T | undefined) => (x && x.at >= periodStart ? x : undefined);
  const models = Object.fromEntries(Object.entries(r.models).filter(([, f]) => f.at >= periodStart));
  const bareModelAt = Object.fromEntries(Object.entries(r.bareModelAt).filter(([, at]) => at >= periodStart));
  const out: KeyRecord = { models, bareModelAt };
  const account = keep(r.account);
  if (account) out.account = account;
  if (r.bareAt !== undefined && r.bareAt >= periodStart) out.bareAt = r.bareAt;
  const exhausted = keep(r.exhausted);
  if (exhausted) out.exhausted = exhausted;
  return out;
}

export interface EstimateSettings {
  dailyLimit: number;
  perModelLimit: number | null;
  resetUtcOffsetHours: number;
}

export interface ViewInput {
  providerId: string;
  kind: ProviderKind;
  modelId: string;
  keyId: string | null;
  keyMasked: string | null;
  keyCount: number;
  now: number;
  settings: EstimateSettings;
  record: KeyRecord | undefined;
  /** Counted calls with this key since the last reset: all models, and this model. */
  counted: { account: number; model: number };
}

const fig = (limit: number | null, remaining: number | null, used: number): QuotaFigure => ({ limit, remaining, used });

function fromReport(f: Figure): QuotaFigure {
  return fig(f.limit, f.remaining, Math.max(0, f.limit - f.remaining));
}

function fromCount(limit: number | null, used: number): QuotaFigure {
  return fig(limit, limit === null ? null : Math.max(0, limit - used), used);
}

export const WARNING_AT = 0.8;
export const CRITICAL_AT = 0.95;

function usedShare(f: QuotaFigure | null): number {
  if (!f || f.limit === null || f.limit <= 0) return 0;
  return f.used / f.limit;
}

/**
 * The meter's view for one provider/model/key. ModelScope: reported figures when the key's latest
 * call carried ModelScope's headers, else a local count against the configured free tier. Other
 * providers have no daily figures: only "exhausted" after a quota/credit error, until a call works.
 * Returns null when there is nothing to show.
 */
export function quotaView(i: ViewInput): QuotaView | null {
  const base = {
    providerId: i.providerId,
    kind: i.kind,
    modelId: i.modelId,
    keyId: i.keyId,
    keyMasked: i.keyCount > 1 ? i.keyMasked : null,
    now: i.now,
  };
  const r = i.record;
  const exhaustedLive = (since: number) => !!r?.exhausted && r.exhausted.at >= since;

  if (i.kind !== 'modelscope') {
    if (!exhaustedLive(-Infinity)) return null;
    return { ...base, source: 'reported', account: null, model: null, level: 'exhausted', exhausted: true, resetAt: null, reportedAt: r!.exhausted!.at };
  }

  const { start, next } = resetWindow(i.now, i.settings.resetUtcOffsetHours);
  const account = r?.account && r.account.at >= start ? r.account : undefined;
  const reported = !!account && account.at >= (r?.bareAt ?? -Infinity);
  let accountFig: QuotaFigure;
  let modelFig: QuotaFigure;
  if (reported) {
    accountFig = fromReport(account);
    const m = r!.models[i.modelId];
    const mFresh = m && m.at >= start && m.at >= (r!.bareModelAt[i.modelId] ?? -Infinity) ? m : undefined;
    modelFig = mFresh ? fromReport(mFresh) : fig(null, null, i.counted.model);
  } else {
    accountFig = fromCount(i.settings.dailyLimit, i.counted.account);
    modelFig = fromCount(i.settings.perModelLimit, i.counted.model);
  }

  const ex = exhaustedLive(start) ? r!.exhausted! : undefined;
  const exhaustedByError = !!ex && (ex.scope === 'account' || ex.modelId === i.modelId);
  // ModelScope said "Request limit exceeded": whatever was counted or reported before, none are left.
  const drained = (f: QuotaFigure): QuotaFigure => (f.limit === null ? f : fig(f.limit, 0, Math.max(f.used, f.limit)));
  if (ex?.scope === 'account') accountFig = drained(accountFig);
  if (exhaustedByError) modelFig = drained(modelFig);
  const exhausted = exhaustedByError || accountFig.remaining === 0 || modelFig.remaining === 0;
  const share = Math.max(usedShare(accountFig), usedShare(modelFig));
  const level = exhausted ? 'exhausted' : share >= CRITICAL_AT ? 'critical' : share >= WARNING_AT ? 'warning' : 'ok';
  return {
    ...base,
    source: reported ? 'reported' : 'estimated',
    account: accountFig,
    model: modelFig,
    level,
    exhausted,
    resetAt: next,
    reportedAt: reported ? account.at : null,
  };
}
