// Screenshots of the chat view (thinking panel + footer + versions, search, parameters) from the
// running app in browser mode against the fake upstream.
// Usage: npx electron-vite build && node scripts/chat-screenshots.ts [--lang en|ja|zh] [--out docs/screenshots]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { streamOf } from '../e2e/fake-upstream/scenarios.ts';
import { FakeUpstream } from '../e2e/fake-upstream/server.ts';
import { startHost } from '../e2e/support/host.ts';

const { values } = parseArgs({ options: { lang: { type: 'string', default: 'en' }, out: { type: 'string', default: 'docs/screenshots' } } });
const lang = values.lang as 'en' | 'ja' | 'zh';
const out = values.out!;
mkdirSync(out, { recursive: true });

const fake = await FakeUpstream.start();
const dataDir = mkdtempSync(join(tmpdir(), 'kaiwa-chat-shots-'));
const host = await startHost({ dataDir, lang });
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page: Page = await browser.newPage({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
const shot = (name: string) => page.screenshot({ path: join(out, `${name}${lang === 'en' ? '' : `.${lang}`}.png`) });
const thinkingModel = 'Qwen/Qwen3-235B-A22B-Thinking-2507';

try {
  await page.goto(host.url);
  await page.waitForSelector('nav');
  await page.evaluate(
    async ({ baseUrl, model }) => {
      const k = window.kaiwa!;
      for (const id of ['modelscope', 'wandb']) {
        await k.providers.update({ id, baseUrl });
        await k.providers.setKeys({ id, keys: `${id}-demo-key-for-screenshots` });
      }
      await k.settings.update({ defaultModel: { providerId: 'wandb', modelId: model } });
    },
    { baseUrl: fake.baseUrl, model: thinkingModel },
  );
  await page.reload();
  await page.waitForSelector('nav');
  const input = page.locator('.composer textarea');

  // 1. A conversation about a word we search for later.
  fake.enqueue({ ...streamOf('The Dalmatian pelican is the largest pelican; it breeds from south-eastern Europe to China.', { size: 10 }), flavor: 'wandb' });
  await input.fill('Tell me about pelicans');
  await input.press('Enter');
  await page.waitForSelector('article.assistant[data-status="done"]');

  // 2. Thinking answer, regenerated once: thinking panel, footer and "‹ 2/2 ›".
  await page.keyboard.press('Control+n');
  const reasoning = [
    'The user asks why the sky is blue. ',
    'Sunlight contains all visible wavelengths; air molecules are much smaller than those wavelengths, ',
    'so Rayleigh scattering applies and its strength goes with 1/λ⁴. ',
    'Blue (≈450 nm) scatters about 5.5× more than red (≈700 nm). Violet scatters even more, ',
    'but the sun emits less of it and our eyes are less sensitive to it.',
  ];
  const answer = [
    'The sky looks blue because of **Rayleigh scattering**.\n\n',
    'Sunlight is a mix of all colours. When it passes through the atmosphere, the nitrogen and oxygen molecules ',
    'scatter short wavelengths far more strongly than long ones (the effect grows with 1/λ⁴), ',
    'so blue light is redirected across the whole sky and reaches your eyes from every direction.\n\n',
    'At sunrise and sunset the light crosses much more air, most of the blue is scattered away before it reaches you, and the sky turns orange and red.',
  ];
  const thinking = { kind: 'stream' as const, flavor: 'wandb' as const, reasoning, content: answer, usage: { prompt: 1234, completion: 2345 }, delayMs: 250 };
  fake.enqueue({ ...thinking, content: ['A first, shorter answer about scattering.'], delayMs: 20 }, thinking);
  await input.fill('Why is the sky blue?');
  await input.press('Enter');
  await page.waitForSelector('article.assistant[data-status="done"]');
  // Language-independent: Copy, Regenerate, Delete.
  await page.locator('article.assistant .message-actions button').nth(1).click();
  await page.locator('article.assistant .thinking.live').waitFor();
  await page.waitForTimeout(700);
  await shot('chat-thinking-live');
  await page.waitForSelector('article.assistant[data-status="done"]');
  await page.locator('.thinking-toggle').click();
  await page.mouse.move(700, 500);
  await shot('chat-thinking');

  // 3. Search dialog.
  await page.keyboard.press('Control+k');
  await page.locator('.search-dialog input').fill('pelican');
  await page.locator('.search-results li').first().waitFor();
  await shot('chat-search');
  await page.keyboard.press('Escape');

  // 4. Parameters panel with an invalid value, on a hybrid-thinking model.
  await page.evaluate(async () => {
    await window.kaiwa!.settings.update({ defaultModel: { providerId: 'modelscope', modelId: 'ZhipuAI/GLM-4.5' } });
  });
  await page.keyboard.press('Control+n');
  await page.locator('.chat-head button[aria-expanded]').click();
  const panel = page.locator('.params-panel');
  await panel.locator('textarea').first().fill('You are a concise assistant. Answer in the language of the question.');
  await panel.locator('input').nth(0).fill('2');
  await panel.locator('input').nth(1).fill('0.9');
  await panel.locator('input').nth(2).fill('2048');
  await panel.locator('.field-error').first().waitFor();
  await shot('chat-params');
} finally {
  await browser.close();
  await host.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(`screenshots written to ${out}\n`);
