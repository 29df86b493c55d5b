// Browser mode's access token: it reaches the page only through the printed link's fragment, lives in
// that tab's sessionStorage, and never reaches anything else — not another service on 127.0.0.1
// (cookies ignore ports), not the address bar, the tab's history or the page's navigation entry.
// Without it the page says how to get in instead of staying blank.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

test('with Kaiwa open, a page on another loopback port receives no token: no cookie, no header, no storage', async ({ app: page, host, context }) => {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  // What "another service on 127.0.0.1" sees when the Kaiwa tab is sent there.
  const other = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>another service</title><p>hello</p>');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  const port = (other.address() as AddressInfo).port;
  try {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      await page.goto(`${origin}/`);
      await expect(page.getByText('hello')).toBeVisible();
      // A script on that page finds nothing of Kaiwa's either.
      expect(await page.evaluate(() => ({ cookie: document.cookie, stored: sessionStorage.length + localStorage.length }))).toEqual({ cookie: '', stored: 0 });
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const r of seen) {
      expect(r.headers.cookie, r.url).toBeUndefined();
      expect(JSON.stringify(r), r.url).not.toContain(host.token);
    }
    expect(await context.cookies()).toEqual([]);
  } finally {
    await new Promise<void>((r) => other.close(() => r()));
  }
});

test('the token leaves the address bar, the tab history and the navigation entry; a reload keeps working', async ({ page, host, context }) => {
  await page.goto(host.url);
  await expect(nav(page)).toBeVisible();
  expect(page.url()).toBe(`${host.origin}/`);
  // Chromium keeps a document's fragment in its navigation entry (history.replaceState does not
  // change it), so the page must be a new document without it.
  const entries = await page.evaluate(() => performance.getEntries().map((e) => e.name));
  expect(entries.join('\n')).not.toContain(host.token);
  expect(await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.name)).toBe(`${host.origin}/`);
  const cdp = await context.newCDPSession(page);
  const history = (await cdp.send('Page.getNavigationHistory')) as { entries: { url: string }[] };
  expect(history.entries.map((e) => e.url).join('\n')).not.toContain(host.token);
  expect(await context.cookies()).toEqual([]);

  await page.reload();
  await expect(nav(page)).toBeVisible();
  expect(page.url()).toBe(`${host.origin}/`);
});

const NO_LINK = {
  'en-US': { title: 'Open Kaiwa with its link', missing: 'without its access link', refused: 'no longer accepts the link' },
  'ja-JP': { title: 'Kaiwa はリンクから開いてください', missing: 'アクセス用のリンクを使わずに開かれました', refused: 'もう Kaiwa に受け付けられません' },
  'zh-CN': { title: '请通过链接打开 Kaiwa', missing: '不是通过访问链接打开的', refused: '已不再接受打开此页面所用的链接' },
} as const;

test('opened without the link (a bookmark, a restored tab): a translated page says to open the printed link, no socket is opened', async ({ browser, host }) => {
  for (const [locale, text] of Object.entries(NO_LINK)) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${host.origin}/`);
    await expect(page.getByRole('heading', { level: 1, name: text.title }), locale).toBeVisible();
    await expect(page.getByRole('alert')).toContainText(text.missing);
    await expect(page.getByText('npm run web').first()).toBeVisible();
    await expect(page.getByText(`Kaiwa ready: ${host.origin}/#token=…`)).toBeVisible();
    expect(sockets, locale).toEqual([]);
    await context.close();
  }
});

test('a link from an earlier run is refused with a page that says so; the current link then works in the same tab', async ({ browser, host }) => {
  for (const [locale, text] of Object.entries(NO_LINK)) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    // Well-formed but not this run's token: what a tab holds after `npm run web` was restarted.
    await page.goto(`${host.origin}/#token=${'x'.repeat(32)}`);
    await expect(page.getByRole('heading', { level: 1, name: text.title }), locale).toBeVisible();
    await expect(page.getByRole('alert')).toContainText(text.refused);
    expect(page.url()).toBe(`${host.origin}/`);
    // The stale token is forgotten: a reload shows the "open the link" page, not an endless retry.
    await page.reload();
    await expect(page.getByRole('alert')).toContainText(text.missing);
    await page.goto(host.url);
    await expect(page.getByRole('navigation').first()).toBeVisible();
    await context.close();
  }
});
