// Where a provider lives: ModelScope's international site (its own API host and token page) and a
// Model Studio workspace host as "other endpoint". Requests go through a recording test proxy so
// the host Kaiwa asks for is visible without any name being resolved or any byte leaving 127.0.0.1.
import type { Page } from '@playwright/test';
import { TestProxy } from '../../test/fake-upstream/proxy.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendMessage } from '../support/chat.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

async function openSettings(page: Page, provider: string) {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: provider, exact: true }).click();
  return page.getByRole('form', { name: provider });
}

async function useProxy(page: Page, proxy: TestProxy): Promise<void> {
  await page.evaluate(async (url) => {
    const r = await window.kaiwa!.settings.update({ proxy: { mode: 'custom', url, noProxy: '' } });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }, proxy.url);
}

test('ModelScope international site: the request host and the token page follow the site; China stays the default', async ({ app: page, fake }) => {
  const proxy = await TestProxy.start();
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

    // The next question goes to the international host (the test proxy refuses the tunnel).
    await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
    await sendMessage(page, 'hello, international site');
    await expect(page.locator('article.assistant').last()).toHaveAttribute('data-status', 'error');
    expect(proxy.requests.map((r) => [r.method, r.target])).toContainEqual(['CONNECT', 'api-inference.modelscope.ai:443']);
    expect(proxy.requests.some((r) => r.target.includes('modelscope.cn'))).toBe(false);

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

test('Model Studio "other endpoint": a workspace host reaches the provider, picks its region, and keeps the region-bound-key hint', async ({ app: page, fake }) => {
  // https, as a real workspace host is: a key never crosses a proxy to a plain http:// address
  // (cleartext_proxy), so the request shows up at the test proxy as a tunnel to the workspace host,
  // which the proxy records and refuses. The key is first saved for the default Beijing endpoint.
  const WORKSPACE = 'ws-e2e4kaiwa.cn-beijing.maas.aliyuncs.com';
  const proxy = await TestProxy.start();
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
    await sendMessage(page, 'hello, workspace');
    await expect(page.locator('article.assistant').last()).toHaveAttribute('data-status', 'error');
    expect(proxy.requests.map((r) => [r.method, r.target])).toContainEqual(['CONNECT', `${WORKSPACE}:443`]);
    expect(proxy.requests.every((r) => r.target === `${WORKSPACE}:443`)).toBe(true);

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
