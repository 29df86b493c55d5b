// Number, money and countdown formatting shared by the quota meter and the Usage page.
import i18n from '../../i18n/index.ts';

export function formatInt(n: number): string {
  return new Intl.NumberFormat(i18n.language).format(n);
}

export function formatPercent(share: number): string {
  return new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** USD with enough digits that a tenth of a cent does not read as $0.00. */
export function formatCost(usd: number): string {
  const opts: Intl.NumberFormatOptions =
    usd === 0 || usd >= 0.01 ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : { maximumSignificantDigits: 3 };
  return new Intl.NumberFormat(i18n.language, { style: 'currency', currency: 'USD', ...opts }).format(usd);
}

/** hh:mm:ss, for a countdown. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** A clock time in the user's zone, e.g. the moment the quota resets. */
export function formatClock(at: number): string {
  return new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }).format(new Date(at));
}

export function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${formatInt(ms)} ms`;
}
