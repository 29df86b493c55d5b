// Durable history as a user sees it: search across conversations (Ctrl+K), rename, delete with
// undo, the draft kept across a restart, and an answer that survives the host being SIGKILLed.
import type { Page } from '@playwright/test';
import { streamOf } from '../../test/fake-upstream/scenarios.ts';
import { startHost } from '../support/host.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendMessage } from '../support/chat.ts';

async function send(page: Page, text: string): Promise<void> {
  await sendMessage(page, text);
  await expect(page.locator('article.assistant').last()).not.toHaveAttribute('data-status', 'streaming');
}

const sidebar = (page: Page) => page.getByRole('list', { name: 'Conversations' });

test('Ctrl+K finds a word from a message in another conversation and opens it', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  fake.enqueue(streamOf('The Dalmatian pelican breeds in south-eastern Europe.'), streamOf('Bread needs flour, water, salt and yeast.'), streamOf('東京は晴れです。'));
  await send(page, 'Tell me about birds');
  await page.getByRole('button', { name: 'New chat' }).click();
  await send(page, 'How do I bake bread?');
  await page.getByRole('button', { name: 'New chat' }).click();
  await send(page, '天気はどう？');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('天気はどう？');

  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Search conversations' });
  await expect(dialog).toBeVisible();
  const box = dialog.getByRole('combobox', { name: 'Search words' });
  await expect(box).toBeFocused();
  await box.fill('dalmatian');
  const hit = dialog.getByRole('option', { name: /Dalmatian pelican/ });
  await expect(hit).toBeVisible();
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await box.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tell me about birds');
  await expect(page.locator('article.assistant .message-body')).toHaveText('The Dalmatian pelican breeds in south-eastern Europe.');
  await expect(page.locator('article.assistant')).toHaveClass(/focused/);

  // Two characters of Japanese (too short for the trigram index) still match; a click opens it.
  await page.getByRole('button', { name: 'Search' }).click();
  await box.fill('晴れ');
  await dialog.getByRole('option', { name: /東京は晴れです/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('天気はどう？');

  // Esc closes without opening anything; nothing found says so.
  await page.keyboard.press('Control+k');
  await box.fill('zebra');
  await expect(dialog.getByRole('status')).toHaveText('Nothing found.');
  await box.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('天気はどう？');
});

test('rename a conversation, delete it and undo the delete', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  await send(page, 'a question whose words become the title');
  await expect(sidebar(page).getByRole('button', { name: 'a question whose words become the title' })).toBeVisible();

  await page.getByRole('button', { name: 'Rename conversation' }).click();
  const title = page.getByRole('textbox', { name: 'Conversation title' });
  await title.fill('Renamed by me');
  await title.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renamed by me');
  await expect(sidebar(page).getByRole('button', { name: 'Renamed by me' })).toBeVisible();

  await page.getByRole('button', { name: 'New chat' }).click();
  await send(page, 'another one');
  // Most recent first.
  await expect(sidebar(page).getByRole('button')).toHaveText(['another one', 'Renamed by me']);

  await sidebar(page).getByRole('button', { name: 'Renamed by me' }).click();
  await page.getByRole('button', { name: 'Delete conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: '“Renamed by me” was deleted.' })).toBeVisible();
  await expect(sidebar(page).getByRole('button')).toHaveText(['another one']);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('another one');

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(sidebar(page).getByRole('button', { name: 'Renamed by me' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renamed by me');
  await expect(page.locator('article.user .message-body')).toHaveText('a question whose words become the title');

  // A later title stays: the automatic title only comes from the first message.
  await page.reload();
  await expect(sidebar(page).getByRole('button', { name: 'Renamed by me' })).toBeVisible();
});

test('the draft is kept per conversation across a restart', async ({ app: page, fake, host, dataDir }) => {
  await useFakeProvider(page, fake);
  await send(page, 'first conversation');
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('half-written thought in the first conversation');
  await page.getByRole('button', { name: 'New chat' }).click();
  await expect(input).toHaveValue('');
  await input.fill('draft of the second');
  // Saved while typing (debounced), not only on switching.
  await page.waitForTimeout(1000);
  await host.stop();

  const again = await startHost({ dataDir });
  try {
    await page.goto(again.url);
    await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
    await expect(input).toHaveValue('draft of the second');
    await sidebar(page).getByRole('button', { name: 'first conversation' }).click();
    await expect(input).toHaveValue('half-written thought in the first conversation');
  } finally {
    await again.stop();
  }
});

test('SIGKILL mid-stream: after a restart the question and all but about a second of the answer are there, marked interrupted', async ({ app: page, fake, host, dataDir }) => {
  await useFakeProvider(page, fake);
  const words = Array.from({ length: 160 }, (_, i) => `w${i} `);
  fake.enqueue({ kind: 'stream', content: words, delayMs: 40 });
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('a long answer, please');
  await input.press('Enter');
  await expect(page.locator('article.assistant .message-body')).toContainText('w60 ');

  const killAt = Date.now();
  await host.kill('SIGKILL');
  const textSentBy = (t: number) =>
    fake.sent
      .filter((s) => s.at <= t)
      .map((s) => (JSON.parse(s.data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '')
      .join('');
  const everything = textSentBy(Date.now());
  // What a checkpoint every second must have saved: all that had arrived a second (plus slack) before the kill.
  const mustHave = textSentBy(killAt - 1300);
  expect(mustHave.length).toBeGreaterThan(0);
  expect(everything.length).toBeLessThan(words.join('').length);

  const again = await startHost({ dataDir });
  try {
    await page.goto(again.url);
    const reply = page.locator('article.assistant').last();
    await expect(reply).toHaveAttribute('data-status', 'interrupted');
    await expect(reply.getByText('Interrupted — Kaiwa closed while this answer was streaming')).toBeVisible();
    await expect(page.locator('article.user .message-body')).toHaveText('a long answer, please');
    const kept = (await reply.locator('.message-body').textContent()) ?? '';
    expect(everything.startsWith(kept)).toBe(true);
    expect(kept.length).toBeGreaterThanOrEqual(mustHave.length);
    // An interrupted answer can be continued.
    await expect(reply.getByRole('button', { name: 'Continue' })).toBeVisible();
  } finally {
    await again.stop();
  }
});

test('after a page reload mid-stream the answer keeps streaming and Stop still stops it', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const long = Array.from({ length: 300 }, (_, i) => `part${i} `).join('');
  fake.enqueue(streamOf(long, { size: 5, delayMs: 20 }));
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('a long one please');
  await input.press('Enter');
  await expect(page.locator('article.assistant .message-body')).toContainText('part5 ');
  await page.reload();
  const reply = page.locator('article.assistant').last();
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect(reply.locator('.message-body')).toContainText('part40 ');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(reply).toHaveAttribute('data-status', 'stopped');
  const kept = (await reply.locator('.message-body').textContent()) ?? '';
  expect(long.startsWith(kept.trim())).toBe(true);
  expect(kept.length).toBeLessThan(long.length);
});
