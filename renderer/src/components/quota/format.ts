// Number, money and countdown formatting shared by the quota meter and the Usage page.
import i18n from '../../i18n/index.ts';

// Building an Intl formatter costs around a millisecond (locale data is resolved each time); the
// meter re-renders once a second for its countdown and the Usage page formats every cell, so each
// formatter is built once per language and kind.
const formatters = new Map<string, unknown>();

function cached<F>(kind: string, make: (language: string) => F): F {
  const key = `${i18n.language}|${kind}`;
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = make(i18n.language)));
  return f;
}

export function formatInt(n: number): string {
  return cached('int', (l) => new Intl.NumberFormat(l)).format(n);
}

export function formatPercent(share: number): string {
  return cached('percent', (l) => new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 })).format(share);
}

/** USD with enough digits that a tenth of a cent does not read as $0.00. */
export function formatCost(usd: number): string {
  const cents = usd === 0 || usd >= 0.01;
  const digits: Intl.NumberFormatOptions = cents ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : { maximumSignificantDigits: 3 };
  return cached(cents ? 'usd' : 'usd-small', (l) => new Intl.NumberFormat(l, { style: 'currency', currency: 'USD', ...digits })).format(usd);
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
  return cached(`clock${when.getTimezoneOffset()}`, (l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' })).format(when);
}

/** A day (YYYY-MM-DD, UTC) as a short label, e.g. "Dec 3". */
export function formatDay(day: string): string {
  return cached('day', (l) => new Intl.DateTimeFormat(l, { month: 'short', day: 'numeric', timeZone: 'UTC' })).format(new Date(`${day}T00:00:00Z`));
}

export function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${formatInt(ms)} ms`;
}
