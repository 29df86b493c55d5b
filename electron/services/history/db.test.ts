// Opening the history database when something is wrong with it: damaged, locked by another
// process, or unusable for a reason that is not damage. The app must start (with a notice and a
// complete backup) in the first two cases and must not hide a healthy database in the third.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { DB_FILE, openHistoryDb } from './db.ts';
import { HistoryStore } from './store.ts';
import { mountSmallDisk } from '../../../test/tmpfs.ts';

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-db-'));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A node process running `code` with node:sqlite; resolves when it prints "ready". */
function child(code: string): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(c);
  return new Promise((resolve, reject) => {
    c.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(c);
    });
    c.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

/** A database as a crashed Kaiwa leaves it: its last commits only in the WAL. */
async function crashedDbWithWal(path: string): Promise<void> {
  const s = new HistoryStore(openHistoryDb(dir, silentLogger).db);
  const c = s.createConversation({ providerId: null, modelId: null });
  s.insertMessage({ conversationId: c.id, parentId: null, role: 'user', content: 'kept before the crash', status: 'done' });
  s.close();
  const writer = await child(`
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(${JSON.stringify(path)});
    db.exec('PRAGMA wal_autocheckpoint = 0');
    db.exec("UPDATE messages SET content = 'only in the WAL' WHERE role = 'user'");
    console.log('ready');
    setInterval(() => {}, 1000);
  `);
  writer.kill('SIGKILL');
  await new Promise((r) => writer.once('exit', r));
  expect(readFileSync(`${path}-wal`).length).toBeGreaterThan(0);
}

const backups = () => readdirSync(dir).filter((f) => /^history\.corrupt-\d+\.sqlite$/.test(f));

describe('openHistoryDb', () => {
  it('garbage bytes: a new database, a db_corrupt notice, the old bytes kept as they were', () => {
    const garbage = Buffer.from('this is not a database at all, just some bytes\u0000\u0001\u0002'.repeat(100));
    writeFileSync(join(dir, DB_FILE), garbage);
    const opened = openHistoryDb(dir, silentLogger, () => 42);
    expect(opened.notices).toEqual([{ id: 'db-42', level: 'error', code: 'db_corrupt', params: { backup: join(dir, 'history.corrupt-42.sqlite') } }]);
    expect(readFileSync(join(dir, 'history.corrupt-42.sqlite')).equals(garbage)).toBe(true);
    const s = new HistoryStore(opened.db);
    expect(s.createConversation({ providerId: null, modelId: null }).id).toBeTruthy();
    s.close();
  });

  it('locked by another process: starts with a db_locked notice, and the backup holds everything, WAL commits included', async () => {
    const path = join(dir, DB_FILE);
    await crashedDbWithWal(path);
    await child(`
      const { DatabaseSync } = require('node:sqlite');
      const db = new DatabaseSync(${JSON.stringify(path)});
      db.exec('BEGIN EXCLUSIVE');
      db.exec("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('lock', 'x', 1, 1)");
      console.log('ready');
      setInterval(() => {}, 1000);
    `);
    const t0 = Date.now();
    const opened = openHistoryDb(dir, silentLogger);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(opened.notices.map((n) => n.code)).toEqual(['db_locked']);
    // The app's first write at start works on the new database.
    const s = new HistoryStore(opened.db);
    expect(s.markInterrupted()).toBe(0);
    s.close();

    expect(backups()).toHaveLength(1);
    const backup = new DatabaseSync(join(dir, backups()[0]!), { readOnly: true });
    expect(backup.prepare("SELECT content FROM messages WHERE role = 'user'").all()).toEqual([{ content: 'only in the WAL' }]);
    backup.close();
  });

  it('a database that cannot be opened for another reason is left where it is and the error surfaces', () => {
    // A directory where the file should be: SQLITE_CANTOPEN, which is not damage.
    mkdirSync(join(dir, DB_FILE));
    expect(() => openHistoryDb(dir, silentLogger)).toThrow();
    expect(existsSync(join(dir, DB_FILE))).toBe(true);
    expect(backups()).toEqual([]);
  });
});

describe('openHistoryDb on a full disk', () => {
  // A real small file system filled to the last byte (root only, as CI runs; skipped elsewhere).
  const disk = mountSmallDisk(4);
  it.skipIf(!disk)('opens and reads the history after a clean shutdown removed -wal and -shm', () => {
    const dir = join(disk!.dir, 'data');
    try {
      const first = openHistoryDb(dir, silentLogger);
      const store = new HistoryStore(first.db);
      store.createConversation({ providerId: null, modelId: null, title: 'kept through a full disk' });
      first.db.close();
      // A clean close checkpoints and deletes the WAL files; opening again must not need new ones.
      expect(existsSync(join(dir, `${DB_FILE}-shm`))).toBe(false);
      disk!.fill();
      const again = openHistoryDb(dir, silentLogger);
      expect(new HistoryStore(again.db).listConversations().map((c) => c.title)).toEqual(['kept through a full disk']);
      expect(again.notices).toEqual([]);
      again.db.close();
    } finally {
      disk!.unmount();
    }
  });
});
