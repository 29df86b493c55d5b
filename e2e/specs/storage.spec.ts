// Storage faults as the user meets them: a damaged history database, one locked by another
// program, and a full disk (a real one: a small tmpfs filled to the last byte). Each must end in a
// start with a clear notice (or a clear error) and lose nothing already saved.
// The corrupt settings file case lives in providers.spec.ts ("a corrupt settings file: …").
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from '@playwright/test';
import { streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, recordReliability, test, useFakeProvider } from '../support/fixtures.ts';
import { startHost, type HostProcess } from '../support/host.ts';
import { mountSmallDisk } from '../../test/tmpfs.ts';
import { sendMessage } from '../support/chat.ts';

const T = {
  corrupt: 'a corrupt history database: the app starts with a notice, the damaged file is kept byte for byte',
  locked: 'a history database locked by another process: the app starts with a notice, the backup holds every saved message',
  full: 'a full disk: sending and saving settings fail with a clear message, nothing saved is lost, the text stays in the composer; the app restarts on the full disk with its history',
};
const figures = recordReliability('storage', {
  [T.corrupt]: 'Garbage bytes in history.sqlite never stop the app: a new database, a notice naming the backup, the old bytes kept unchanged.',
  [T.locked]: 'Another process holding the write lock does not crash the start (it used to: the first write at start failed); the backup includes the WAL’s last commits.',
  [T.full]: 'ENOSPC from a real full file system: “The disk is full” on send and on settings save, no saved message or setting lost, the typed text kept; a restart on the still-full disk shows the history (it is not moved aside as “damaged”).',
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });
const answers = (page: Page) => page.locator('article.assistant');

async function open(page: Page, host: HostProcess) {
  await page.goto(host.url);
  await expect(nav(page)).toBeVisible();
}

const backupsIn = (dir: string) => readdirSync(dir).filter((f) => /^history\.corrupt-\d+\.sqlite$/.test(f));

test(T.corrupt, async ({ page, fake, dataDir }) => {
  const garbage = Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(8192, 0xa5)]);
  writeFileSync(join(dataDir, 'history.sqlite'), garbage);
  const host = await startHost({ dataDir });
  try {
    await open(page, host);
    const notice = page.getByRole('alert').filter({ hasText: 'The history database was damaged. A new one was started; the old file was kept at' });
    await expect(notice).toBeVisible();
    const [backup] = backupsIn(dataDir);
    expect(backup).toBeTruthy();
    await expect(notice).toContainText(join(dataDir, backup!));
    expect(readFileSync(join(dataDir, backup!)).equals(garbage)).toBe(true);

    // And the app works on the new database.
    await useFakeProvider(page, fake);
    fake.enqueue(streamOf('A fresh start works.'));
    await sendMessage(page, 'hello after the damage');
    await expect(answers(page).last().locator('.message-body')).toHaveText('A fresh start works.');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
  } finally {
    await host.stop();
  }
});

test(T.locked, async ({ page, fake, dataDir }) => {
  // A session that ends in a crash: its last commits are still in the WAL.
  const first = await startHost({ dataDir });
  await open(page, first);
  await useFakeProvider(page, fake);
  fake.enqueue(streamOf('Saved before the lock.'));
  await sendMessage(page, 'a question saved before the lock');
  await expect(answers(page).last()).toHaveAttribute('data-status', 'done');
  await first.kill('SIGKILL');
  const dbPath = join(dataDir, 'history.sqlite');
  expect(existsSync(`${dbPath}-wal`)).toBe(true);

  // Another program opens the database and holds an exclusive transaction.
  const locker: ChildProcess = spawn(
    process.execPath,
    [
      '-e',
      `const { DatabaseSync } = require('node:sqlite');
       const db = new DatabaseSync(${JSON.stringify(dbPath)});
       db.exec('BEGIN EXCLUSIVE');
       db.exec("UPDATE conversations SET title = title");
       console.log('locked');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      locker.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      locker.once('exit', (c) => reject(new Error(`locker exited ${c}`)));
    });
    const t0 = Date.now();
    const host = await startHost({ dataDir });
    figures.get(T.locked)!['startMs'] = Date.now() - t0;
    try {
      await open(page, host);
      const notice = page.getByRole('alert').filter({ hasText: 'The history database was locked by another program. A new one was started; the old file was kept at' });
      await expect(notice).toBeVisible();
      const [backup] = backupsIn(dataDir);
      await expect(notice).toContainText(join(dataDir, backup!));
      // Settings live outside the database: the provider still works, on a new history.
      fake.enqueue(streamOf('Working on the new history.'));
      await sendMessage(page, 'and now?');
      await expect(answers(page).last().locator('.message-body')).toHaveText('Working on the new history.');

      locker.kill('SIGKILL');
      await new Promise((r) => locker.once('exit', r));
      // The backup is complete: what was saved before the lock (some of it only in the WAL) is in it.
      const db = new DatabaseSync(join(dataDir, backup!), { readOnly: true });
      const rows = db.prepare('SELECT role, content FROM messages ORDER BY created_at').all();
      db.close();
      expect(rows).toEqual([
        { role: 'user', content: 'a question saved before the lock' },
        { role: 'assistant', content: 'Saved before the lock.' },
      ]);
    } finally {
      await host.stop();
    }
  } finally {
    locker.kill('SIGKILL');
  }
});

test(T.full, async ({ page, fake }) => {
  const disk = mountSmallDisk(8);
  test.skip(!disk, 'needs root to mount a small tmpfs (a real full file system); CI runs as root');
  const dataDir = join(disk!.dir, 'data');
  let host = await startHost({ dataDir });
  try {
    await open(page, host);
    await useFakeProvider(page, fake);
    fake.enqueue(streamOf('Saved before the disk filled.'));
    await sendMessage(page, 'a question saved before the disk filled');
    await expect(answers(page).last()).toHaveAttribute('data-status', 'done');
    const settingsBefore = readFileSync(join(dataDir, 'settings.json'), 'utf8');

    disk!.fill();
    // Send: refused with the disk-full text; the question is not half-saved and stays typed.
    const input = page.getByRole('textbox', { name: 'Message' });
    await sendMessage(page, 'written while the disk is full');
    const composerError = page.locator('.composer').getByRole('alert');
    await expect(composerError).toContainText('The disk is full. Free some space; nothing already saved was lost.');
    await expect(input).toHaveValue('written while the disk is full');
    await expect(page.locator('article.user')).toHaveCount(1);

    // Settings: the change is refused with the same text and the file is untouched.
    await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'General', exact: true }).click();
    const idle = page.getByLabel('Stream idle limit (seconds)');
    await idle.fill('45');
    await idle.blur();
    await expect(page.getByRole('alert').filter({ hasText: 'The disk is full.' })).toBeVisible();
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe(settingsBefore);

    // Space again: the same text goes out with one Enter.
    disk!.free();
    await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
    fake.enqueue(streamOf('Sent once there was room.'));
    await expect(input).toHaveValue('written while the disk is full');
    await input.press('Enter');
    await expect(answers(page).last().locator('.message-body')).toHaveText('Sent once there was room.');

    // A restart while the disk is full again: the history is there, not moved aside as damaged.
    disk!.fill();
    await host.stop();
    const t0 = Date.now();
    host = await startHost({ dataDir });
    figures.get(T.full)!['restartOnFullDiskMs'] = Date.now() - t0;
    await open(page, host);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.locator('article.user .message-body')).toHaveText(['a question saved before the disk filled', 'written while the disk is full']);
    await expect(answers(page).locator('.message-body')).toHaveText(['Saved before the disk filled.', 'Sent once there was room.']);
    expect(backupsIn(dataDir)).toEqual([]);
  } finally {
    await host.stop();
    disk!.unmount();
  }
});
