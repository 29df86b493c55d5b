// Chat history is as private as the keys, settings and log: history.sqlite and the -wal/-shm files
// SQLite keeps next to it are owner-only (0600) in an owner-only (0700) data directory, for a new
// data directory, an existing install whose files were made 0644/0755, and the fresh database that
// replaces a damaged one. Both hosts (desktop and `npm run web`) open the history through
// createKaiwa → openHistoryDb, which the first test goes through.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../log.ts';
import { startTestKaiwa } from '../../../test/kaiwa.ts';
import { DB_FILE, openHistoryDb } from './db.ts';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
/** Every file under `dir` with its mode, e.g. { 'history.sqlite': '600', 'logs/kaiwa.log': '600' }. */
function modes(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, modes(p, `${prefix}${e.name}/`));
    else out[prefix + e.name] = mode(p);
  }
  return out;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kaiwa-modes-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('history file modes', () => {
  it('a new data directory: history.sqlite, -wal and -shm are 0600 in a 0700 directory, like keys, settings and log', async () => {
    const dataDir = join(root, 'Kaiwa');
    const k = startTestKaiwa({ dataDir, logger: createLogger({ dir: join(dataDir, 'logs') }) });
    try {
      await k.call('providers.setKeys', { id: 'modelscope', keys: 'ms-modes-test-key-0001' });
      await k.call('settings.update', { theme: 'dark' });
      k.kaiwa.services.history.createConversation({ providerId: null, modelId: null, title: 'Private' });
      k.kaiwa.log.info('a line in the log');
      const files = modes(dataDir);
      expect(files).toMatchObject({ [DB_FILE]: '600', [`${DB_FILE}-wal`]: '600', [`${DB_FILE}-shm`]: '600' });
      for (const [name, m] of Object.entries(files)) expect(m, name).toBe('600');
      expect(mode(dataDir)).toBe('700');
    } finally {
      await k.close();
    }
  });

  it('an existing install with 0644 history files in a 0755 directory is made owner-only when it opens', () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const path = join(dataDir, DB_FILE);
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    for (const s of ['', '-wal', '-shm']) chmodSync(path + s, 0o644);
    db.close();
    const opened = openHistoryDb(dataDir, silentLogger);
    try {
      opened.db.exec("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c', 't', 1, 1)");
      expect(modes(dataDir)).toEqual({ [DB_FILE]: '600', [`${DB_FILE}-wal`]: '600', [`${DB_FILE}-shm`]: '600' });
      expect(mode(dataDir)).toBe('700');
    } finally {
      opened.db.close();
    }
  });

  it('the database that replaces a damaged one, and the kept copy, are owner-only too', () => {
    const dataDir = join(root, 'damaged');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, DB_FILE), 'not a database at all, just bytes'.repeat(200), { mode: 0o644 });
    const opened = openHistoryDb(dataDir, silentLogger, () => 1234);
    try {
      expect(opened.notices.map((n) => n.code)).toEqual(['db_corrupt']);
      const files = modes(dataDir);
      expect(Object.keys(files).some((f) => f.startsWith('history.corrupt-1234'))).toBe(true);
      for (const [name, m] of Object.entries(files)) expect(m, name).toBe('600');
      expect(mode(dataDir)).toBe('700');
    } finally {
      opened.db.close();
    }
  });
});
