// The `calls` table: one row per upstream call (chat answers and "Check"), which the usage page
// sums and the quota estimate counts. It belongs to usage: the usage recorder writes it, the usage
// and quota services read it, and nothing else does.
import { newId } from '../../util/ids.ts';
import type { Statements } from './sql.ts';

export interface CallRecord {
  ts: number;
  providerId: string;
  modelId: string;
  keyId: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  kind?: 'chat' | 'check';
  status: 'ok' | 'error' | 'stopped';
  errorCode?: string | null;
  httpStatus?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  cost?: number | null;
}

/** A recorded call as the usage page reads it. */
export interface CallRow {
  ts: number;
  providerId: string;
  modelId: string;
  keyId: string | null;
  kind: string;
  status: string;
  errorCode: string | null;
  httpStatus: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  cost: number | null;
  conversationId: string | null;
  messageId: string | null;
}

const SELECT_SINCE = `SELECT ts, provider_id AS providerId, model_id AS modelId, key_id AS keyId, kind, status, error_code AS errorCode,
  http_status AS httpStatus, input_tokens AS inputTokens, output_tokens AS outputTokens, latency_ms AS latencyMs, ttft_ms AS ttftMs,
  cost, conversation_id AS conversationId, message_id AS messageId FROM calls WHERE ts >= ? ORDER BY ts, rowid`;

/** The calls table, over the history database. */
export class CallLog {
  private readonly s: Statements;

  constructor(s: Statements) {
    this.s = s;
  }

  record(c: CallRecord): string {
    const id = newId('u');
    this.s
      .q(
        `INSERT INTO calls (id, ts, provider_id, model_id, key_id, conversation_id, message_id, kind, status, error_code, http_status,
           input_tokens, output_tokens, latency_ms, ttft_ms, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        c.ts,
        c.providerId,
        c.modelId,
        c.keyId,
        c.conversationId ?? null,
        c.messageId ?? null,
        c.kind ?? 'chat',
        c.status,
        c.errorCode ?? null,
        c.httpStatus ?? null,
        c.inputTokens ?? null,
        c.outputTokens ?? null,
        c.latencyMs ?? null,
        c.ttftMs ?? null,
        c.cost ?? null,
      );
    return id;
  }

  /** Every call from `from` on, oldest first. */
  since(from: number): CallRow[] {
    return this.s.q(SELECT_SINCE).all(from) as unknown as CallRow[];
  }

  /**
   * Calls with one key in [from, to) that count against a quota (`countedSql`, the quota rule as
   * SQL): all of them, and those for `modelId`.
   */
  count(q: { providerId: string; keyId: string | null; modelId: string; from: number; to: number; countedSql: string }): { account: number; model: number } {
    const row = this.s
      .q(
        `SELECT COUNT(*) AS n, COALESCE(SUM(model_id = ?), 0) AS m FROM calls
         WHERE provider_id = ? AND key_id IS ? AND ts >= ? AND ts < ? AND ${q.countedSql}`,
      )
      .get(q.modelId, q.providerId, q.keyId, q.from, q.to) as { n: number; m: number };
    return { account: Number(row.n), model: Number(row.m) };
  }
}
