// The history database as a whole file, for backup and restore: a consistent copy to put in a
// backup, the checks a copy from a backup must pass, and replacing the live tables with a checked
// copy in one transaction (the services keep their open connection, so the app goes on working).
import type { DatabaseSync } from 'node:sqlite';
import { openAt } from './db.ts';

const countConversations = (db: DatabaseSync) => Number((db.prepare('SELECT COUNT(*) AS n FROM conversations WHERE deleted_at IS NULL').get() as { n: number }).n);

/**
 * Writes a copy of the history to `path` without conversations waiting for their undo to expire
 * and without answers marked streaming, ready to be read as one file (no WAL).
 */
export function snapshotInto(db: DatabaseSync, path: string): { schemaVersion: number; conversations: number } {
  // VACUUM INTO is a consistent snapshot even while an answer is being checkpointed.
  db.prepare('VACUUM INTO ?').run(path);
  const copy = openAt(path);
  try {
    copy.exec('PRAGMA foreign_keys = ON');
    // Deleted means deleted: their text must not survive in a file the user may hand around.
    copy.exec('DELETE FROM conversations WHERE deleted_at IS NOT NULL');
    copy.exec("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'");
    copy.exec('PRAGMA journal_mode = DELETE');
    copy.exec('VACUUM');
    const schemaVersion = Number((copy.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    return { schemaVersion, conversations: countConversations(copy) };
  } finally {
    copy.close();
  }
}

export type CopyProblem = { kind: 'too_new' } | { kind: 'unreadable'; details?: string } | { kind: 'integrity' } | { kind: 'links' };

/**
 * Opens a history file from a backup (migrating it to this version), checks it and marks answers
 * that were streaming as interrupted. Returns how many conversations it holds, or what is wrong.
 */
export function checkCopy(path: string): { conversations: number } | { problem: CopyProblem } {
  let db: DatabaseSync;
  try {
    db = openAt(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'KAIWA_DB_TOO_NEW') return { problem: { kind: 'too_new' } };
    return { problem: { kind: 'unreadable', ...(err instanceof Error ? { details: err.message } : {}) } };
  }
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    if (rows.length !== 1 || rows[0]!.integrity_check !== 'ok') return { problem: { kind: 'integrity' } };
    const fk = db.prepare('PRAGMA foreign_key_check').all();
    if (fk.length) return { problem: { kind: 'links' } };
    db.exec("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'");
    db.exec('PRAGMA journal_mode = DELETE');
    return { conversations: countConversations(db) };
  } finally {
    db.close();
  }
}

/**
 * Replaces every table of the live database with the checked copy at `path`, in one transaction
 * that also covers `alongside` (what the caller writes outside the database: it commits only if
 * that succeeds). A table whose columns differ ends it with `mismatch(table)`. On any failure the
 * transaction is rolled back and the error rethrown.
 */
export function replaceFromCopy(db: DatabaseSync, path: string, o: { mismatch(table: string): Error; alongside(): void }): void {
  db.prepare('ATTACH DATABASE ? AS kaiwa_restore').run(path);
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec('PRAGMA defer_foreign_keys = ON');
      const tables = (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as { name: string }[]).map((t) => t.name);
      for (const table of tables) {
        const q = `"${table.replace(/"/g, '""')}"`;
        const cols = (db.prepare(`SELECT name FROM pragma_table_info(?, 'main')`).all(table) as { name: string }[]).map((c) => `"${c.name.replace(/"/g, '""')}"`);
        const theirs = (db.prepare(`SELECT name FROM pragma_table_info(?, 'kaiwa_restore')`).all(table) as { name: string }[]).map((c) => `"${c.name.replace(/"/g, '""')}"`);
        if (cols.join() !== theirs.join()) throw o.mismatch(table);
        db.exec(`DELETE FROM main.${q}`);
        // rowid kept: versions of a message are ordered by creation time, then rowid.
        db.exec(`INSERT INTO main.${q} (rowid, ${cols.join(', ')}) SELECT rowid, ${cols.join(', ')} FROM kaiwa_restore.${q}`);
      }
      o.alongside();
      db.exec('COMMIT');
    } catch (err) {
      try {
        db.exec('ROLLBACK');
      } catch {
        /* the failed statement already ended the transaction */
      }
      throw err;
    }
  } finally {
    db.exec('DETACH DATABASE kaiwa_restore');
  }
}
