// A 10,000-message conversation, seeded into the data dir through the history service before the
// host starts: it opens at the newest message without freezing, the DOM holds only a window of
// messages, and scrolling reaches the first one. Also: following the bottom while an answer streams.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { providerErrors, streamOf } from '../../test/fake-upstream/scenarios.ts';
import { test as base, expect, useFakeProvider } from '../support/fixtures.ts';
import { seededText, seedLongConversation } from '../support/seed-history.ts';

const N = 10_000;

const test = base.extend({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const d = mkdtempSync(join(tmpdir(), 'kaiwa-e2e-long-'));
    seedLongConversation(d, { messages: N });
    await use(d);
    rmSync(d, { recursive: true, force: true });
  },
});

const log = (page: Page) => page.getByRole('log', { name: 'Messages' });
/** The row of seeded message i. */
const seedRow = (page: Page, i: number) => page.locator(`article[data-message-id="m_seed_${String(i).padStart(6, '0')}"]`);
const distanceFromBottom = (page: Page) => log(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

test('a 10,000-message conversation opens at the newest message with only a window of messages in the DOM', async ({ app: page }) => {
  // The app opens the most recent conversation on start.
  const newest = seedRow(page, N - 1);
  await expect(newest).toBeVisible();
  await expect(newest).toContainText(`Answer ${N - 1}:`);
  await expect(page.getByRole('heading', { name: 'A very long conversation' })).toBeVisible();
  const articles = await page.locator('article').count();
  expect(articles).toBeGreaterThan(3);
  expect(articles).toBeLessThan(200);
  expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(3000);
  expect(await distanceFromBottom(page)).toBeLessThan(2);

  // The page stays responsive: a frame comes within a short time.
  const frame = await page.evaluate(() => new Promise<number>((r) => { const t = performance.now(); requestAnimationFrame(() => r(performance.now() - t)); }));
  expect(frame).toBeLessThan(500);

  // Scrolling to the top shows the first message (rows are measured as they appear, so keep going).
  await expect(async () => {
    await log(page).evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(seedRow(page, 0)).toBeInViewport({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText(seededText(0), { exact: true })).toBeVisible();
  expect(await page.locator('article').count()).toBeLessThan(200);

  // Reading history: "Jump to latest" brings the newest message back.
  const jump = page.getByRole('button', { name: 'Jump to latest' });
  await expect(jump).toBeVisible();
  await jump.click();
  await expect(newest).toBeInViewport();
  await expect(jump).toBeHidden();
});

test('a search hit thousands of messages up is scrolled into view and highlighted', async ({ app: page }) => {
  await expect(seedRow(page, N - 1)).toBeVisible();
  // Answer 1231 (of 10,000) is the only one with "item1231" in its code.
  const target = seedRow(page, 1231);
  await expect(target).toHaveCount(0);
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Search conversations' });
  await dialog.getByRole('combobox', { name: 'Search words' }).fill('item1231');
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await dialog.getByRole('option').first().click();
  await expect(dialog).toBeHidden();
  await expect(target).toBeInViewport();
  await expect(target).toHaveClass(/focused/);
  await expect(target).toContainText('const item1231 = 1231;');
  // It stays there (the list does not drift back to the end), and the newest is one click away.
  await page.waitForTimeout(500);
  await expect(target).toBeInViewport();
  expect(await page.locator('article').count()).toBeLessThan(200);
  await page.getByRole('button', { name: 'Jump to latest' }).click();
  await expect(seedRow(page, N - 1)).toBeInViewport();
  await expect(target).toHaveCount(0);
  // The same hit, found again, is brought into view again (its row was unmounted meanwhile).
  await page.keyboard.press('Control+k');
  await dialog.getByRole('combobox', { name: 'Search words' }).fill('item1231');
  await dialog.getByRole('option').first().click();
  await expect(target).toBeInViewport();
  // The highlight fades; scrolling away and back does not bring it (or the scroll) back.
  await expect(target).not.toHaveClass(/focused/, { timeout: 8000 });
  await log(page).evaluate((el) => el.scrollBy({ top: 3000 }));
  await expect(target).toHaveCount(0);
  await log(page).evaluate((el) => el.scrollBy({ top: -3000 }));
  await expect(target).toBeAttached();
  await expect(target).not.toHaveClass(/focused/);
});

test('when the older messages cannot be loaded, the newest stay, an alert says so, and the user can load them again', async ({ page, host }) => {
  // The conversation opens with its newest messages; the rest is a second `conversations.open`.
  // That one call fails once, as a database read error from main would (the socket is the real
  // host's; only that answer is replaced).
  let failures = 1;
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { t?: string; id?: number; name?: string; payload?: { tail?: number } };
      if (failures > 0 && msg.t === 'call' && msg.name === 'conversations.open' && msg.payload?.tail === undefined) {
        failures--;
        ws.send(JSON.stringify({ t: 'result', id: msg.id, result: { ok: false, error: { code: 'storage_failed', message: 'Saving failed.', details: 'SQLITE_IOERR: disk I/O error', actions: ['retry'] } } }));
        return;
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  await page.goto(host.url);
  const newest = seedRow(page, N - 1);
  await expect(newest).toBeVisible();
  const alert = page.getByRole('alert').filter({ hasText: 'Older messages of this conversation could not be loaded' });
  await expect(alert).toBeVisible();
  await expect(alert.getByText('SQLITE_IOERR: disk I/O error')).toBeAttached();
  // Nothing shown is lost, and the composer still works (its own error box is not used for this).
  await expect(newest).toContainText(`Answer ${N - 1}:`);
  await expect(page.locator('.composer [role="alert"]')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Message' }).fill('still typing');
  // Only the newest page is there: the top of the list is not the first message.
  await log(page).evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(seedRow(page, 0)).toHaveCount(0);
  const oldestShown = seedRow(page, 9940);
  await expect(oldestShown).toBeInViewport();
  const height = await log(page).evaluate((el) => el.scrollHeight);

  await alert.getByRole('button', { name: 'Load older messages' }).click();
  await expect(alert).toBeHidden();
  // The older messages go in front of what the reader is looking at: the view stays there.
  await expect.poll(() => log(page).evaluate((el) => el.scrollHeight), { timeout: 10_000 }).toBeGreaterThan(height * 10);
  await page.waitForTimeout(300);
  await expect(oldestShown).toBeInViewport();
  await expect(newest).not.toBeInViewport();
  await expect(async () => {
    await log(page).evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(seedRow(page, 0)).toBeInViewport({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('still typing');
});

test('a streaming answer keeps the view at the bottom, until the reader scrolls up', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  // Wait for the conversation to be open: the composer is remounted when it opens.
  await expect(seedRow(page, N - 1)).toBeVisible();
  const lines = Array.from({ length: 160 }, (_, i) => `Streaming line ${i} of a long answer that grows while you watch.`).join('\n\n');
  fake.enqueue(streamOf(lines, { size: 40, delayMs: 10 }));
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('stream something long');
  await input.press('Enter');
  const reply = page.locator('article.assistant').last();
  await expect(reply).toContainText('Streaming line 30 ');
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  // While streaming and not touched, the bottom stays in view.
  for (let i = 0; i < 5; i++) {
    expect(await distanceFromBottom(page)).toBeLessThan(60);
    await page.waitForTimeout(100);
  }
  // The reader scrolls up: the view stays where they put it while the answer keeps growing.
  await log(page).hover();
  await page.mouse.wheel(0, -600);
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
  const top = await log(page).evaluate((el) => el.scrollTop);
  const grew = await reply.evaluate((el) => el.getBoundingClientRect().height);
  await expect.poll(() => reply.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(grew + 100);
  expect(Math.abs((await log(page).evaluate((el) => el.scrollTop)) - top)).toBeLessThan(2);
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  // Back to the bottom, following again until the end.
  await page.getByRole('button', { name: 'Jump to latest' }).click();
  await expect(reply).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(reply).toContainText('Streaming line 159 ');
  await expect.poll(() => distanceFromBottom(page)).toBeLessThan(2);
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeHidden();
});

base('after answers that end in an error or finish streaming, the list rests at the end without offering "Jump to latest"', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { model: 'Qwen/Qwen3-235B-A22B-Thinking-2507' });
  fake.enqueue(
    {
      ...streamOf('## Answer\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint("hi")\n```\n', { size: 6, delayMs: 10 }),
      reasoning: ['Let me ', 'think.'],
      // The quota meter appears in the header after this call, so the list's viewport gets shorter.
      headers: { 'modelscope-ratelimit-requests-limit': '2000', 'modelscope-ratelimit-requests-remaining': '1700', 'modelscope-ratelimit-model-requests-limit': '500', 'modelscope-ratelimit-model-requests-remaining': '80' },
    },
    providerErrors.modelscopeBadToken(),
  );
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('first');
  await input.press('Enter');
  await expect(page.locator('article.assistant').last()).toHaveAttribute('data-status', 'done');
  await input.fill('second');
  await input.press('Enter');
  await expect(page.locator('article.assistant').last()).toHaveAttribute('data-status', 'error');
  await expect(page.getByRole('button', { name: 'Open provider settings' })).toBeInViewport();
  // Give the list a few frames to settle, then it must know it is at the end.
  await page.waitForTimeout(300);
  await expect(page.getByRole('group', { name: 'ModelScope quota' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toHaveCount(0);
  expect(await distanceFromBottom(page)).toBeLessThan(2);
});
