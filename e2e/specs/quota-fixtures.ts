// Fixtures for the quota and usage specs: the browser-mode host runs on a clock the test can move
// (KAIWA_TEST_CLOCK_FILE, see test/test-clock.ts), and screenshots for the docs
// are written only when KAIWA_SCREENSHOTS=1, so ordinary runs leave the repository untouched.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect as baseExpect, test as base } from '../support/fixtures.ts';
import { sendMessage } from '../support/chat.ts';

export interface Clock {
  /** Moves the app's clock so that it reads `instant` now (and keeps running from there). */
  set(instant: number): Promise<void>;
}

export const test = base.extend<{ clockFile: string; clock: Clock; machineTz: string }>({
  machineTz: ['UTC', { option: true }],
  // eslint-disable-next-line no-empty-pattern
  clockFile: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'kaiwa-clock-'));
    const file = join(dir, 'offset');
    writeFileSync(file, '0');
    await use(file);
    rmSync(dir, { recursive: true, force: true });
  },
  hostOptions: async ({ clockFile, machineTz }, use) => {
    await use({ env: { KAIWA_TEST_CLOCK_FILE: clockFile, TZ: machineTz } });
  },
  clock: async ({ clockFile }, use) => {
    await use({
      async set(instant) {
        writeFileSync(clockFile, String(instant - Date.now()));
        // The host re-reads the file at most every 100 ms.
        await new Promise((r) => setTimeout(r, 250));
      },
    });
  },
});

export { expect, useFakeProvider } from '../support/fixtures.ts';

/** A wall-clock time in Asia/Shanghai (UTC+8, no DST) as an instant. */
export const shanghai = (wall: string): number => Date.parse(`${wall}+08:00`);

export async function shoot(target: Page | Locator, name: string): Promise<void> {
  if (process.env['KAIWA_SCREENSHOTS'] !== '1') return;
  await target.screenshot({ path: join('docs', 'screenshots', `${name}.png`) });
}

export async function send(page: Page, text: string): Promise<Locator> {
  const before = await page.locator('article.assistant').count();
  await sendMessage(page, text);
  const reply = page.locator('article.assistant').nth(before);
  await reply.waitFor();
  return reply;
}

/** Waits until the answer is no longer streaming. */
export async function settled(reply: Locator): Promise<void> {
  await baseExpect(reply).not.toHaveAttribute('data-status', 'streaming', { timeout: 15_000 });
}
