// Screenshots of the screens the providers update changed, for docs/screenshots/providers/: the
// composer's Thinking and Web search switches with sources under an answer, the ModelScope site
// choice, Model Studio's "other endpoint", the model list (New, Gone, capabilities), the per-key
// quota meter and a wire error. 1024x700 and 1280x800, light and dark, en/ja/zh. Written only with
// KAIWA_SCREENSHOTS=1, so ordinary runs leave the repository untouched.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { MODELSCOPE } from '../../electron/services/providers/presets.ts';
import { providerErrors, streamOf } from '../../test/fake-upstream/scenarios.ts';
import type { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait, sendMessage, waitUntilAnswered } from '../support/chat.ts';

test.skip(process.env['KAIWA_SCREENSHOTS'] !== '1', 'screenshots only on request');
test.setTimeout(900_000);

const LANGS = ['en', 'ja', 'zh'] as const;
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
];
const THEMES = ['light', 'dark'] as const;

// By position: the names are translated. Chats, Usage, Settings carry aria-pressed.
const navButton = (page: Page, i: 0 | 2) => page.locator('nav button[aria-pressed]').nth(i);

async function look(page: Page, lang: string, theme: string): Promise<void> {
  await page.evaluate(
    async ({ lang, theme }) => {
      await window.kaiwa!.settings.update({ language: lang as 'en', theme: theme as 'light' });
    },
    { lang, theme },
  );
  await page.reload();
  await expect(navButton(page, 0)).toBeVisible();
}

async function shootAll(page: Page, name: string, open: () => Promise<void>): Promise<void> {
  for (const lang of LANGS) {
    for (const theme of THEMES) {
      await look(page, lang, theme);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await open();
        await page.waitForTimeout(150);
        await page.screenshot({ path: join('docs', 'screenshots', 'providers', `${name}-${size.width}-${theme}-${lang}.png`) });
      }
    }
  }
}

async function chatWithSwitches(page: Page, fake: FakeUpstream): Promise<void> {
  await useFakeProvider(page, fake, { providerId: 'dashscope', model: 'qwen-plus' });
  fake.enqueue({
    kind: 'raw',
    events: [
      { data: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'qwen-plus', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], search_info: { search_results: [{ index: 1, title: 'Kaiwa 1.2 release notes', url: 'https://example.com/kaiwa/1.2', site_name: 'Example News' }, { index: 2, title: 'Model Studio: web search', url: 'https://www.alibabacloud.com/help/en/model-studio/web-search', site_name: 'Alibaba Cloud' }] } } },
      { data: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'qwen-plus', choices: [{ index: 0, delta: { content: 'Kaiwa 1.2 shipped today with per-conversation web search [1][2].' }, finish_reason: 'stop' }] } },
    ],
  });
  await sendAndWait(page, 'What shipped today?');
  await page.getByRole('button', { name: 'Web search', exact: true }).click();
  await page.getByRole('button', { name: 'Thinking', exact: true }).click();
}

test('screenshots: composer switches, sources, settings, models, quota, errors', async ({ app: page, fake }) => {
  await chatWithSwitches(page, fake);
  await shootAll(page, 'chat-search-thinking', async () => {
    await navButton(page, 0).click();
  });

  // A wire error the user now understands: a proxy login page where the API should be.
  fake.enqueue(providerErrors.loginPage200());
  await look(page, 'en', 'light');
  await sendMessage(page, 'Are you there?');
  await waitUntilAnswered(page, 15_000);
  await shootAll(page, 'error-login-page', async () => {
    await navButton(page, 0).click();
  });

  // Model Studio: other endpoint.
  const openProvider = async (name: RegExp) => {
    await navButton(page, 2).click();
    await page.locator('.provider-list button').filter({ hasText: name }).first().click();
  };
  await shootAll(page, 'dashscope-other-endpoint', async () => {
    await openProvider(/Model Studio|百炼|Model Studio/);
    const sel = page.locator('.provider-form select').first();
    await sel.selectOption('other');
    await sel.scrollIntoViewIfNeeded();
    await page.locator('.provider-form input[type="url"]').scrollIntoViewIfNeeded();
  });

  // ModelScope: the site choice, New and Gone models, the capability editor.
  fake.models = [...MODELSCOPE.models.map((m) => m.id).filter((id) => id !== 'Qwen/Qwen3-Coder-30B-A3B-Instruct'), 'deepseek-ai/DeepSeek-V4-Flash', 'ZhipuAI/GLM-5.1', 'moonshotai/Kimi-K2.5'];
  await look(page, 'en', 'light');
  await useFakeProvider(page, fake, { key: 'ms-first-account-token-0001\nms-second-account-token-0002', model: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });
  await page.evaluate(async () => {
    await window.kaiwa!.providers.fetchModels({ id: 'modelscope' });
  });
  await shootAll(page, 'modelscope-site', async () => {
    await openProvider(/ModelScope|魔搭/);
    const sel = page.locator('.provider-form select').first();
    await sel.selectOption('intl');
    await page.getByTestId('request-url').scrollIntoViewIfNeeded();
  });
  await shootAll(page, 'models-new-gone-capabilities', async () => {
    await openProvider(/ModelScope|魔搭/);
    await page.locator('.model-list li').filter({ hasText: 'Kimi-K2.5' }).first().scrollIntoViewIfNeeded();
    const row = page.locator('.model-list li').filter({ hasText: 'Qwen3-235B-A22B-Instruct-2507' }).first();
    const edit = row.locator('button[aria-expanded]');
    if ((await edit.getAttribute('aria-expanded')) !== 'true') await edit.click();
    await row.scrollIntoViewIfNeeded();
  });

  // Two ModelScope tokens, the first used up: the meter lists both.
  fake.enqueue(streamOf('Last call of the day.', { headers: { 'modelscope-ratelimit-requests-limit': '2000', 'modelscope-ratelimit-requests-remaining': '0' } }));
  await look(page, 'en', 'light');
  await navButton(page, 0).click();
  await page.getByRole('button', { name: 'New chat' }).click();
  await sendAndWait(page, 'first');
  fake.enqueue(streamOf('A fresh account answers.', { headers: { 'modelscope-ratelimit-requests-limit': '2000', 'modelscope-ratelimit-requests-remaining': '1999' } }));
  await sendAndWait(page, 'second');
  await shootAll(page, 'quota-two-tokens', async () => {
    await navButton(page, 0).click();
  });
});
