// The Usage page's data: recorded upstream calls (history `calls` table) summarized for a range of
// the user's days, and the same rows as CSV. "Today" comes from the platform clock.
import type { DatabaseSync } from 'node:sqlite';
import type { UsageRange, UsageSummary } from '../../contract/index.ts';
import type { Clock } from '../platform.ts';
import { rangeBounds, summarize, toCsv, type CallRow } from './aggregate.ts';

const SELECT = `SELECT ts, provider_id AS providerId, model_id AS modelId, key_id AS keyId, kind, status, error_code AS errorCode,
  http_status AS httpStatus, input_tokens AS inputTokens, output_tokens AS outputTokens, latency_ms AS latencyMs, ttft_ms AS ttftMs,
  cost, conversation_id AS conversationId, message_id AS messageId FROM calls WHERE ts >= ? ORDER BY ts, rowid`;

export class UsageService {
  private readonly db: DatabaseSync;
  private readonly clock: Clock;

  constructor(db: DatabaseSync, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  private rows(from: number): CallRow[] {
    return this.db.prepare(SELECT).all(from) as unknown as CallRow[];
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
