// Screenshots of the page browser mode shows when it is opened without its link (and with an earlier
// run's link): docs/screenshots/security/web-access-<missing|refused>-<w>x<h>-<light|dark>[.<lang>].png,
// at 1024x700 and 1280x800, light and dark, in en/ja/zh (the page follows the browser's language).
// Usage: node scripts/web-access-screenshots.ts (after `npx electron-vite build`).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startHost } from '../e2e/support/host.ts';

const OUT = 'docs/screenshots/security';
const LOCALES = { en: 'en-US', ja: 'ja-JP', zh: 'zh-CN' } as const;
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
];

mkdirSync(OUT, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'kaiwa-shots-'));
const host = await startHost({ dataDir });
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  for (const [lang, locale] of Object.entries(LOCALES)) {
    for (const viewport of SIZES) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ locale, viewport, colorScheme, deviceScaleFactor: 1 });
        const page = await context.newPage();
        const name = (kind: string) => join(OUT, `web-access-${kind}-${viewport.width}x${viewport.height}-${colorScheme}${lang === 'en' ? '' : `.${lang}`}.png`);
        await page.goto(`${host.origin}/`);
        await page.getByRole('alert').waitFor();
        await page.screenshot({ path: name('missing') });
        // Well-formed but not this run's token: what a tab holds after a restart of `npm run web`.
        await page.goto(`${host.origin}/#token=${'x'.repeat(32)}`);
        await page.waitForURL(`${host.origin}/`);
        await page.getByRole('alert').waitFor();
        await page.screenshot({ path: name('refused') });
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await host.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
