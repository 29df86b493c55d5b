// Where a provider lives: ModelScope's international site (its own API host and token page) and a
// Model Studio workspace host as "other endpoint". Requests go through a recording test proxy so
// the host Kaiwa asks for is visible without any name being resolved or any byte leaving 127.0.0.1.
//
// Both hosts are https:// (keys are bound to their origin, and a key never crosses a proxy to a plain
// http:// address), so Kaiwa opens a CONNECT tunnel to `host:443` at the proxy. The proxy takes the
// tunnel for exactly these two names, answers the TLS handshake with a certificate for them signed by
// a CA made for this run, and passes the request to the fake upstream. The host process trusts that
// CA through NODE_EXTRA_CA_CERTS (set when it is started, like a corporate root would be): Kaiwa's
// certificate check stays on and nothing in the product knows about the test.
import type { Page } from '@playwright/test';
import { TestProxy } from '../../test/fake-upstream/proxy.ts';
import { throwawayCa, type ThrowawayCa } from '../../test/fake-upstream/self-signed.ts';
import type { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { expect, test as base, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait } from '../support/chat.ts';

const INTERNATIONAL = 'api-inference.modelscope.ai';
const WORKSPACE = 'ws-e2e4kaiwa.cn-beijing.maas.aliyuncs.com';

const test = base.extend<{ hostCa: ThrowawayCa }>({
  // eslint-disable-next-line no-empty-pattern
  hostCa: async ({}, use) => {
    const ca = throwawayCa([INTERNATIONAL, WORKSPACE]);
    await use(ca);
    ca.dispose();
  },
  hostOptions: async ({ hostCa }, use) => use({ env: { NODE_EXTRA_CA_CERTS: hostCa.caFile } }),
});

test.use({ viewport: { width: 1280, height: 800 } });

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

async function openSettings(page: Page, provider: string) {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: provider, exact: true }).click();
  return page.getByRole('form', { name: provider });
}

/** The recording proxy, carrying tunnels to the two provider hosts through to the fake upstream. */
function tunnellingProxy(fake: FakeUpstream, ca: ThrowawayCa): Promise<TestProxy> {
  return TestProxy.start({}, { to: { [INTERNATIONAL]: fake.port, [WORKSPACE]: fake.port }, key: ca.key, cert: ca.cert });
}

const lastAnswer = (page: Page) => page.locator('article.assistant').last();

async function useProxy(page: Page, proxy: TestProxy): Promise<void> {
  await page.evaluate(async (url) => {
    const r = await window.kaiwa!.settings.update({ proxy: { mode: 'custom', url, noProxy: '' } });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }, proxy.url);
}

test('ModelScope international site: the request host and the token page follow the site; China stays the default', async ({ app: page, fake, hostCa }) => {
  const proxy = await tunnellingProxy(fake, hostCa);
  try {
    await useFakeProvider(page, fake, { baseUrl: 'https://api-inference.modelscope.cn/v1' });
    await useProxy(page, proxy);
    let form = await openSettings(page, 'ModelScope');
    const site = form.getByRole('combobox', { name: /^Site/ });
    await expect(site).toHaveValue('cn');
    await expect(page.getByRole('button', { name: /^Get a key at modelscope\.cn/ })).toHaveAttribute('title', 'https://modelscope.cn/my/myaccesstoken');

    await site.selectOption({ label: 'International (modelscope.ai)' });
    await expect(form.getByTestId('request-url')).toHaveText('https://api-inference.modelscope.ai/v1/chat/completions');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(form.getByRole('status')).toHaveText('Saved');
    await expect(page.getByRole('button', { name: /^Get a key at modelscope\.ai/ })).toHaveAttribute('title', 'https://modelscope.ai/my/myaccesstoken');

    // The site is another origin: the China token was saved for modelscope.cn and is never sent to
    // modelscope.ai. The page says so and asks for a token of the international site.
    await expect(form.getByRole('note')).toContainText('Paste the key(s) again for the new address.');
    await expect(form.getByRole('listitem', { name: 'Key ms-…0001' })).toContainText('Saved for https://api-inference.modelscope.cn.');
    await form.getByLabel('Paste API keys').fill('ms-intl-token-0002');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(form.getByRole('listitem', { name: 'Key ms-…0002' })).toContainText('in use');
    await expect(form.getByRole('listitem', { name: 'Key ms-…0001' })).toContainText('not sent');

    // The next question goes to the international host, with the international token, and is answered.
    await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
    await sendAndWait(page, 'hello, international site');
    await expect(lastAnswer(page).locator('.message-body')).toHaveText('Hello from the fake upstream.');
    expect(proxy.requests.map((r) => [r.method, r.target])).toContainEqual(['CONNECT', `${INTERNATIONAL}:443`]);
    expect(proxy.requests.some((r) => r.target.includes('modelscope.cn'))).toBe(false);
    const chats = fake.chatRequests();
    expect(chats).toHaveLength(1);
    expect(chats[0]!.headers['host']).toBe(INTERNATIONAL);
    expect(chats[0]!.path).toBe('/v1/chat/completions');
    expect(chats[0]!.headers['authorization']).toBe('Bearer ms-intl-token-0002');
    expect(JSON.stringify(fake.requests)).not.toContain('ms-test-key-0001');

    // Kept after a restart of the page; back to China puts the China host back.
    await page.reload();
    form = await openSettings(page, 'ModelScope');
    await expect(form.getByRole('combobox', { name: /^Site/ })).toHaveValue('intl');
    await form.getByRole('combobox', { name: /^Site/ }).selectOption('cn');
    await expect(form.getByTestId('request-url')).toHaveText('https://api-inference.modelscope.cn/v1/chat/completions');
  } finally {
    await proxy.close();
  }
});

test('Model Studio "other endpoint": a workspace host reaches the provider, picks its region, and keeps the region-bound-key hint', async ({ app: page, fake, hostCa }) => {
  // https, as a real workspace host is: the request reaches the fake upstream through a tunnel to
  // the workspace host (see the top of this file). The key is first saved for the default Beijing
  // endpoint.
  const proxy = await tunnellingProxy(fake, hostCa);
  try {
    await useFakeProvider(page, fake, { providerId: 'dashscope', model: 'qwen-plus', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1' });
    await useProxy(page, proxy);
    const form = await openSettings(page, 'Alibaba Cloud Model Studio');
    const region = form.getByRole('combobox', { name: /^Region/ });
    await region.selectOption({ label: 'Other endpoint (workspace host or another region)' });
    await expect(form).toContainText('a workspace host such as {WorkspaceId}.ap-southeast-1.maas.aliyuncs.com (with /compatible-mode/v1)');
    await expect(page.getByText(/region/i).filter({ hasText: /key/i }).first()).toBeVisible();
    await form.getByLabel('Base URL', { exact: true }).fill(`https://${WORKSPACE}/compatible-mode/v1`);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(form.getByRole('status')).toHaveText('Saved');
    await expect(form.getByTestId('request-url')).toHaveText(`https://${WORKSPACE}/compatible-mode/v1/chat/completions`);

    // The workspace host is another origin: the key saved for the regional endpoint is not sent there
    // until it is pasted again for the workspace host.
    await expect(form.getByRole('note')).toContainText('Paste the key(s) again for the new address.');
    await form.getByLabel('Paste API keys').fill('sk-workspace-key-0002');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(form.getByRole('listitem', { name: /^Key .*0002$/ })).toContainText('in use');

    await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
    fake.enqueue({ kind: 'stream', content: ['Hello from', ' the workspace.'] });
    await sendAndWait(page, 'hello, workspace');
    await expect(lastAnswer(page).locator('.message-body')).toHaveText('Hello from the workspace.');
    expect(proxy.requests.map((r) => [r.method, r.target])).toContainEqual(['CONNECT', `${WORKSPACE}:443`]);
    expect(proxy.requests.every((r) => r.target === `${WORKSPACE}:443`)).toBe(true);
    const chats = fake.chatRequests();
    expect(chats).toHaveLength(1);
    expect(chats[0]!.headers['host']).toBe(WORKSPACE);
    expect(chats[0]!.path).toBe('/compatible-mode/v1/chat/completions');
    expect(chats[0]!.headers['authorization']).toBe('Bearer sk-workspace-key-0002');

    // The host names cn-beijing: the Beijing catalogue is shown; the picker still says "other endpoint".
    const view = await page.evaluate(async () => {
      const r = await window.kaiwa!.providers.list({});
      return r.ok ? r.value.find((p) => p.id === 'dashscope')! : null;
    });
    expect(view!.region).toBe('beijing');
    await openSettings(page, 'Alibaba Cloud Model Studio');
    await expect(form.getByRole('combobox', { name: /^Region/ })).toHaveValue('other');
  } finally {
    await proxy.close();
  }
});
