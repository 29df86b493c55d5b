// Providers and settings, end to end in browser mode against the fake upstream: the
// settings page driven by role and name like a person (or a screen reader) would.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { providerErrors, streamOf } from '../../test/fake-upstream/scenarios.ts';
import type { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { expect, test } from '../support/fixtures.ts';
import { startHost, type HostProcess } from '../support/host.ts';
import { browserState, filesUnder, holdsKey, keyForms } from '../support/leaks.ts';
import { backToChatAndSend, lastAnswer, nav, openSettings, saveModelScopeKey } from '../support/ui.ts';
import { testKey } from '../../test/test-keys.ts';


async function openApp(page: Page, host: HostProcess) {
  await page.goto(host.url);
  await expect(nav(page)).toBeVisible();
}

/**
 * The new-user flow exactly as a person does it: Settings → ModelScope → paste the token → pick a
 * model → back to chat → send → the reply streams in. Only the base URL differs from real life: it
 * points at the fake upstream instead of api-inference.modelscope.cn.
 */
async function newUserFlow(page: Page, fake: FakeUpstream, key: string, model: string, answer: string) {
  await saveModelScopeKey(page, fake.baseUrl, key, model);
  await expect(page.getByRole('listitem', { name: model, exact: true }).getByText('Default', { exact: true })).toBeVisible();

  fake.enqueue({ ...streamOf(answer, { size: 5, delayMs: 15 }), flavor: 'modelscope' });
  await backToChatAndSend(page, 'Hello, who are you?');
  await expect(lastAnswer(page).locator('.message-body')).toHaveText(answer);
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
}

test('new user: ModelScope token → model → chat streams; after a host restart provider, masked key and model are still there', async ({ page, host, fake }) => {
  const key = testKey('ms-', '5f0c3a7e-91b2-4d6a-8c3e-0a1b2c3d4e5f');
  const model = 'Qwen/Qwen3-30B-A3B-Instruct-2507';
  const answer = 'I am Kaiwa talking to a fake ModelScope, one small piece at a time.';
  await openApp(page, host);
  await newUserFlow(page, fake, key, model, answer);

  const req = fake.chatRequests()[0]!;
  expect(req.headers['authorization']).toBe(`Bearer ${key}`);
  expect(req.body).toMatchObject({ model, stream: true });
  await expect(page.getByRole('combobox', { name: 'Model' }).locator('option:checked')).toHaveText(model);

  // Restart the host on the same data dir, like quitting and reopening the app.
  await host.stop();
  const again = await startHost({ dataDir: host.dataDir });
  try {
    await openApp(page, again);
    await expect(nav(page).getByRole('button', { name: 'Hello, who are you?' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Model' }).locator('option:checked')).toHaveText(model);
    await expect(lastAnswer(page).locator('.message-body')).toHaveText(answer);

    const form = await openSettings(page, 'ModelScope');
    await expect(form.getByLabel('Base URL')).toHaveValue(fake.baseUrl);
    await expect(form.getByLabel('Default model')).toHaveValue(model);
    await expect(form.getByText('1 key(s) stored')).toBeVisible();
    await expect(form.getByRole('list', { name: 'Stored keys' }).getByRole('listitem')).toHaveText(/ms-…4e5f/);
    await expect(page.getByRole('listitem', { name: model, exact: true }).getByText('Default', { exact: true })).toBeVisible();

    // And it still works after the restart.
    fake.enqueue(streamOf('Still here.'));
    await backToChatAndSend(page, 'Still there?');
    await expect(lastAnswer(page).locator('.message-body')).toHaveText('Still here.');
    expect(fake.chatRequests().at(-1)!.headers['authorization']).toBe(`Bearer ${key}`);
  } finally {
    await again.stop();
  }
});

test('the raw key reaches main once and then appears nowhere: no socket frame back, no DOM, storage, IndexedDB, log or data file', async ({ page, host, fake, context }) => {
  const key = testKey('ms-', '7d3f9e21-4c6b-4a8d-b1e0-9f8e7d6c5b4a');
  const forms = keyForms(key);
  const frames: { dir: 'sent' | 'received'; text: string }[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push({ dir: 'sent', text: typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8') }));
    ws.on('framereceived', (f) => frames.push({ dir: 'received', text: typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8') }));
  });
  const snapshots: { name: string; text: string; showsKeyList: boolean }[] = [];

  await openApp(page, host);
  await newUserFlow(page, fake, key, 'Qwen/Qwen3-Coder-30B-A3B-Instruct', 'A reply that must not carry any secret.');
  snapshots.push({ name: 'chat after the reply', text: await browserState(page), showsKeyList: false });

  // Error paths write to the log: a rejected check and a failed chat.
  const form = await openSettings(page, 'ModelScope');
  fake.acceptKeys = ['another-key'];
  await page.locator('.pane-head').getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ModelScope rejected the API key' })).toBeVisible();
  await expect(form.getByRole('list', { name: 'Stored keys' })).toContainText('ms-…5b4a');
  snapshots.push({ name: 'settings after a failed check', text: await browserState(page), showsKeyList: true });
  await backToChatAndSend(page, 'and now?');
  await expect(lastAnswer(page).getByRole('alert')).toContainText('rejected the API key');
  snapshots.push({ name: 'chat after a failed send', text: await browserState(page), showsKeyList: false });

  // Restart: the key is read back from the vault, never sent out.
  await host.stop();
  const again = await startHost({ dataDir: host.dataDir });
  try {
    await openApp(page, again);
    await openSettings(page, 'ModelScope');
    await expect(page.getByRole('list', { name: 'Stored keys' })).toContainText('ms-…5b4a');
    snapshots.push({ name: 'settings after a restart', text: await browserState(page), showsKeyList: true });
  } finally {
    await again.stop();
  }

  // Sent once, inbound, in the one call that carries keys.
  const carrying = frames.filter((f) => holdsKey(f.text, forms).length);
  expect(carrying).toHaveLength(1);
  expect(carrying[0]!.dir).toBe('sent');
  expect(JSON.parse(carrying[0]!.text)).toMatchObject({ t: 'call', name: 'providers.setKeys' });
  expect(frames.filter((f) => f.dir === 'received').length).toBeGreaterThan(20);

  for (const s of snapshots) {
    expect(holdsKey(s.text, forms), s.name).toEqual([]);
    // The masked form is there, so the snapshot did see the key list.
    if (s.showsKeyList) expect(s.text).toContain('ms-…5b4a');
  }
  const cookies = JSON.stringify(await context.cookies());
  expect(holdsKey(cookies, forms)).toEqual([]);

  const logFile = join(host.dataDir, 'logs', 'kaiwa.log');
  const logText = readFileSync(logFile, 'utf8');
  expect(logText).toContain('auth_invalid_key'); // the failure was logged, without the key
  expect(holdsKey(logText, forms)).toEqual([]);
  expect(holdsKey(host.output() + again.output(), forms)).toEqual([]);

  // At rest: no file in the data dir (settings, history database, WAL, vault, logs) holds it in clear.
  const files = filesUnder(host.dataDir);
  expect(files.some((f) => f.endsWith('keys.json'))).toBe(true);
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const form of forms) expect(bytes.includes(Buffer.from(form)), `${f} holds ${form === key ? 'the key' : 'an encoding of the key'}`).toBe(false);
  }
});

test('W&B: the project field reaches the upstream as the OpenAI-Project header', async ({ app: page, fake }) => {
  const form = await openSettings(page, 'W&B Inference');
  await form.getByLabel('Paste API keys').fill('wandb-e2e-key-0123456789abcdef');
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByLabel('Project (team/project)').fill('not a project');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('alert')).toContainText('team/project');
  await form.getByLabel('Project (team/project)').fill('kaiwa-team/e2e-project');
  await form.getByLabel('Default model').fill('moonshotai/Kimi-K2-Instruct');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');

  fake.enqueue({ ...streamOf('Billed to your project.'), flavor: 'wandb' });
  await backToChatAndSend(page, 'hi');
  await expect(lastAnswer(page).locator('.message-body')).toHaveText('Billed to your project.');
  const req = fake.chatRequests()[0]!;
  expect(req.headers['openai-project']).toBe('kaiwa-team/e2e-project');
  expect(req.headers['authorization']).toBe(`Bearer ${'wandb-e2e-key-0123456789abcdef'}`);
  expect(req.body).toMatchObject({ model: 'moonshotai/Kimi-K2-Instruct' });
});

test('DashScope: switching the region changes the request URL at once, then the stored base URL and the model list', async ({ app: page }) => {
  const form = await openSettings(page, 'Alibaba Cloud Model Studio');
  const preview = form.getByTestId('request-url');
  await expect(preview).toHaveText('https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions');
  await expect(page.getByText('Keys are bound to the region they were created in')).toBeVisible();

  await form.getByLabel('Region').selectOption({ label: 'China (Beijing)' });
  await expect(preview).toHaveText('https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions');
  await expect(form.getByLabel('Base URL')).toHaveValue('https://dashscope.aliyuncs.com/compatible-mode/v1');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  // Beijing's catalogue (Qwen-Math is listed there only).
  await expect(page.getByRole('listitem', { name: 'qwen-math-plus', exact: true })).toBeVisible();

  await form.getByLabel('Region').selectOption({ label: 'US (Virginia)' });
  await expect(preview).toHaveText('https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(page.getByRole('list', { name: 'Models' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('listitem', { name: 'qwen-plus-us', exact: true })).toBeVisible();

  // What main will use for requests, read back after a reload.
  await page.reload();
  const again = await openSettings(page, 'Alibaba Cloud Model Studio');
  await expect(again.getByLabel('Region')).toHaveValue('us');
  await expect(again.getByTestId('request-url')).toHaveText('https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions');
  const stored = await page.evaluate(async () => {
    const r = await window.kaiwa!.providers.list({});
    return r.ok ? r.value.find((p) => p.id === 'dashscope')!.baseUrl : null;
  });
  expect(stored).toBe('https://dashscope-us.aliyuncs.com/compatible-mode/v1');

  // Typing a base URL updates the preview on every keystroke, and says when it is not a URL.
  await again.getByLabel('Base URL').fill('http://127.0.0.1:8080/proxy/v1/');
  await expect(again.getByTestId('request-url')).toHaveText('http://127.0.0.1:8080/proxy/v1/chat/completions');
  await again.getByLabel('Base URL').fill('not a url');
  await expect(again.getByTestId('request-url')).toHaveText('(not a valid http(s) URL)');
  await again.getByRole('button', { name: 'Reset to default' }).click();
  await expect(again.getByTestId('request-url')).toHaveText('https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions');
});

test('a custom provider (no key, custom headers) works, and can be removed', async ({ app: page, fake }) => {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Add provider' }).click();
  const add = page.getByRole('form', { name: 'Add a custom provider' });
  await add.getByLabel('Name').fill('Local LLM');
  await add.getByLabel('Base URL').fill(fake.baseUrl);
  await add.getByRole('button', { name: 'Add', exact: true }).click();

  const form = page.getByRole('form', { name: 'Local LLM' });
  await expect(form.getByText('No key stored (optional for this provider)')).toBeVisible();
  await form.getByRole('button', { name: 'Add header' }).click();
  await form.getByLabel('Header name').fill('Authorization');
  await form.getByLabel('Header value').fill('Bearer sk-should-not-go-here');
  await expect(form.getByText('Authorization comes from the API key field: put the key there.')).toBeVisible();
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText('Fix the highlighted headers first.');
  await form.getByLabel('Header name').fill('X-Team');
  await form.getByLabel('Header value').fill('kaiwa');
  await form.getByRole('checkbox', { name: 'X-Team is not secret' }).check();
  await form.getByRole('button', { name: 'Add header' }).click();
  await form.getByLabel('Header name').last().fill('X-Client-Build');
  await form.getByLabel('Header value').last().fill('e2e 42');
  await form.getByLabel('Default model').fill('local/llama-3-8b');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  // Header values are secret unless marked otherwise: the secret one comes back masked, never filled in.
  await expect(form.getByLabel('Header value').first()).toHaveValue('kaiwa');
  await expect(form.getByLabel('Header value').last()).toHaveValue('');
  await expect(form.getByLabel('Header value').last()).toHaveAttribute('placeholder', '••••42 — stored encrypted — type a new value to replace it');
  await expect(page.getByRole('listitem', { name: 'local/llama-3-8b', exact: true })).toContainText('added by hand');

  fake.enqueue(streamOf('Hello from your own server.'));
  await backToChatAndSend(page, 'ping');
  await expect(lastAnswer(page).locator('.message-body')).toHaveText('Hello from your own server.');
  const req = fake.chatRequests()[0]!;
  expect(req.headers['x-team']).toBe('kaiwa');
  expect(req.headers['x-client-build']).toBe('e2e 42');
  expect(req.headers['authorization']).toBeUndefined();
  expect(req.body).toMatchObject({ model: 'local/llama-3-8b' });
  // The picker groups models by provider; the custom one is there.
  await expect(page.getByRole('combobox', { name: 'Model' }).locator('optgroup[label="Local LLM"] option')).toHaveText(['local/llama-3-8b']);

  await openSettings(page, 'Local LLM');
  await page.getByRole('button', { name: 'Remove provider' }).click();
  await page.getByRole('alertdialog', { name: 'Remove provider' }).getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: 'Local LLM' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'ModelScope' })).toBeVisible();
});

test('Check reports success with latency, a rejected key, and a timeout', async ({ app: page, fake }) => {
  const form = await openSettings(page, 'ModelScope');
  await expect(page.getByText('counts as one of your 2,000 free calls today')).toBeVisible();
  await form.getByLabel('Paste API keys').fill('ms-check-e2e-0000-1111-222233334444');
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByLabel('Request timeout (seconds)').fill('1');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  const check = page.locator('.pane-head').getByRole('button', { name: 'Check', exact: true });
  const outcome = page.locator('.pane-head ~ .check-outcome');

  fake.enqueue({ ...streamOf('Hi'), flavor: 'modelscope', headerDelayMs: 150 });
  await check.click();
  await expect(outcome).toHaveText(/^Works — answered in (\d+) ms \(Qwen\/Qwen3-235B-A22B-Instruct-2507\) · key ms-…4444$/);
  const ms = Number(/answered in (\d+) ms/.exec((await outcome.textContent())!)![1]);
  expect(ms).toBeGreaterThanOrEqual(150);
  expect(fake.chatRequests()[0]!.body).toMatchObject({ stream: true, max_tokens: 1, model: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });

  fake.acceptKeys = ['some-other-key'];
  await check.click();
  const alert = outcome.getByRole('alert');
  await expect(alert).toContainText('ModelScope rejected the API key.');
  await alert.getByText('Details').click();
  await expect(alert).toContainText('HTTP 401: Authentication failed, please make sure that a valid ModelScope token is supplied.');
  await expect(page.getByRole('listitem', { name: 'Key ms-…4444' })).toContainText('ModelScope rejected the API key');

  fake.acceptKeys = undefined;
  fake.enqueue({ kind: 'hang' });
  await check.click();
  await expect(outcome).toHaveText('Checking…');
  await expect(outcome.getByRole('alert')).toContainText('ModelScope did not answer in time.', { timeout: 8000 });

  // Check on one model uses that model.
  fake.enqueue(streamOf('ok'));
  await page.getByRole('listitem', { name: 'ZhipuAI/GLM-4.5', exact: true }).getByRole('button', { name: 'Check model ZhipuAI/GLM-4.5' }).click();
  await expect(page.getByRole('listitem', { name: 'ZhipuAI/GLM-4.5', exact: true }).getByRole('status')).toContainText('Works — answered in');
  expect(fake.chatRequests().at(-1)!.body).toMatchObject({ model: 'ZhipuAI/GLM-4.5' });
  // A successful check of the key clears its failure mark.
  await expect(page.getByRole('listitem', { name: 'Key ms-…4444' })).not.toContainText('failed');
});

test('two keys, the first rejected with 401: the next request uses the second, settings say why the first failed', async ({ app: page, fake }) => {
  const bad = 'ms-first-key-aaaa-bbbb-cccc-000000000001';
  const good = 'ms-second-key-dddd-eeee-ffff-00000000002';
  const form = await openSettings(page, 'ModelScope');
  await form.getByLabel('Paste API keys').fill(`${bad}\n${good}`);
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByText('2 key(s) stored')).toBeVisible();
  fake.acceptKeys = [good];

  await backToChatAndSend(page, 'first try');
  await expect(lastAnswer(page).getByRole('alert')).toContainText('ModelScope rejected the API key.');
  fake.enqueue({ ...streamOf('The second key works.'), flavor: 'modelscope' });
  await backToChatAndSend(page, 'second try');
  await expect(lastAnswer(page).locator('.message-body')).toHaveText('The second key works.');
  expect(fake.chatRequests().map((r) => r.headers['authorization'])).toEqual([`Bearer ${bad}`, `Bearer ${good}`]);

  await openSettings(page, 'ModelScope');
  const first = page.getByRole('listitem', { name: 'Key ms-…0001' });
  await expect(first).toContainText('failed');
  await expect(first).toContainText('ModelScope rejected the API key');
  await expect(page.getByRole('listitem', { name: 'Key ms-…0002' })).not.toContainText('failed');
  // The provider dot stays "ready": one key still works.
  await first.getByRole('button', { name: 'Remove key ms-…0001' }).click();
  await expect(page.getByRole('list', { name: 'Stored keys' }).getByRole('listitem')).toHaveCount(1);
});

test('a corrupt settings file: the app starts, the file is kept as a backup, the user is told', async ({ page, dataDir }) => {
  const garbage = '{"language": "ja", "providers": [ this is not json';
  writeFileSync(join(dataDir, 'settings.json'), garbage);
  const host = await startHost({ dataDir });
  try {
    await openApp(page, host);
    const notice = page.getByRole('alert').filter({ hasText: 'Your settings file was damaged' });
    await expect(notice).toBeVisible();
    const backup = readdirSync(dataDir).find((f) => /^settings\.corrupt-\d+\.json$/.test(f));
    expect(backup).toBeTruthy();
    expect(readFileSync(join(dataDir, backup!), 'utf8')).toBe(garbage);
    await expect(notice).toContainText(join(dataDir, backup!));
    // Defaults are loaded and usable.
    const form = await openSettings(page, 'ModelScope');
    await expect(form.getByLabel('Base URL')).toHaveValue('https://api-inference.modelscope.cn/v1');
    await form.getByLabel('Request timeout (seconds)').fill('30');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(form.getByRole('status')).toHaveText('Saved');
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).providers[0].timeoutSec).toBe(30);
    // Dismissed, it stays dismissed.
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await page.reload();
    await expect(nav(page)).toBeVisible();
    await expect(page.getByText('Your settings file was damaged')).toHaveCount(0);
  } finally {
    await host.stop();
  }
  expect(existsSync(join(dataDir, 'settings.json'))).toBe(true);
});

test('keys from the environment are imported on first run and shown as such; the vault says how weak browser mode is', async ({ page, dataDir }) => {
  const host = await startHost({ dataDir, env: { MODELSCOPE_SDK_TOKEN: 'ms-env0-token-1234-5678-abcdefabcdef', DASHSCOPE_API_KEY: 'sk-dashscope-env-0000000000009999' } });
  try {
    await openApp(page, host);
    await openSettings(page, 'ModelScope');
    await expect(page.getByRole('listitem', { name: 'Key ms-…cdef' })).toContainText('from environment (MODELSCOPE_SDK_TOKEN)');
    await openSettings(page, 'Alibaba Cloud Model Studio');
    await expect(page.getByRole('listitem', { name: 'Key sk-…9999' })).toContainText('from environment (DASHSCOPE_API_KEY)');
    await expect(page.getByRole('note', { name: 'How keys are protected' })).toContainText('Browser mode has no OS keychain');
    await expect(page.getByRole('note', { name: 'How keys are protected' })).toContainText(dataDir);
  } finally {
    await host.stop();
  }
});

test('models: fetch marks new ones, add by hand, edit a price; the chat picker groups enabled providers only', async ({ app: page, fake }) => {
  fake.models = ['Qwen/Qwen3-235B-A22B-Instruct-2507', 'deepseek-ai/DeepSeek-V3.1', 'moonshotai/Kimi-K2-Instruct-0905'];
  const form = await openSettings(page, 'ModelScope');
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  // ModelScope lists models without a token, so this works before any key is set.
  await page.getByRole('button', { name: 'Fetch models' }).click();
  await expect(page.getByText('2 new model(s) found')).toBeVisible();
  const ds = page.getByRole('listitem', { name: 'deepseek-ai/DeepSeek-V3.1', exact: true });
  await expect(ds.getByText('New', { exact: true })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Qwen/Qwen3-235B-A22B-Instruct-2507', exact: true }).getByText('New', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Mark all as seen' }).click();
  await expect(ds.getByText('New', { exact: true })).toHaveCount(0);

  await page.getByLabel('Model ID to add').fill('my-org/my-finetune');
  await page.getByRole('button', { name: 'Add model' }).click();
  await expect(page.getByRole('listitem', { name: 'my-org/my-finetune', exact: true })).toContainText('added by hand');

  // Catalogue badges, from the seeds.
  const glm = page.getByRole('listitem', { name: 'ZhipuAI/GLM-4.5', exact: true });
  for (const b of ['Reasoning (switchable)', 'Tool use', '128K context', '96K max output', 'Free tier']) await expect(glm).toContainText(b);

  const wandbForm = await openSettings(page, 'W&B Inference');
  await expect(wandbForm).toBeVisible();
  const kimi = page.getByRole('listitem', { name: 'moonshotai/Kimi-K2-Instruct', exact: true });
  await expect(kimi).toContainText('$1.35 / $4 per 1M');
  await kimi.getByRole('button', { name: 'Edit price and capabilities of moonshotai/Kimi-K2-Instruct' }).click();
  const price = kimi.getByRole('form', { name: 'Price and capabilities of moonshotai/Kimi-K2-Instruct' });
  await price.getByLabel('Input, USD per 1M tokens').fill('2');
  await price.getByLabel('Output, USD per 1M tokens').fill('8.5');
  await price.getByRole('button', { name: 'Apply' }).click();
  await expect(kimi).toContainText('$2 / $8.5 per 1M');
  await expect(kimi).toContainText('price edited');
  await page.reload();
  await openSettings(page, 'W&B Inference');
  await expect(page.getByRole('listitem', { name: 'moonshotai/Kimi-K2-Instruct', exact: true })).toContainText('$2 / $8.5 per 1M');

  // Disable W&B: its group leaves the chat picker; the others stay, grouped.
  await page.getByRole('checkbox', { name: 'Enabled' }).uncheck();
  await expect(page.getByText('This provider is disabled')).toBeVisible();
  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
  const groups = page.getByRole('combobox', { name: 'Model' }).locator('optgroup');
  await expect(groups).toHaveCount(2);
  await expect(groups.first()).toHaveAttribute('label', 'ModelScope — No key stored');
  await expect(groups.nth(1)).toHaveAttribute('label', 'Alibaba Cloud Model Studio — No key stored');
  await expect(groups.first().locator('option')).toContainText(['ZhipuAI/GLM-4.5', 'deepseek-ai/DeepSeek-V3.1', 'my-org/my-finetune']);
});

test('the error mapping reaches the settings page: DashScope region mismatch and the ModelScope binding message', async ({ app: page, fake }) => {
  let form = await openSettings(page, 'Alibaba Cloud Model Studio');
  await form.getByLabel('Paste API keys').fill('sk-dashscope-e2e-00000000000000001');
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  fake.enqueue(providerErrors.dashscopeInvalidKey());
  await page.locator('.pane-head').getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('.pane-head ~ .check-outcome').getByRole('alert')).toContainText('DashScope keys only work in the region where they were created');

  form = await openSettings(page, 'ModelScope');
  await form.getByLabel('Paste API keys').fill('ms-unbound-0000-1111-2222-333344445555');
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  fake.enqueue(providerErrors.modelscopeUnbound());
  await page.locator('.pane-head').getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('.pane-head ~ .check-outcome').getByRole('alert')).toContainText('bound to an Alibaba Cloud account');
});
