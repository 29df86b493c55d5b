// What every table module works with: the database it reads or writes, a cache of prepared
// statements (SQLite compiles each text once), and the JSON columns' lenient reader.
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** A database a function only reads (a type for the reader's eyes: node:sqlite has one class). */
export type ReadableDb = Pick<DatabaseSync, 'prepare'>;
/** A database a function writes. */
export type WritableDb = DatabaseSync;

/** Prepared statements by their SQL text. */
export class Statements {
  private readonly cache = new Map<string, StatementSync>();
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  q(sql: string): StatementSync {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text == null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
