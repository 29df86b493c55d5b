// Screenshots of the provider settings where keys and headers are guarded: keys kept but detached
// after the base URL moved, a key the desktop app sealed (browser mode cannot open it), a base URL
// refused for carrying credentials, and custom headers that are secret unless marked otherwise.
// 1024x700 and 1280x800, light and dark, into docs/screenshots/security/.
// Usage: npx electron-vite build && node scripts/security-screenshots.ts [--lang en|ja|zh]
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testKey } from '../test/test-keys.ts';
import { startShots } from './lib/shots.ts';

const s = await startShots({ host: false });
const { page, fake } = s;
const out = join('docs', 'screenshots', 'security');

try {
  const dataDir = s.tmpDir();
  const first = await s.startHost({ dataDir });
  await s.open(first);
  // A key saved while ModelScope pointed at its own address, then the base URL moved to a gateway.
  await page.evaluate(
    async ({ baseUrl, key }) => {
      const k = window.kaiwa!;
      await k.providers.setKeys({ id: 'modelscope', keys: key });
      await k.providers.update({ id: 'modelscope', baseUrl, headers: { 'X-Team': 'kaiwa', 'Ocp-Apim-Subscription-Key': 'sub-0f1e2d3c4b5a69788796' }, publicHeaders: ['X-Team'] });
    },
    { baseUrl: fake.baseUrl, key: testKey('ms-', '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9') },
  );
  await first.stop();
  // A key the desktop app sealed with the OS keychain, in the same data folder (bytes only that keychain opens).
  const vaultPath = join(dataDir, 'keys.json');
  const vault = JSON.parse(readFileSync(vaultPath, 'utf8')) as { entries: Record<string, object[]> };
  vault.entries['modelscope']!.push({ id: 'kdesktop1', data: Buffer.concat([Buffer.from('v11'), randomBytes(48)]).toString('base64'), source: 'user', origin: new URL(fake.baseUrl).origin, sealedBy: 'gnome_libsecret' });
  writeFileSync(vaultPath, JSON.stringify(vault), { mode: 0o600 });
  const host = await s.startHost({ dataDir });
  await s.open(host);
  await page.getByRole('button', { name: { en: 'Settings', ja: '設定', zh: '设置' }[s.lang], exact: true }).click();
  await page.waitForSelector('form.provider-form');
  const form = page.locator('form.provider-form');
  await form.locator('input[id^="base-"]').fill('http://user:pass@127.0.0.1:18787/v1');

  const suffix = s.lang === 'en' ? '' : `.${s.lang}`;
  for (const [width, height] of [[1024, 700], [1280, 800]] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const name = (what: string) => join(out, `${what}-${width}x${height}-${scheme}${suffix}.png`);
      await form.locator('.detached-notice').evaluate((el) => el.scrollIntoView({ block: 'start', inline: 'nearest' }));
      await page.screenshot({ path: name('keys') });
      await form.locator('input[id^="base-"]').evaluate((el) => (el.closest('.field') ?? el).scrollIntoView({ block: 'start', inline: 'nearest' }));
      await page.screenshot({ path: name('base-url') });
      await form.locator('.headers-editor').evaluate((el) => el.scrollIntoView({ block: 'start', inline: 'nearest' }));
      await page.screenshot({ path: name('headers') });
    }
  }
} finally {
  await s.stop();
}
