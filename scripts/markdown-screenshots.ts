// Screenshots of rendered markdown (light and dark theme) and of a 10,000-message conversation.
// Usage: npx electron-vite build && node scripts/markdown-screenshots.ts [--out docs/screenshots]
import { streamOf } from '../test/fake-upstream/scenarios.ts';
import { RICH_ANSWER } from '../e2e/support/markdown-fixtures.ts';
import { seedLongConversation } from '../e2e/support/seed-history.ts';
import { startShots } from './lib/shots.ts';

const s = await startShots({ viewport: { width: 1280, height: 900 }, onlyLang: 'en', host: { seed: (dataDir) => seedLongConversation(dataDir, { messages: 10_000 }) } });
const { page, fake } = s;

try {
  await s.open();
  // The seeded conversation opens first: newest message at the bottom.
  await page.waitForSelector('article[data-message-id="m_seed_009999"]');
  await page.waitForTimeout(300);
  await s.shot('long-conversation');

  await s.configure([{ id: 'modelscope', keys: 'ms-demo-key-for-screenshots' }], { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });

  // A long answer streaming at the end of the 10,000 messages: the view follows it; scrolling up
  // stops following and offers a way back.
  await page.getByRole('button', { name: 'A very long conversation', exact: true }).click();
  await page.waitForSelector('article[data-message-id="m_seed_009999"]');
  fake.enqueue({ ...streamOf(RICH_ANSWER.repeat(4), { size: 24, delayMs: 40 }), flavor: 'modelscope' });
  const longInput = page.getByRole('textbox', { name: 'Message' });
  await longInput.fill('Once more, four times over.');
  await longInput.press('Enter');
  await page.waitForSelector('article.assistant[data-status="streaming"] pre');
  await page.waitForTimeout(400);
  await s.shot('long-conversation-streaming');
  await page.getByRole('log', { name: 'Messages' }).hover();
  await page.mouse.wheel(0, -1500);
  await page.getByRole('button', { name: 'Jump to latest' }).waitFor();
  await s.shot('long-conversation-scrolled-up');
  await page.waitForSelector('article.assistant[data-status="done"]', { timeout: 60_000 });
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('heading', { name: 'Start a conversation' }).waitFor();
  fake.enqueue({ ...streamOf(RICH_ANSWER, { size: 24, delayMs: 5 }), flavor: 'modelscope' });
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Show me what the renderer can do.');
  await input.press('Enter');
  await page.waitForSelector('article.assistant[data-status="done"] .katex-display');
  // Tall enough for the whole answer.
  await page.setViewportSize({ width: 1280, height: 1280 });
  await page.waitForTimeout(300);
  await s.shot('markdown-light');
  await page.evaluate(() => (document.documentElement.dataset['theme'] = 'dark'));
  await page.waitForTimeout(100);
  await s.shot('markdown-dark');

  await page.evaluate(() => (document.documentElement.dataset['theme'] = 'light'));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('link', { name: 'the docs' }).click();
  await page.getByRole('dialog').waitFor();
  await s.shot('markdown-link-dialog');
} catch (err) {
  await s.shot('markdown-failure');
  throw err;
} finally {
  await s.stop();
}
process.stdout.write(`screenshots written to ${s.out}\n`);
