// The proxy setting: set in Settings → General, upstream calls go through an HTTP proxy
// on loopback (a recording forward proxy in front of the fake upstream), except a key for a plain
// http:// address, which is refused rather than shown to the proxy; set back to direct, they do not.
import type { Page } from '@playwright/test';
import { TestProxy } from '../../test/fake-upstream/proxy.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait, sendMessage } from '../support/chat.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

async function openProxySettings(page: Page) {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'General', exact: true }).click();
  return page.getByRole('form', { name: 'Network proxy' });
}

async function send(page: Page, text: string) {
  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
  await sendAndWait(page, text);
}

test('with a proxy set, the chat request goes through it; set back to direct, it does not', async ({ app: page, fake }) => {
  const proxy = await TestProxy.start();
  try {
    await useFakeProvider(page, fake);
    let form = await openProxySettings(page);
    await expect(form.getByRole('radio', { name: 'Through the system proxy' })).toBeChecked();
    await expect(form).toContainText('None is set, so requests go directly.');

    // A SOCKS address is refused with a reason, before anything is saved.
    await form.getByRole('radio', { name: 'Through this proxy' }).check();
    await form.getByRole('textbox', { name: 'Proxy address' }).fill('socks5://127.0.0.1:1080');
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(form.getByRole('alert')).toHaveText('Only HTTP and HTTPS proxies are supported (not SOCKS).');

    await form.getByRole('textbox', { name: 'Proxy address' }).fill(proxy.url);
    // The fake upstream is on 127.0.0.1, which bypasses the proxy by default (local model servers).
    await expect(form.getByRole('textbox', { name: 'Do not use the proxy for' })).toHaveValue('localhost, 127.0.0.1, ::1');
    await form.getByRole('textbox', { name: 'Do not use the proxy for' }).fill('');
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(form.getByRole('status')).toHaveText('Applied to the next request');
    await page.screenshot({ path: 'docs/screenshots/settings-proxy.png' });

    // The fake upstream is plain http://: a key must not cross the proxy in the clear. The chat is
    // refused before anything is sent, and the message says why and what to do.
    await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
    await sendMessage(page, 'Hello via proxy, with a key');
    await expect(page.locator('article.assistant').last().getByRole('alert')).toContainText(
      `Kaiwa did not send the key of ModelScope: ${new URL(fake.baseUrl).origin} is plain HTTP, and the request would pass your proxy ${proxy.url}, which could read the key. Use an https:// address, or add 127.0.0.1 to “Do not use the proxy for” in Settings → General → Network proxy.`,
    );
    expect(proxy.requests).toEqual([]);
    expect(fake.chatRequests()).toEqual([]);

    // A local server without a key has nothing to hide: it goes through the proxy.
    await page.evaluate(async (baseUrl) => {
      const k = window.kaiwa!;
      const local = await k.providers.add({ name: 'Local server', baseUrl });
      if (!local.ok) throw new Error(JSON.stringify(local.error));
      const r = await k.settings.update({ defaultModel: { providerId: local.value.id, modelId: 'fake-model' } });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
    }, fake.baseUrl);
    await page.reload();
    await nav(page).getByRole('button', { name: 'New chat' }).click();
    fake.enqueue({ kind: 'stream', content: ['Through ', 'the proxy.'] });
    await sendAndWait(page, 'Hello via proxy');
    await expect(page.locator('article.assistant').last().locator('.message-body')).toHaveText('Through the proxy.');
    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([['POST', `${fake.baseUrl}/chat/completions`]]);
    expect(proxy.requests[0]!.headers['authorization']).toBeUndefined();
    expect(fake.chatRequests()).toHaveLength(1);

    // Back to direct: the next request does not touch the proxy.
    form = await openProxySettings(page);
    await form.getByRole('radio', { name: 'Directly, without a proxy' }).check();
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(form.getByRole('status')).toHaveText('Applied to the next request');
    fake.enqueue({ kind: 'stream', content: ['Direct.'] });
    await send(page, 'Hello directly');
    expect(proxy.requests).toHaveLength(1);
    expect(fake.chatRequests()).toHaveLength(2);

    // The setting is kept across a restart of the page.
    await page.reload();
    form = await openProxySettings(page);
    await expect(form.getByRole('radio', { name: 'Directly, without a proxy' })).toBeChecked();
  } finally {
    await proxy.close();
  }
});
