// Screenshots of what a user sees when things go wrong: upstream failures with their
// actions, a retry wait, an answer interrupted by a crash, a damaged or locked history database,
// and a full disk (a real tmpfs: run as root). Browser mode against the fake upstream.
// Usage: npx electron-vite build && node scripts/reliability-screenshots.ts [--lang en|ja|zh] [--out docs/screenshots]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { providerErrors, streamOf } from '../test/fake-upstream/scenarios.ts';
import type { HostProcess } from '../e2e/support/host.ts';
import { mountSmallDisk } from '../test/tmpfs.ts';
import { startShots } from './lib/shots.ts';

const s = await startShots({ host: false });
const { page, fake } = s;
const shot = (name: string) => s.shot(`reliability-${name}`);

async function open(host: HostProcess, o: { baseUrl?: string; maxRetries?: number } = {}) {
  await s.open(host);
  await s.configure(
    [{ id: 'modelscope', keys: 'ms-demo-key-for-screenshots-0001', ...o }],
    { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' },
  );
}

const settled = () => page.waitForSelector('article.assistant:last-of-type:not([data-status="streaming"])');

try {
  // 1. Upstream failures, each with its action; details open on the last one.
  {
    const host = await s.startHost({ dataDir: s.tmpDir() });
    await open(host, { maxRetries: 0 });
    fake.enqueue(streamOf('Tokyo has about fourteen million people; the greater area is much larger.', { size: 8 }));
    await s.send('How many people live in Tokyo?');
    await settled();
    fake.enqueue({
      kind: 'stream',
      flavor: 'dashscope',
      content: ['Here is the first part of the answer,', ' and then'],
      errorAfter: { chunks: 2, error: { message: 'Output data may contain inappropriate content.', type: 'data_inspection_failed', code: 'data_inspection_failed' } },
    });
    await s.send('And the history of the city?');
    await page.waitForSelector('article.assistant:last-of-type[data-status="error"]');
    await shot('error-moderation');

    fake.enqueue(providerErrors.proxyHtml502());
    await s.send('Try again, please');
    await page.waitForSelector('article.assistant:last-of-type[data-status="error"]');
    await page.locator('article.assistant').last().locator('summary').click();
    await shot('error-gateway');
    await host.stop();
  }
  {
    const host = await s.startHost({ dataDir: s.tmpDir() });
    await open(host, { baseUrl: 'http://kaiwa-test.invalid/v1' });
    await s.send('Hello?');
    await page.waitForSelector('article.assistant:last-of-type[data-status="error"]');
    await page.locator('article.assistant').last().locator('summary').click();
    await shot('error-dns');
    await host.stop();
  }

  // 2. A rate limit with retry-after: "Retrying in N s".
  {
    const host = await s.startHost({ dataDir: s.tmpDir() });
    await open(host, { maxRetries: 2 });
    fake.enqueue(providerErrors.wandbConcurrency(20));
    await s.send('Summarise the meeting notes');
    await page.waitForSelector('.stream-status');
    await page.waitForTimeout(1200);
    await shot('retrying');
    await page.locator('.composer button.danger').click();
    await host.stop();
  }

  // 3. A crash mid-answer, and the start after it.
  {
    const dataDir = s.tmpDir();
    let host = await s.startHost({ dataDir });
    await open(host);
    fake.enqueue(streamOf('A long answer about the history of Edo and Tokyo, streaming steadily when the app dies. '.repeat(10), { size: 6, delayMs: 30 }));
    await s.send('Tell me the history of Tokyo');
    await page.waitForTimeout(2500);
    await host.kill('SIGKILL');
    host = await s.startHost({ dataDir });
    await page.goto(host.url);
    await page.waitForSelector('article.assistant[data-status="interrupted"]');
    await shot('interrupted');
    await host.stop();
  }

  // 4. A damaged database, and one locked by another program.
  {
    const dataDir = s.tmpDir();
    writeFileSync(join(dataDir, 'history.sqlite'), Buffer.alloc(8192, 0xa5));
    const host = await s.startHost({ dataDir });
    await page.goto(host.url);
    await page.waitForSelector('.notice');
    await shot('db-corrupt');
    await host.stop();
  }
  {
    const dataDir = s.tmpDir();
    let host = await s.startHost({ dataDir });
    await open(host);
    await host.stop();
    const locker = spawn(process.execPath, ['-e', `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(join(dataDir, 'history.sqlite'))}); db.exec('BEGIN EXCLUSIVE'); db.exec("CREATE TABLE IF NOT EXISTS lock_probe (x)"); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => locker.stdout.on('data', () => r()));
    host = await s.startHost({ dataDir });
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
      const host = await s.startHost({ dataDir: join(disk.dir, 'data') });
      await open(host);
      fake.enqueue(streamOf('Saved before the disk filled up.'));
      await s.send('A question saved before the disk filled');
      await settled();
      disk.fill();
      await s.send('Written while the disk is full');
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
  await s.stop();
}
process.stdout.write(`screenshots in ${s.out}\n`);
