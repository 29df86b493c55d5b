// Screenshots of the confirmation a fetch asks for when the page redirects to another site: 1024x700
// and 1280x800, light and dark, in the language given. Browser mode against the fake upstream and a
// local page server reached as 127.0.0.1 and as localhost (two host names, so the redirect is to
// "another site"; loopback fetch test switch).
// Usage: npx electron-vite build && node scripts/redirect-confirm-screenshots.ts [--lang en|ja|zh] --out docs/screenshots/security
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamOf } from '../test/fake-upstream/scenarios.ts';
import { startShots, type Lang } from './lib/shots.ts';

const pages = createServer((req, res) => {
  const port = (pages.address() as AddressInfo).port;
  if (req.url === '/release-notes') {
    res.writeHead(302, { Location: `http://localhost:${port}/mirror/kaiwa-0.2-release-notes.html` });
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end('<html><head><title>Release notes</title></head><body><h1>Kaiwa 0.2</h1></body></html>');
});
await new Promise<void>((r) => pages.listen(0, '127.0.0.1', () => r()));
const pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/release-notes`;

const s = await startShots({ host: { env: { KAIWA_TEST_FETCH_ALLOW_LOOPBACK: '1' } } });
const { page, fake, lang } = s;
const question: Record<Lang, string> = {
  en: 'What is new in Kaiwa 0.2? The notes are at ' + pageUrl,
  ja: 'Kaiwa 0.2 の新機能は？ リリースノート：' + pageUrl,
  zh: 'Kaiwa 0.2 有什么新功能？发布说明：' + pageUrl,
};

try {
  await s.open();
  await s.configure([{ id: 'modelscope', keys: 'ms-demo-key-for-screenshots' }], { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });
  // The fetch tool on, through the settings panel (language-independent selectors).
  await page.locator('.sidebar button.primary, nav button.primary').first().click();
  await page.locator('.chat-head button[aria-controls="conversation-settings"]').click();
  await page.locator('.tool-settings input[type="checkbox"]').nth(2).check();
  await page.locator('.params-head button').click();

  fake.enqueue({ kind: 'stream', toolCalls: [{ id: 'call_fetch', name: 'fetch_url', args: [`{"url":"${pageUrl}"}`] }] }, streamOf('—'));
  await s.send(question[lang]);
  await page.locator('dialog.tool-confirm[open]').waitFor();
  await page.locator('dialog.tool-confirm button.primary').click();
  await page.locator('dialog.tool-confirm[open] .tool-confirm-from').waitFor();
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => (document.documentElement.dataset['theme'] = t), theme);
    for (const [width, height] of [[1024, 700], [1280, 800]] as const) {
      await page.setViewportSize({ width, height });
      await page.mouse.move(5, 5);
      await page.waitForTimeout(300);
      await s.shot(`redirect-confirm-${width}x${height}-${theme}`);
    }
  }
  await page.locator('dialog.tool-confirm button.primary').click();
} finally {
  await s.stop();
  pages.close();
}
