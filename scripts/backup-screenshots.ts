// Screenshots of Settings → Backup & restore after a backup with keys in browser mode: main wrote it
// into the data folder's `backups` folder (it is never downloaded through the page), and the form
// says where, why, and offers to open the folder. 1024x700 and 1280x800, light and dark, into
// docs/screenshots/security/.
// Usage: npx electron-vite build && node scripts/backup-screenshots.ts [--lang en|ja|zh]
import { join } from 'node:path';
import { testKey } from '../test/test-keys.ts';
import { startShots } from './lib/shots.ts';

const s = await startShots();
const { page } = s;
const out = join('docs', 'screenshots', 'security');
const label = (w: Record<'en' | 'ja' | 'zh', string>) => w[s.lang];

try {
  await s.open();
  await page.evaluate(async (key) => void (await window.kaiwa!.providers.setKeys({ id: 'modelscope', keys: key })), testKey('ms-', '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9'));
  await page.getByRole('button', { name: label({ en: 'Settings', ja: '設定', zh: '设置' }), exact: true }).click();
  await page.getByRole('button', { name: label({ en: 'Backup & restore', ja: 'バックアップと復元', zh: '备份与恢复' }), exact: true }).click();
  const form = page.locator('form.data-section').first();
  await form.locator('input[type=checkbox]').check();
  const [pass, again] = [form.locator('input[type=password]').nth(0), form.locator('input[type=password]').nth(1)];
  await pass.fill('correct horse battery staple');
  await again.fill('correct horse battery staple');
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('.saved-in-folder');

  const suffix = s.lang === 'en' ? '' : `.${s.lang}`;
  for (const [width, height] of [[1024, 700], [1280, 800]] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await form.locator('input[type=checkbox]').evaluate((el) => el.scrollIntoView({ block: 'start', inline: 'nearest' }));
      await page.screenshot({ path: join(out, `backup-in-data-folder-${width}x${height}-${scheme}${suffix}.png`) });
    }
  }
} finally {
  await s.stop();
}
