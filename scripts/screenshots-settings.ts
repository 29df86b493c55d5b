// Screenshots of the settings page (empty, filled, with an error) from the running app in browser
// mode against the fake upstream, driven through the UI like a user.
// Usage: npx electron-vite build && node scripts/screenshots-settings.ts [--lang en|ja|zh] [--out docs/screenshots]
import { providerErrors, streamOf } from '../test/fake-upstream/scenarios.ts';
import { testKey } from '../test/test-keys.ts';
import { startShots } from './lib/shots.ts';

const s = await startShots({
  viewport: { width: 1280, height: 900 },
  fake: { models: ['Qwen/Qwen3-235B-A22B-Instruct-2507', 'deepseek-ai/DeepSeek-V3.1', 'moonshotai/Kimi-K2-Instruct-0905'] },
  host: { env: { DASHSCOPE_API_KEY: testKey('sk-', '0a1b2c3d4e5f60718293a4b5c6d7e8f9') } },
});
const { page, fake, lang } = s;

const L = {
  en: { settings: 'Settings', keys: 'Paste API keys', baseUrl: 'Base URL', save: 'Save', check: 'Check', fetch: 'Fetch models' },
  ja: { settings: '設定', keys: 'API キーを貼り付け', baseUrl: 'ベース URL', save: '保存', check: 'チェック', fetch: 'モデルを取得' },
  zh: { settings: '设置', keys: '粘贴 API 密钥', baseUrl: 'Base URL', save: '保存', check: '检查', fetch: '获取模型列表' },
}[lang];

try {
  await s.open();
  await page.getByRole('button', { name: L.settings, exact: true }).click();
  // Empty: ModelScope as a new user first sees it.
  await page.waitForSelector('form.provider-form');
  await s.shot('settings-empty');

  // Filled: two pasted keys, pointed at the fake, models fetched, checked.
  const form = page.locator('form.provider-form');
  await form.getByLabel(L.keys).fill(`${testKey('ms-', '9f8e7d6c-5b4a-3210-fedc-ba9876543210')}\n${testKey('ms-', '0a1b2c3d-4e5f-6071-8293-a4b5c6d71234')}`);
  await form.getByLabel(L.baseUrl).fill(fake.baseUrl);
  await form.getByRole('button', { name: L.save, exact: true }).click();
  await page.getByRole('button', { name: L.fetch }).click();
  await page.waitForSelector('.badge.new');
  fake.enqueue({ ...streamOf('Hi'), flavor: 'modelscope', headerDelayMs: 180 });
  await page.locator('.pane-head').getByRole('button', { name: L.check, exact: true }).click();
  await page.waitForSelector('.pane-head ~ .check-outcome.ok');
  await page.locator('.settings-detail').evaluate((el) => el.scrollTo(0, 0));
  await s.shot('settings-filled');

  // Error: a rejected key, as Check reports it and as the key list then shows it.
  fake.acceptKeys = ['nothing-matches'];
  fake.enqueue(providerErrors.modelscopeBadToken());
  await page.locator('.pane-head').getByRole('button', { name: L.check, exact: true }).click();
  await page.waitForSelector('.pane-head ~ .check-outcome .error-box');
  await page.locator('.pane-head ~ .check-outcome .error-box summary').click();
  await page.waitForSelector('.key-row.failed');
  await page.locator('.settings-detail').evaluate((el) => el.scrollTo(0, 0));
  await s.shot('settings-error');

  // The model list further down, with badges and the fetched ones marked new.
  await page.locator('.model-section').scrollIntoViewIfNeeded();
  await s.shot('settings-models');

  // DashScope: the key imported from DASHSCOPE_API_KEY on first run, and the region picker.
  await page.getByRole('button', { name: /Alibaba Cloud Model Studio/ }).click();
  await page.locator('form.provider-form select').first().selectOption('beijing');
  await s.shot('settings-dashscope');
} finally {
  await s.stop();
}
process.stdout.write(`settings screenshots written to ${s.out}\n`);
