// Opening the history database: node:sqlite (built into Node 24 and Electron 45), WAL, foreign
// keys, versioned migrations (PRAGMA user_version). A database that cannot be opened (corrupt,
// not a database, locked by someone else) is copied aside and a fresh one is started, with a
// notice, so the app always starts and the old file is never destroyed.
// The history is as private as the keys, settings and log: the database and the -wal/-shm files
// are owner-only (0600) in an owner-only (0700) data directory.
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Notice } from '../../contract/index.ts';
import type { Logger } from '../log.ts';

export const DB_FILE = 'history.sqlite';

/** Each entry moves the schema one version up. Never edit a shipped entry: add a new one. */
export const MIGRATIONS: string[] = [
  // v1
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_auto INTEGER NOT NULL DEFAULT 1,
    provider_id TEXT,
    model_id TEXT,
    system_prompt TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}',
    draft TEXT NOT NULL DEFAULT '',
    leaf_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
  );
  CREATE INDEX conversations_recent ON conversations(deleted_at, updated_at DESC);

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id TEXT REFERENCES messages(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL DEFAULT '',
    reasoning TEXT NOT NULL DEFAULT '',
    tool_calls TEXT,
    status TEXT NOT NULL,
    error TEXT,
    provider_id TEXT,
    model_id TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    reasoning_tokens INTEGER,
    ttft_ms INTEGER,
    duration_ms INTEGER,
    reasoning_ms INTEGER,
    cost REAL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX messages_conversation ON messages(conversation_id, created_at);
  CREATE INDEX messages_parent ON messages(parent_id, created_at);
  CREATE INDEX messages_status ON messages(status) WHERE status = 'streaming';

  -- Full-text index over finished messages. Contentless with delete support, so a streaming
  -- answer (checkpointed every second) is indexed once, when it ends, not on every checkpoint.
  CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='', contentless_delete=1, tokenize='trigram');
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status <> 'streaming' BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages WHEN new.status <> 'streaming' BEGIN
    DELETE FROM messages_fts WHERE rowid = old.rowid;
    INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = old.rowid;
  END;

  -- One row per upstream call (usage, latency, cost, outcome); never holds a key, only its id.
  CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    ts INTEGER NOT NULL,
    provider_id TEXT NOT NULL,
    model_id TEXT NOT NULL,
    key_id TEXT,
    conversation_id TEXT,
    message_id TEXT,
    kind TEXT NOT NULL DEFAULT 'chat',
    status TEXT NOT NULL,
    error_code TEXT,
    http_status INTEGER,
    input_tokens INTEGER,
    output_tokens INTEGER,
    latency_ms INTEGER,
    ttft_ms INTEGER,
    cost REAL
  );
  CREATE INDEX calls_ts ON calls(ts);
  CREATE INDEX calls_key ON calls(key_id, ts);
  `,
  // v2: versions are sibling groups within one conversation. messages_parent cannot serve the
  // group of root messages (parent_id IS NULL spans every conversation), and counting a message's
  // siblings per row of a 10,000-message path must be an index range, not a scan.
  `
  CREATE INDEX messages_siblings ON messages(conversation_id, parent_id, created_at);
  `,
];

export interface OpenedDb {
  db: DatabaseSync;
  path: string;
  notices: Notice[];
}

function migrate(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  let version = row.user_version;
  if (version > MIGRATIONS.length) {
    throw Object.assign(new Error(`history database is from a newer Kaiwa (schema ${version})`), { code: 'KAIWA_DB_TOO_NEW' });
  }
  while (version < MIGRATIONS.length) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[version]!);
      version += 1;
      db.exec(`PRAGMA user_version = ${version}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}

/**
 * Opens (and migrates) a history database file; throws when it is not a usable Kaiwa database.
 * `exclusive`: keep the WAL index in memory instead of the `-shm` file (see openHistoryDb).
 */
export function openAt(path: string, o: { exclusive?: boolean } = {}): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: 2000 } as ConstructorParameters<typeof DatabaseSync>[1]);
  try {
    if (o.exclusive) db.exec('PRAGMA locking_mode = EXCLUSIVE');
    // Reading the schema forces SQLite to look at the file header: "not a database" surfaces here.
    db.exec('PRAGMA schema_version');
    db.exec('PRAGMA journal_mode = WAL');
    // NORMAL is durable against a process crash (SIGKILL); only a power loss can drop the last commit.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    const check = db.prepare('PRAGMA quick_check').get() as { quick_check: string } | undefined;
    if (check && check.quick_check !== 'ok') throw Object.assign(new Error(`integrity check: ${check.quick_check}`), { code: 'KAIWA_DB_CORRUPT' });
    migrate(db);
    // Reading works while another process holds the write lock (WAL); the first write at start
    // (marking interrupted answers) would then fail and take the app down. Find out now.
    db.exec('BEGIN IMMEDIATE');
    db.exec('COMMIT');
    return db;
  } catch (err) {
    try {
      db.close();
    } catch {
      /* already unusable */
    }
    throw err;
  }
}

/**
 * Damage (or a lock held by someone else) is a reason to start a new database; a full disk or a
 * permission problem is not: moving a healthy database aside would hide the user's history.
 */
function unusable(err: unknown): 'corrupt' | 'locked' | null {
  const e = err as { code?: string; errcode?: number; message?: string };
  if (e.code === 'KAIWA_DB_CORRUPT') return 'corrupt';
  const primary = typeof e.errcode === 'number' ? e.errcode & 0xff : -1;
  // SQLITE_CORRUPT 11, SQLITE_NOTADB 26; SQLITE_BUSY 5, SQLITE_LOCKED 6.
  if (primary === 11 || primary === 26 || /malformed|not a database|file is encrypted/i.test(e.message ?? '')) return 'corrupt';
  if (primary === 5 || primary === 6 || /database is locked|database table is locked/i.test(e.message ?? '')) return 'locked';
  return null;
}

/**
 * Makes the directory 0700 and the database 0600 before SQLite opens it. SQLite creates files 0644
 * (less the umask) but gives -wal and -shm the mode of their database file, so creating the
 * database file ourselves, owner-only, covers all three; existing installs are tightened here too.
 * POSIX only: on Windows the per-user profile's ACLs apply.
 */
function makePrivate(dir: string, path: string, log: Logger): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  try {
    chmodSync(dir, 0o700);
    // An empty file is an empty SQLite database.
    closeSync(openSync(path, 'a', 0o600));
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) chmodSync(path + suffix, 0o600);
  } catch (err) {
    // A data folder the user pointed at but does not own: it still works, only less private.
    log.warn('could not make the history files owner-only', err);
  }
}

/** SQLITE_FULL (13) or an I/O error (10) such as failing to size the `-shm` file. */
function noRoom(err: unknown): boolean {
  const e = err as { errcode?: number; message?: string };
  const primary = typeof e.errcode === 'number' ? e.errcode & 0xff : -1;
  return primary === 13 || primary === 10 || /disk is full|disk I\/O error/i.test(e.message ?? '');
}

/**
 * A clean shutdown checkpoints the WAL and deletes `-wal` and `-shm`; opening again must create the
 * `-shm` file, which fails on a full disk, so the app could not start to show the history it has.
 * In exclusive locking mode SQLite keeps the WAL index in memory and needs no `-shm`: the history
 * opens and reads, and writes fail with the usual disk-full message until there is room. Kaiwa is
 * the database's only user (one instance per data folder), so exclusive locking costs nothing.
 */
function openWithoutRoom(path: string, err: unknown, log: Logger): DatabaseSync {
  if (!noRoom(err)) throw err;
  log.warn('history database could not be opened normally (no room on the disk?); opening it with its WAL index in memory', err);
  return openAt(path, { exclusive: true });
}

export function openHistoryDb(dir: string, log: Logger, now: () => number = Date.now): OpenedDb {
  const path = join(dir, DB_FILE);
  makePrivate(dir, path, log);
  const notices: Notice[] = [];
  try {
    try {
      return { db: openAt(path), path, notices };
    } catch (err) {
      return { db: openWithoutRoom(path, err, log), path, notices };
    }
  } catch (err) {
    const kind = unusable(err);
    if (!kind) throw err;
    const backup = join(dir, `history.corrupt-${now()}.sqlite`);
    log.error(`history database unusable (${kind}); starting a new one, old file kept at ${backup}`, err);
    try {
      // The WAL holds the latest commits (after a crash they are not in the main file yet): it is
      // kept under the name SQLite looks for, so opening the backup shows everything.
      if (existsSync(path)) copyFileSync(path, backup);
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${backup}-wal`);
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix)) renameSync(path + suffix, `${backup}${suffix}.discarded`);
      }
    } catch (moveErr) {
      log.error('could not move the unusable database aside', moveErr);
    }
    notices.push({ id: `db-${now()}`, level: 'error', code: kind === 'locked' ? 'db_locked' : 'db_corrupt', params: { backup } });
    makePrivate(dir, path, log);
    return { db: openAt(path), path, notices };
  }
}
