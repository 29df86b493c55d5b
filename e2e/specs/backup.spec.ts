// Backup and restore as a user does it in Settings → Backup & restore: a backup with a
// passphrase, the data directory wiped, the restore bringing back conversations, settings and a
// key that works; a damaged backup or a wrong passphrase refused with nothing changed; a backup
// without the passphrase option holding no key in any form. A backup with keys is never handed to
// the page (browser mode: main writes it into the data folder's `backups` folder, and no socket
// frame or page content holds any of it).
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Download, Page } from '@playwright/test';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { startHost } from '../support/host.ts';
import { testKey } from '../../test/test-keys.ts';
import { sendAndWait } from '../support/chat.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const KEY = testKey('ms-', '5f0c3a7e-91b2-4d6a-8c3e-0a1b2c3d4e5f');
const PASSPHRASE = 'correct horse battery staple';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

async function openBackupPage(page: Page) {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Backup & restore', exact: true }).click();
}

async function fillBackupForm(page: Page, passphrase?: string) {
  const form = page.getByRole('form', { name: 'Back up' });
  const withKeys = form.getByRole('checkbox', { name: 'Include API keys, encrypted with a passphrase' });
  if (passphrase) {
    await withKeys.check();
    await form.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await form.getByLabel('Repeat the passphrase').fill(passphrase);
  } else await withKeys.uncheck();
  return form;
}

/** A backup without keys: the page downloads it. */
async function createBackup(page: Page): Promise<{ name: string; text: string }> {
  const form = await fillBackupForm(page);
  const downloaded = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Create backup' }).click();
  const d: Download = await downloaded;
  await expect(form.getByRole('status')).toContainText(`Saved ${d.suggestedFilename()}`);
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
}

/**
 * A backup with keys in browser mode: nothing is downloaded; main writes it into the data folder's
 * `backups` folder and the page says where. Returns the file as main wrote it.
 */
async function createSealedBackup(page: Page, dataDir: string, passphrase: string): Promise<{ name: string; text: string }> {
  const downloads: string[] = [];
  const onDownload = (d: Download) => downloads.push(d.suggestedFilename());
  page.on('download', onDownload);
  const form = await fillBackupForm(page, passphrase);
  await expect(form).toContainText('In browser mode the file is not downloaded');
  await form.getByRole('button', { name: 'Create backup' }).click();
  const status = form.getByRole('status');
  await expect(status).toContainText('in the “backups” folder of Kaiwa’s data folder');
  const name = /Saved (kaiwa-backup-[\d-]+\.json) in/.exec((await status.textContent()) ?? '')?.[1];
  expect(name).toBeTruthy();
  const path = join(dataDir, 'backups', name!);
  await expect(form.locator('.saved-path code')).toHaveText(path);
  await expect(form.getByRole('button', { name: 'Open data folder' })).toBeVisible();
  page.off('download', onDownload);
  expect(downloads).toEqual([]);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  return { name: name!, text: readFileSync(path, 'utf8') };
}

async function restore(page: Page, file: { name: string; text: string }, passphrase?: string) {
  const form = page.getByRole('form', { name: 'Restore' });
  const chooser = page.waitForEvent('filechooser');
  await form.getByRole('button', { name: 'Backup file Choose a file…' }).click();
  await (await chooser).setFiles({ name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) });
  await expect(form.getByText(file.name, { exact: true })).toBeVisible();
  await form.getByLabel('Passphrase (if the backup contains keys)').fill(passphrase ?? '');
  await form.getByRole('button', { name: 'Restore backup' }).click();
  await form.getByRole('group', { name: 'Confirm the restore' }).getByRole('button', { name: 'Replace everything' }).click();
  return form;
}

/** What the user sees of their data: the conversation list, each conversation's messages, the theme. */
async function snapshot(page: Page) {
  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
  const titles = await page.getByRole('list', { name: 'Conversations' }).getByRole('button').allTextContents();
  const conversations: string[][] = [];
  for (const title of titles) {
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: title, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    conversations.push(await page.locator('article .message-body').allTextContents());
  }
  return { titles, conversations, theme: await page.locator('html').getAttribute('data-theme') };
}

test('backup with a passphrase → data folder wiped → restore: same conversations and settings, and the key works', async ({ app: page, fake, host }) => {
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
  });
  fake.acceptKeys = [KEY];
  await useFakeProvider(page, fake, { key: KEY });
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning: ['Thinking about it.'], content: ['The answer is **42**.'] });
  await sendAndWait(page, 'What is the answer?');
  await nav(page).getByRole('button', { name: 'New chat' }).click();
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', content: ['こんにちは！'] });
  await sendAndWait(page, '日本語で挨拶して');
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'General', exact: true }).click();
  await page.getByRole('combobox', { name: 'Theme', exact: true }).selectOption('dark');
  const before = await snapshot(page);
  expect(before).toMatchObject({ titles: ['日本語で挨拶して', 'What is the answer?'], theme: 'dark' });

  await openBackupPage(page);
  const withKeys = await createSealedBackup(page, host.dataDir, PASSPHRASE);
  await expect(page.getByRole('form', { name: 'Back up' }).getByRole('status')).toHaveText(
    `Saved ${withKeys.name} in the “backups” folder of Kaiwa’s data folder: 2 conversations, settings and encrypted keys.`,
  );
  // The sealed file never reached the page: none of its sealed parts in any socket frame or in the page.
  const box = (JSON.parse(withKeys.text) as { keys: { kdf: { salt: string } } & Record<string, unknown> }).keys;
  const sealedParts = [box.kdf.salt, ...Object.values(box).filter((v): v is string => typeof v === 'string' && v.length >= 16)];
  expect(sealedParts.length).toBeGreaterThanOrEqual(2);
  const seen = [...frames, await page.content()];
  expect(seen.filter((text) => sealedParts.some((part) => text.includes(part)) || text.includes(KEY) || text.includes(withKeys.text.slice(0, 200)))).toEqual([]);
  expect(frames.length).toBeGreaterThan(5);
  await page.screenshot({ path: 'docs/screenshots/backup.png' });

  // Without the passphrase option the file holds no key in any form, not even inside the database.
  const withoutKeys = await createBackup(page);
  const file = JSON.parse(withoutKeys.text) as { keys: unknown; history: { data: string } };
  expect(file.keys).toBeNull();
  const db = gunzipSync(Buffer.from(file.history.data, 'base64'));
  for (const form of [KEY, Buffer.from(KEY).toString('base64'), Buffer.from(KEY).toString('base64url'), Buffer.from(KEY).toString('hex')]) {
    expect(withoutKeys.text).not.toContain(form);
    expect(db.includes(Buffer.from(form))).toBe(false);
  }
  expect(withKeys.text).not.toContain(KEY);

  // Wipe the data folder, start again: an empty app.
  await host.stop();
  rmSync(host.dataDir, { recursive: true, force: true });
  mkdirSync(host.dataDir);
  const again = await startHost({ dataDir: host.dataDir });
  try {
    await page.goto(again.url);
    await expect(nav(page)).toBeVisible();
    await expect(page.getByRole('list', { name: 'Conversations' })).toContainText('No conversations yet.');
    await openBackupPage(page);

    // A damaged copy (a few bytes flipped) is refused, and nothing changes.
    const middle = Math.floor(withKeys.text.length * 0.6);
    const damaged = { name: withKeys.name, text: `${withKeys.text.slice(0, middle)}${withKeys.text[middle] === 'A' ? 'B' : 'A'}${withKeys.text.slice(middle + 1)}` };
    let form = await restore(page, damaged, PASSPHRASE);
    await expect(form.getByRole('alert')).toContainText('This backup is damaged: its contents do not match its checksums. Nothing was changed.');
    await expect(form.getByText('Your current settings, keys and conversations were not changed.')).toBeVisible();
    await page.screenshot({ path: 'docs/screenshots/restore-damaged.png' });
    // A wrong passphrase is refused too.
    form = await restore(page, withKeys, 'not the passphrase');
    await expect(form.getByRole('alert')).toContainText('The passphrase does not open this backup.');
    expect(await snapshot(page)).toEqual({ titles: [], conversations: [], theme: 'system' });

    // The real thing.
    await openBackupPage(page);
    await restore(page, withKeys, PASSPHRASE);
    // The window starts over on the restored data and says what came back.
    await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Backup restored: 2 conversation(s), 1 API key(s).');
    expect(await snapshot(page)).toEqual(before);

    // The key came back encrypted with this installation's vault, and it works: the fake upstream
    // accepts no other key.
    fake.reset();
    await nav(page).getByRole('button', { name: 'New chat' }).click();
    fake.enqueue({ kind: 'stream', flavor: 'modelscope', content: ['Restored and ', 'working.'] });
    await sendAndWait(page, 'Are you back?');
    await expect(page.locator('article.assistant').last().locator('.message-body')).toHaveText('Restored and working.');
    expect(fake.chatRequests()[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
    await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: 'ModelScope', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Stored keys' }).getByRole('listitem')).toHaveText(/ms-…4e5f/);
  } finally {
    await again.stop();
  }
});
