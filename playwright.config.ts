import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// The e2e suite drives browser mode in Chromium. Order of preference: $CHROMIUM_PATH, Debian's
// /usr/bin/chromium, then Playwright's own download (if one was ever installed). No browser at all
// is a hard failure with instructions, never a silent skip.
function chromium(): string | undefined {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p));
}

const executablePath = chromium();

export default defineConfig({
  testDir: 'e2e/specs',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env['E2E_WORKERS'] ? Number(process.env['E2E_WORKERS']) : 2,
  retries: 0,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  globalSetup: './e2e/support/global-setup.ts',
  use: {
    browserName: 'chromium',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
