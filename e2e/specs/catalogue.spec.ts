// The model catalogue kept current: the first saved key and "Fetch models" merge the provider's
// /models list into the seed catalogue (new ids marked new, vanished ones marked gone, nothing
// deleted), and capability flags edited in settings change the badges, the composer and the request.
import type { Page } from '@playwright/test';
import { MODELSCOPE } from '../../electron/services/providers/presets.ts';
import { streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait } from '../support/chat.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });
const GONE = 'Qwen/Qwen3-Coder-30B-A3B-Instruct';
const NEW = ['deepseek-ai/DeepSeek-V4-Flash', 'ZhipuAI/GLM-5.1'];

async function openModelScope(page: Page) {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: 'ModelScope', exact: true }).click();
}

test('the first saved key merges /v1/models; Fetch models marks new and gone models', async ({ app: page, fake }) => {
  fake.models = [...MODELSCOPE.models.map((m) => m.id).filter((id) => id !== GONE), NEW[0]!];
  await page.evaluate(async (baseUrl) => {
    const r = await window.kaiwa!.providers.update({ id: 'modelscope', baseUrl });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }, fake.baseUrl);
  await page.reload();
  await openModelScope(page);
  const form = page.getByRole('form', { name: 'ModelScope' });
  await form.getByLabel('Paste API keys').fill('ms-first-key-000111');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  const models = page.getByRole('list', { name: 'Models', exact: true });
  await expect(models.getByRole('listitem', { name: NEW[0] })).toContainText('New');
  await expect(models.getByRole('listitem', { name: GONE })).toContainText('Gone');
  expect(fake.requests.filter((r) => r.path.endsWith('/models'))).toHaveLength(1);

  // Later the provider lists one more model and the vanished one again.
  fake.models = [...MODELSCOPE.models.map((m) => m.id), ...NEW];
  await page.getByRole('button', { name: 'Fetch models' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'new model' })).toHaveText('1 new model(s) found and marked “new”.');
  await expect(models.getByRole('listitem', { name: NEW[1] })).toContainText('New');
  await expect(models.getByRole('listitem', { name: GONE })).not.toContainText('Gone');
  // Nothing is deleted: a model that vanishes stays, marked.
  fake.models = MODELSCOPE.models.map((m) => m.id);
  await page.getByRole('button', { name: 'Fetch models' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'no longer listed' })).toContainText('2 model(s) are no longer listed');
  await expect(models.getByRole('listitem', { name: NEW[1] })).toContainText('Gone');
});

test('capability flags edited in settings change the badges, the composer and what is sent', async ({ app: page, fake }) => {
  const MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
  await useFakeProvider(page, fake, { model: MODEL });
  fake.enqueue(streamOf('Before.'));
  await sendAndWait(page, 'before');
  await expect(page.getByRole('button', { name: 'Thinking', exact: true })).toHaveCount(0);

  await openModelScope(page);
  const row = page.getByRole('list', { name: 'Models', exact: true }).getByRole('listitem', { name: MODEL });
  await expect(row).not.toContainText('Reasoning (switchable)');
  await row.getByRole('button', { name: `Edit price and capabilities of ${MODEL}` }).click();
  const edit = row.getByRole('form', { name: `Price and capabilities of ${MODEL}` });
  await edit.getByRole('checkbox', { name: 'Thinking can be switched on/off' }).check();
  await edit.getByRole('button', { name: 'Apply' }).click();
  await expect(row).toContainText('Reasoning (switchable)');
  await expect(row).toContainText('edited');

  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
  const toggle = page.getByRole('button', { name: 'Thinking', exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  fake.enqueue(streamOf('After.'));
  await sendAndWait(page, 'after');
  expect((fake.chatRequests().at(-1)!.body as { enable_thinking?: boolean }).enable_thinking).toBe(true);
});
