// Screenshots of rendered markdown (light and dark theme) and of a 10,000-message conversation.
// Usage: npx electron-vite build && node scripts/markdown-screenshots.ts [--out docs/screenshots]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { FakeUpstream } from '../e2e/fake-upstream/server.ts';
import { streamOf } from '../e2e/fake-upstream/scenarios.ts';
import { RICH_ANSWER } from '../e2e/support/markdown-fixtures.ts';
import { startHost } from '../e2e/support/host.ts';
import { seedLongConversation } from '../e2e/support/seed-history.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/screenshots' } } });
const out = values.out!;
mkdirSync(out, { recursive: true });

const fake = await FakeUpstream.start();
const dataDir = mkdtempSync(join(tmpdir(), 'kaiwa-shots-md-'));
seedLongConversation(dataDir, { messages: 10_000 });
const host = await startHost({ dataDir });
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });

try {
  await page.goto(host.url);
  await page.waitForSelector('nav');
  // The seeded conversation opens first: newest message at the bottom.
  await page.waitForSelector('article[data-message-id="m_seed_009999"]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'long-conversation.png') });

  await page.evaluate(async (baseUrl) => {
    const k = window.kaiwa!;
    await k.providers.update({ id: 'modelscope', baseUrl });
    await k.providers.setKeys({ id: 'modelscope', keys: 'ms-demo-key-for-screenshots' });
    await k.settings.update({ defaultModel: { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' } });
  }, fake.baseUrl);
  await page.reload();
  await page.waitForSelector('nav');
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
  await page.screenshot({ path: join(out, 'markdown-light.png') });
  await page.evaluate(() => (document.documentElement.dataset['theme'] = 'dark'));
  await page.waitForTimeout(100);
  await page.screenshot({ path: join(out, 'markdown-dark.png') });

  await page.evaluate(() => (document.documentElement.dataset['theme'] = 'light'));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('link', { name: 'the docs' }).click();
  await page.getByRole('dialog').waitFor();
  await page.screenshot({ path: join(out, 'markdown-link-dialog.png') });
} catch (err) {
  await page.screenshot({ path: join(out, 'markdown-failure.png') });
  throw err;
} finally {
  await browser.close();
  await host.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(`screenshots written to ${out}\n`);
