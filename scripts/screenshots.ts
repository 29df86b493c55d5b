// Takes the README/docs screenshots from the running app (browser mode + fake upstream) in Chromium.
// Usage: npx electron-vite build && node scripts/screenshots.ts [--lang en|ja|zh] [--out docs/screenshots]
// Needs fonts-noto-cjk for Japanese/Chinese text.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { FakeUpstream } from '../e2e/fake-upstream/server.ts';
import { streamOf } from '../e2e/fake-upstream/scenarios.ts';
import { startHost } from '../e2e/support/host.ts';

const { values } = parseArgs({ options: { lang: { type: 'string', default: 'en' }, out: { type: 'string', default: 'docs/screenshots' } } });
const lang = values.lang as 'en' | 'ja' | 'zh';
const out = values.out!;
mkdirSync(out, { recursive: true });

const fake = await FakeUpstream.start();
const dataDir = mkdtempSync(join(tmpdir(), 'kaiwa-shots-'));
const host = await startHost({ dataDir, lang });
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
const shot = (name: string) => page.screenshot({ path: join(out, `${name}${lang === 'en' ? '' : `.${lang}`}.png`) });

try {
  await page.goto(host.url);
  await page.waitForSelector('nav');
  await page.evaluate(async (baseUrl) => {
    const k = window.kaiwa!;
    await k.providers.update({ id: 'modelscope', baseUrl });
    await k.providers.setKeys({ id: 'modelscope', keys: 'ms-demo-key-for-screenshots' });
    await k.settings.update({ defaultModel: { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' } });
  }, fake.baseUrl);
  await page.reload();
  await page.waitForSelector('nav');

  const answer = [
    'Kaiwa (会話) streams answers from OpenAI-compatible providers such as ModelScope, W&B Inference and Alibaba Cloud Model Studio.',
    '',
    'Your API keys stay in the main process; this window only ever sees a masked form.',
  ].join('\n');
  fake.enqueue({ ...streamOf(answer, { size: 12, delayMs: 5 }), flavor: 'modelscope' });
  const input = page.locator('textarea').first();
  await input.fill('What is Kaiwa?');
  await input.press('Enter');
  await page.waitForSelector('article.assistant[data-status="done"]');
  await shot('chat');

  await page.locator('.sidebar-foot button').nth(1).click();
  await page.waitForSelector('form.provider-form');
  await shot('settings');
} finally {
  await browser.close();
  await host.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(`screenshots written to ${out}\n`);
