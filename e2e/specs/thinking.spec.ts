// Thinking controls as a user meets them: the composer's toggle for hybrid models (sent top-level
// as `enable_thinking`), nothing for models that do not think, a mark for thinking-only models,
// and a thinking budget that is refused before anything is sent when the model cannot take it.
import type { Page } from '@playwright/test';
import { streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait, sendMessage } from '../support/chat.ts';

type Body = { stream?: boolean; enable_thinking?: boolean; thinking_budget?: number };
const lastBody = (fake: { chatRequests(): { body: unknown }[] }) => fake.chatRequests().at(-1)!.body as Body;
const toggle = (page: Page) => page.getByRole('button', { name: 'Thinking', exact: true });

/** Sets the open conversation's parameters the way a hostile or stale renderer could: main must check. */
async function setParams(page: Page, params: Record<string, unknown>): Promise<void> {
  await page.evaluate(async (params) => {
    const k = window.kaiwa!;
    const list = await k.conversations.list({});
    if (!list.ok) throw new Error('list failed');
    const r = await k.conversations.update({ id: list.value[0]!.id, params });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }, params);
  await page.reload();
}

test('a hybrid model (Model Studio qwen-plus): the composer toggle flips enable_thinking in the request', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { providerId: 'dashscope', model: 'qwen-plus' });
  fake.enqueue(streamOf('Untouched.'));
  await sendAndWait(page, 'first');
  // Never touched: the provider's own default applies (off for qwen-plus), nothing is sent.
  expect(lastBody(fake).enable_thinking).toBeUndefined();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'false');

  await toggle(page).click();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'true');
  fake.enqueue({ kind: 'stream', flavor: 'dashscope', reasoning: ['Weighing it up.'], content: ['On.'] });
  await sendAndWait(page, 'second');
  expect(lastBody(fake).enable_thinking).toBe(true);
  await expect(page.locator('article.assistant').last().locator('.thinking-body')).toHaveText('Weighing it up.');

  await toggle(page).click();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'false');
  fake.enqueue(streamOf('Off.'));
  await sendAndWait(page, 'third');
  expect(lastBody(fake).enable_thinking).toBe(false);
  // The toggle is the conversation's: it survives a reload.
  await page.reload();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'false');
});

test('a non-thinking model has no toggle, and enable_thinking is never sent for it', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { model: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });
  fake.enqueue(streamOf('Plain.'));
  await sendAndWait(page, 'hello');
  await expect(toggle(page)).toHaveCount(0);
  await setParams(page, { enableThinking: true });
  fake.enqueue(streamOf('Still plain.'));
  await sendAndWait(page, 'again');
  expect(lastBody(fake).enable_thinking).toBeUndefined();
  expect(JSON.stringify(lastBody(fake))).not.toContain('no_think');
});

test('a thinking-only model is marked, streamed, and never sent enable_thinking', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { model: 'Qwen/Qwen3-235B-A22B-Thinking-2507' });
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning: ['Hmm.'], content: ['Done.'] });
  await sendAndWait(page, 'think');
  await expect(page.getByText('Always thinks')).toBeVisible();
  await expect(toggle(page)).toHaveCount(0);
  expect(lastBody(fake).stream).toBe(true);
  expect(lastBody(fake).enable_thinking).toBeUndefined();
});

test('a thinking budget above the model’s maximum is refused before sending; a valid one is sent', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { providerId: 'dashscope', model: 'qwen-plus' });
  fake.enqueue(streamOf('Warm-up.'));
  await sendAndWait(page, 'warm-up');

  // In the form: an inline message, and nothing is saved.
  await page.getByRole('button', { name: 'Parameters' }).click();
  const panel = page.getByRole('complementary', { name: 'Conversation settings' });
  await panel.getByLabel(/Thinking budget/).fill('50000');
  await expect(panel.getByRole('alert').first()).toHaveText('The thinking budget must be a whole number from 1 to 38912 for this model.');
  await panel.getByLabel(/Thinking budget/).fill('');
  await page.getByRole('button', { name: 'Close conversation settings' }).click();

  // Stored anyway (an old value, a hostile renderer): main refuses it, the question stays in the box.
  await setParams(page, { enableThinking: true, thinkingBudget: 50000 });
  const before = fake.chatRequests().length;
  await sendMessage(page, 'too much thinking');
  await expect(page.locator('.composer').getByRole('alert')).toContainText('The thinking budget must be a whole number from 1 to 38912 for this model.');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('too much thinking');
  expect(fake.chatRequests()).toHaveLength(before);

  await setParams(page, { enableThinking: true, thinkingBudget: 2048 });
  fake.enqueue(streamOf('Budgeted.'));
  await sendAndWait(page, 'within budget');
  expect(lastBody(fake)).toMatchObject({ enable_thinking: true, thinking_budget: 2048 });
});
