// Screenshots of what a user sees when things go wrong (issue 7): upstream failures with their
// actions, a retry wait, an answer interrupted by a crash, a damaged or locked history database,
// and a full disk (a real tmpfs: run as root). Browser mode against the fake upstream.
// Usage: npx electron-vite build && node scripts/reliability-screenshots.ts [--lang en|ja|zh] [--out docs/screenshots]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { providerErrors, streamOf } from '../e2e/fake-upstream/scenarios.ts';
import { FakeUpstream } from '../e2e/fake-upstream/server.ts';
import { startHost, type HostProcess } from '../e2e/support/host.ts';
import { mountSmallDisk } from '../e2e/support/tmpfs.ts';

const { values } = parseArgs({ options: { lang: { type: 'string', default: 'en' }, out: { type: 'string', default: 'docs/screenshots' } } });
const lang = values.lang as 'en' | 'ja' | 'zh';
const out = values.out!;
mkdirSync(out, { recursive: true });

const fake = await FakeUpstream.start();
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
const shot = (name: string) => page.screenshot({ path: join(out, `reliability-${name}${lang === 'en' ? '' : `.${lang}`}.png`) });
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kaiwa-rel-shots-'));
  dirs.push(d);
  return d;
};

async function open(host: HostProcess, o: { baseUrl?: string; maxRetries?: number } = {}) {
  await page.goto(host.url);
  await page.waitForSelector('nav');
  await page.evaluate(
    async ({ baseUrl, maxRetries }) => {
      const k = window.kaiwa!;
      await k.providers.update({ id: 'modelscope', baseUrl, ...(maxRetries !== undefined ? { maxRetries } : {}) });
      await k.providers.setKeys({ id: 'modelscope', keys: 'ms-demo-key-for-screenshots-0001' });
      await k.settings.update({ defaultModel: { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' } });
    },
    { baseUrl: o.baseUrl ?? fake.baseUrl, maxRetries: o.maxRetries },
  );
  await page.reload();
  await page.waitForSelector('nav');
}

async function ask(text: string) {
  const input = page.locator('.composer textarea');
  await input.fill(text);
  await input.press('Enter');
}

const settled = () => page.waitForSelector('article.assistant:last-of-type:not([data-status="streaming"])');

try {
  // 1. Upstream failures, each with its action; details open on the last one.
  {
    const host = await startHost({ dataDir: tmp(), lang });
    await open(host, { maxRetries: 0 });
    fake.enqueue(streamOf('Tokyo has about fourteen million people; the greater area is much larger.', { size: 8 }));
    await ask('How many people live in Tokyo?');
    await settled();
    fake.enqueue({
      kind: 'stream',
      flavor: 'dashscope',
      content: ['Here is the first part of the answer,', ' and then'],
      errorAfter: { chunks: 2, error: { message: 'Output data may contain inappropriate content.', type: 'data_inspection_failed', code: 'data_inspection_failed' } },
    });
    await ask('And the history of the city?');
    await page.waitForSelector('article.assistant:last-of-type[data-status="error"]');
    await shot('error-moderation');

    fake.enqueue(providerErrors.proxyHtml502());
    await ask('Try again, please');
    await page.waitForSelector('article.assistant:last-of-type[data-status="error"]');
    await page.locator('article.assistant').last().locator('summary').click();
    await shot('error-gateway');
    await host.stop();
  }
  {
    const host = await startHost({ dataDir: tmp(), lang });
    await open(host, { baseUrl: 'http://kaiwa-test.invalid/v1' });
    await ask('Hello?');
    await page.waitForSelector('article.assistant:last-of-type[data-status="error"]');
    await page.locator('article.assistant').last().locator('summary').click();
    await shot('error-dns');
    await host.stop();
  }

  // 2. A rate limit with retry-after: "Retrying in N s".
  {
    const host = await startHost({ dataDir: tmp(), lang });
    await open(host, { maxRetries: 2 });
    fake.enqueue(providerErrors.wandbConcurrency(20));
    await ask('Summarise the meeting notes');
    await page.waitForSelector('.stream-status');
    await page.waitForTimeout(1200);
    await shot('retrying');
    await page.locator('.composer button.danger').click();
    await host.stop();
  }

  // 3. A crash mid-answer, and the start after it.
  {
    const dataDir = tmp();
    let host = await startHost({ dataDir, lang });
    await open(host);
    fake.enqueue(streamOf('A long answer about the history of Edo and Tokyo, streaming steadily when the app dies. '.repeat(10), { size: 6, delayMs: 30 }));
    await ask('Tell me the history of Tokyo');
    await page.waitForTimeout(2500);
    await host.kill('SIGKILL');
    host = await startHost({ dataDir, lang });
    await page.goto(host.url);
    await page.waitForSelector('article.assistant[data-status="interrupted"]');
    await shot('interrupted');
    await host.stop();
  }

  // 4. A damaged database, and one locked by another program.
  {
    const dataDir = tmp();
    writeFileSync(join(dataDir, 'history.sqlite'), Buffer.alloc(8192, 0xa5));
    const host = await startHost({ dataDir, lang });
    await page.goto(host.url);
    await page.waitForSelector('.notice');
    await shot('db-corrupt');
    await host.stop();
  }
  {
    const dataDir = tmp();
    let host = await startHost({ dataDir, lang });
    await open(host);
    await host.stop();
    const locker = spawn(process.execPath, ['-e', `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(join(dataDir, 'history.sqlite'))}); db.exec('BEGIN EXCLUSIVE'); db.exec("CREATE TABLE IF NOT EXISTS lock_probe (x)"); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => locker.stdout.on('data', () => r()));
    host = await startHost({ dataDir, lang });
    await page.goto(host.url);
    await page.waitForSelector('.notice');
    await shot('db-locked');
    await host.stop();
    locker.kill('SIGKILL');
  }

  // 5. A full disk: sending and saving settings are refused with the disk-full text.
  const disk = mountSmallDisk(8);
  if (!disk) process.stdout.write('skipped the full-disk screenshots: mounting a tmpfs needs root\n');
  else {
    try {
      const host = await startHost({ dataDir: join(disk.dir, 'data'), lang });
      await open(host);
      fake.enqueue(streamOf('Saved before the disk filled up.'));
      await ask('A question saved before the disk filled');
      await settled();
      disk.fill();
      await ask('Written while the disk is full');
      await page.waitForSelector('.composer .error-box');
      await shot('disk-full');
      await page.locator('nav').getByRole('button').filter({ hasText: /Settings|設定|设置/ }).click();
      await page.locator('.settings-nav button, [aria-label] button').first().waitFor().catch(() => undefined);
      await page.getByRole('button', { name: /General|一般|常规|通用/ }).first().click();
      const idle = page.locator('.general-pane input[type="number"]');
      await idle.fill('45');
      await idle.blur();
      await page.waitForSelector('.general-pane .error-box');
      await shot('disk-full-settings');
      await host.stop();
    } finally {
      disk.unmount();
    }
  }
} finally {
  await browser.close();
  await fake.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
process.stdout.write(`screenshots in ${out}\n`);
