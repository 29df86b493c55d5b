// Fails early, with instructions, when there is no browser or no built renderer.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { clearE2eRecords } from '../../test/reliability.ts';

export default function globalSetup(): void {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    const bundled = (() => {
      try {
        return chromium.executablePath();
      } catch {
        return '';
      }
    })();
    if (!bundled || !existsSync(bundled)) {
      throw new Error(
        'No Chromium found for the e2e tests. Install one: `apt-get install -y chromium` (Debian/Ubuntu), ' +
          'or set CHROMIUM_PATH to a Chrome/Chromium binary.',
      );
    }
  }
  if (!existsSync('out/renderer/index.html')) {
    throw new Error('The renderer is not built: run `npx electron-vite build` (npm run test:e2e does this).');
  }
  // Reliability figures are per run (docs/RELIABILITY.md is rendered from them).
  clearE2eRecords();
}
