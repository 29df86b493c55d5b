// The Usage page's data: recorded upstream calls (the `calls` table, history/tables/calls.ts) summarized for a range of
// the user's days, and the same rows as CSV. "Today" comes from the platform clock.
import type { UsageRange, UsageSummary } from '../../contract/index.ts';
import type { CallLog } from '../history/tables/calls.ts';
import type { Clock } from '../platform.ts';
import { rangeBounds, summarize, toCsv } from './aggregate.ts';

export class UsageService {
  private readonly calls: CallLog;
  private readonly clock: Clock;

  constructor(calls: CallLog, clock: Clock) {
    this.calls = calls;
    this.clock = clock;
  }

  private rows(from: number) {
    return this.calls.since(from);
  }

  summary(range: UsageRange, timeZone: string): UsageSummary {
    const now = this.clock.now();
    const { days } = rangeBounds(range, now, timeZone);
    return summarize(this.rows(days[0]!.start), range, now, timeZone);
  }

  exportCsv(range: UsageRange, timeZone: string): { filename: string; csv: string; rows: number } {
    const now = this.clock.now();
    const { from, days } = rangeBounds(range, now, timeZone);
    const rows = this.rows(from);
    return { filename: `kaiwa-usage-${range}-${days[days.length - 1]!.day}.csv`, csv: toCsv(rows), rows: rows.length };
  }
}
