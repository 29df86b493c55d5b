// The date/time tool: "now" on main's clock, told in the user's time zone (the renderer's `Intl`
// zone, stored with the conversation), so "what time is it" and "what day is it tomorrow" are right
// for the user, not for UTC.

export interface CurrentTime {
  /** ISO 8601 with the zone's UTC offset, e.g. 2025-03-01T09:30:00+09:00. */
  iso: string;
  local: string;
  weekday: string;
  timeZone: string;
  utcOffset: string;
  unixMs: number;
}

function validZone(tz: string | undefined): string {
  if (tz) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz;
    } catch {
      /* fall through to the host's zone */
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function currentTime(now: number, timeZone?: string): CurrentTime {
  const tz = validZone(timeZone);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'long',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(now))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const local = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
  // The offset is the difference between the wall clock there and UTC, to the minute.
  const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  const offsetMin = Math.round((wall - Math.floor(now / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const utcOffset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { iso: `${local.replace(' ', 'T')}${utcOffset}`, local, weekday: parts['weekday']!, timeZone: tz, utcOffset, unixMs: now };
}
