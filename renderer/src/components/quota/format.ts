// Number, money and countdown formatting shared by the quota meter and the Usage page.
import i18n from '../../i18n/index.ts';

// Building an Intl formatter costs around a millisecond (locale data is resolved each time); the
// meter re-renders once a second for its countdown and the Usage page formats every cell, so each
// formatter is built once per language and kind.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(kind: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${i18n.language}|n|${kind}`;
  let f = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(i18n.language, opts)));
  return f;
}

function dateFormat(kind: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${i18n.language}|d|${kind}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(i18n.language, opts)));
  return f;
}

export function formatInt(n: number): string {
  return numberFormat('int', {}).format(n);
}

export function formatPercent(share: number): string {
  return numberFormat('percent', { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** USD with enough digits that a tenth of a cent does not read as $0.00. */
export function formatCost(usd: number): string {
  const cents = usd === 0 || usd >= 0.01;
  const opts: Intl.NumberFormatOptions = cents ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : { maximumSignificantDigits: 3 };
  return numberFormat(cents ? 'usd' : 'usd-small', { style: 'currency', currency: 'USD', ...opts }).format(usd);
}

/** hh:mm:ss, for a countdown. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** A clock time in the user's zone, e.g. the moment the quota resets. */
export function formatClock(at: number): string {
  const when = new Date(at);
  // A formatter keeps the time zone it was built in; keyed by the UTC offset at that moment, a change
  // of zone (travel, DST) gets a new one, and equal offsets give the same hh:mm anyway.
  return dateFormat(`clock${when.getTimezoneOffset()}`, { hour: '2-digit', minute: '2-digit' }).format(when);
}

/** A day (YYYY-MM-DD, UTC) as a short label, e.g. "Dec 3". */
export function formatDay(day: string): string {
  return dateFormat('day', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${formatInt(ms)} ms`;
}
