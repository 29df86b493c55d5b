// Streaming chat as a user sees it: thinking panel and timer, usage footer, stop, regenerate and
// versions, edit-and-resend, delete, copy, continue, tool calls, errors and their actions,
// parameter validation, the keyboard (IME included). Browser mode against the fake upstream.
import type { Page } from '@playwright/test';
import { providerErrors, streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendMessage } from '../support/chat.ts';

type Body = { model: string; messages: { role: string; content: string }[]; temperature?: number };

const answers = (page: Page) => page.locator('article.assistant');
const questions = (page: Page) => page.locator('article.user');
const seconds = async (page: Page) => Number(((await answers(page).last().locator('.thinking-time').textContent()) ?? '').replace(/[^\d.]/g, ''));

test('a thinking reply: reasoning first with a running timer, the timer stops when the answer starts, footer shows the usage', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const reasoning = ['Let me think', ' about the sky', ' and scattering', ' of light', ' by molecules.', ' So: Rayleigh.'];
  const content = ['The sky', ' is blue', ' because of', ' Rayleigh', ' scattering', ' of sunlight.'];
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning, content, usage: { prompt: 31, completion: 57 }, delayMs: 300 });
  await sendMessage(page, 'Why is the sky blue?');

  const reply = answers(page).last();
  const toggle = reply.getByRole('button', { name: /^Thinking/ });
  await expect(reply.locator('.thinking-body')).toContainText('Let me think');
  // Reasoning shows first, in an open panel, while the answer is still empty.
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(reply.locator('.message-body')).toHaveText('');
  const early = await seconds(page);
  await expect.poll(() => seconds(page), { timeout: 3000 }).toBeGreaterThan(early + 0.25);

  // The answer starts: the panel folds and the timer stops while the answer keeps streaming.
  await expect(reply.locator('.message-body')).toContainText('The sky');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const stopped = await seconds(page);
  expect(stopped).toBeGreaterThan(1);
  await page.waitForTimeout(700);
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  expect(await seconds(page)).toBe(stopped);

  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.locator('.message-body')).toHaveText(content.join(''));
  const footer = reply.getByLabel('Answer details');
  await expect(footer).toContainText('fake-model');
  await expect(footer).toContainText('31 in · 57 out tokens');
  await expect(footer).toContainText(/first token \d+\.\d s/);
  await expect(footer).toContainText(/[\d.]+ tokens\/s/);
  // ModelScope's free tier has no price: no cost is shown rather than a guessed one.
  await expect(footer).not.toContainText('cost');
  await toggle.click();
  await expect(reply.locator('.thinking-body')).toHaveText(reasoning.join(''));
});

test('Esc stops mid-stream; Regenerate keeps the stopped answer as version 1 and the switcher moves between them', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const long = Array.from({ length: 200 }, (_, i) => `word${i} `).join('');
  fake.enqueue(streamOf(long, { size: 6, delayMs: 20 }), streamOf('A fresh second answer.'));
  await sendMessage(page, 'tell me a long story');
  const body = answers(page).last().locator('.message-body');
  await expect(body).toContainText('word10 ');
  // Esc works wherever the focus is.
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('Escape');
  await expect(answers(page).last()).toHaveAttribute('data-status', 'stopped');
  const kept = (await body.textContent()) ?? '';
  expect(long.startsWith(kept) && kept.length < long.length).toBe(true);

  await answers(page).last().getByRole('button', { name: 'Regenerate' }).click();
  await expect(answers(page)).toHaveCount(1);
  await expect(body).toHaveText('A fresh second answer.');
  const versions = answers(page).last().getByRole('group', { name: 'Version 2 of 2' });
  await expect(versions).toContainText('2/2');
  const [first, second] = fake.chatRequests().map((r) => r.body as Body);
  expect(second!.messages).toEqual(first!.messages);

  await versions.getByRole('button', { name: 'Previous version' }).click();
  await expect(body).toHaveText(kept);
  await expect(answers(page).last()).toHaveAttribute('data-status', 'stopped');
  const v1 = answers(page).last().getByRole('group', { name: 'Version 1 of 2' });
  await expect(v1.getByRole('button', { name: 'Previous version' })).toBeDisabled();
  await v1.getByRole('button', { name: 'Next version' }).click();
  await expect(body).toHaveText('A fresh second answer.');
  // The choice is stored: a reload shows the same version.
  await page.reload();
  await expect(answers(page).last().locator('.message-body')).toHaveText('A fresh second answer.');
});

test('edit a question and resend: the branch after it is replaced, the old one stays a version', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  fake.enqueue(streamOf('Answer one.'), streamOf('Answer two.'), streamOf('Answer to the edited question.'));
  await sendMessage(page, 'first question');
  await expect(answers(page).last()).toHaveAttribute('data-status', 'done');
  await sendMessage(page, 'second question');
  await expect(answers(page).last().locator('.message-body')).toHaveText('Answer two.');

  const q2 = questions(page).last();
  await q2.getByRole('button', { name: 'Edit' }).click();
  const editor = q2.getByRole('textbox', { name: 'Edit message' });
  await expect(editor).toHaveValue('second question');
  await editor.fill('second question, edited');
  await q2.getByRole('button', { name: 'Save and send' }).click();

  await expect(answers(page).last().locator('.message-body')).toHaveText('Answer to the edited question.');
  await expect(page.getByText('Answer two.')).toHaveCount(0);
  await expect(questions(page).last().locator('.message-body')).toHaveText('second question, edited');
  const sent = (fake.chatRequests()[2]!.body as Body).messages;
  expect(sent).toEqual([
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: 'Answer one.' },
    { role: 'user', content: 'second question, edited' },
  ]);

  await questions(page).last().getByRole('group', { name: 'Version 2 of 2' }).getByRole('button', { name: 'Previous version' }).click();
  await expect(questions(page).last().locator('.message-body')).toHaveText('second question');
  await expect(answers(page).last().locator('.message-body')).toHaveText('Answer two.');
  await expect(questions(page)).toHaveCount(2);
});

test('copy puts the markdown source on the clipboard; delete removes a message for good', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const markdown = 'Here is **bold** and `code`:\n\n- one\n- two';
  fake.enqueue(streamOf(markdown), streamOf('Second answer.'));
  await page.evaluate(() => {
    const w = window as unknown as { __copied: string[] };
    w.__copied = [];
    navigator.clipboard.writeText = async (text: string) => {
      w.__copied.push(text);
    };
  });
  await sendMessage(page, 'show me markdown');
  await expect(answers(page).last()).toHaveAttribute('data-status', 'done');
  await answers(page).last().getByRole('button', { name: 'Copy' }).click();
  await expect(answers(page).last().getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual([markdown]);

  await sendMessage(page, 'another');
  await expect(answers(page)).toHaveCount(2);
  await expect(answers(page).last()).toHaveAttribute('data-status', 'done');
  const first = answers(page).first();
  await first.getByRole('button', { name: 'Delete' }).click();
  await first.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(answers(page)).toHaveCount(1);
  await expect(page.getByText('Here is **bold**')).toHaveCount(0);
  await expect(questions(page)).toHaveCount(2);
  await page.reload();
  await expect(answers(page)).toHaveCount(1);
  await expect(answers(page).first().locator('.message-body')).toHaveText('Second answer.');
});

test('a reply cut off at max tokens offers Continue, which appends the rest to the same answer', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  fake.enqueue({ kind: 'stream', content: ['Part one,'], finishReason: 'length' }, { kind: 'stream', content: [' and part two.'] });
  await sendMessage(page, 'write a lot');
  const reply = answers(page).last();
  await expect(reply.getByText('Cut off at max tokens')).toBeVisible();
  await reply.getByRole('button', { name: 'Continue' }).click();
  await expect(reply.locator('.message-body')).toHaveText('Part one, and part two.');
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.getByRole('button', { name: 'Continue' })).toHaveCount(0);
  await expect(answers(page)).toHaveCount(1);
  const sent = (fake.chatRequests()[1]!.body as Body).messages;
  expect(sent.slice(0, 2)).toEqual([
    { role: 'user', content: 'write a lot' },
    { role: 'assistant', content: 'Part one,' },
  ]);
  expect(sent[2]!.role).toBe('user');
});

test('tool-call deltas are shown with their name and arguments', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  fake.enqueue({ kind: 'stream', content: ['Let me check.'], toolCalls: [{ id: 'call_1', name: 'get_weather', args: ['{"city":', ' "Tokyo"}'] }] });
  await sendMessage(page, 'weather in Tokyo?');
  const calls = answers(page).last().getByRole('region', { name: 'Tool calls' });
  await expect(calls).toContainText('Tool call: get_weather');
  await expect(calls.locator('pre')).toHaveText('{\n  "city": "Tokyo"\n}');
});

test('a mid-stream error keeps the partial text and shows the error beneath it', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  fake.enqueue({
    kind: 'stream',
    flavor: 'dashscope',
    content: ['This part', ' arrived', ' before the filter.', ' never sent'],
    errorAfter: { chunks: 3, error: { message: 'Output data may contain inappropriate content.', type: 'data_inspection_failed', code: 'data_inspection_failed' } },
  });
  await sendMessage(page, 'something');
  const reply = answers(page).last();
  await expect(reply).toHaveAttribute('data-status', 'error');
  await expect(reply.locator('.message-body')).toHaveText('This part arrived before the filter.');
  await expect(reply.getByRole('alert')).toContainText('blocked by moderation');
  // The error sits below the text, not over it.
  const text = await reply.locator('.message-body').boundingBox();
  const error = await reply.getByRole('alert').boundingBox();
  expect(error!.y).toBeGreaterThanOrEqual(text!.y + text!.height);
  await reply.getByText('Details').click();
  await expect(reply.locator('.error-details')).toContainText('data_inspection_failed');
});

test('switch model after a quota 429: one click re-asks the same question with the chosen model', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const other = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
  fake.enqueueForModel('fake-model', providerErrors.modelscopeQuota());
  fake.enqueueForModel(other, streamOf('Answer from the other model.'));
  await sendMessage(page, 'are you there?');
  const reply = answers(page).last();
  await expect(reply.getByRole('alert')).toContainText('the daily quota is used up');
  // Quota errors are never retried automatically, and Retry is not offered (it would burn quota).
  await expect(reply.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  expect(fake.chatRequests()).toHaveLength(1);

  await reply.getByRole('button', { name: 'Switch model' }).click();
  const menu = reply.getByRole('menu');
  await expect(menu.getByRole('menuitem', { name: /fake-model/ })).toHaveCount(0);
  await menu.getByRole('menuitem', { name: new RegExp(other.replace(/[/.]/g, '\\$&')) }).click();

  await expect(reply.locator('.message-body')).toHaveText('Answer from the other model.');
  await expect(reply.getByRole('heading').or(reply.locator('.message-head'))).toHaveText(other);
  const [b1, b2] = fake.chatRequests().map((r) => r.body as Body);
  expect(b2!.model).toBe(other);
  expect(b2!.messages).toEqual(b1!.messages);
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue(`modelscope\u0000${other}`);
  // The failed answer stays as version 1.
  await reply.getByRole('button', { name: 'Previous version' }).click();
  await expect(reply).toHaveAttribute('data-status', 'error');
  await expect(reply.locator('.message-head')).toHaveText('fake-model');
});

test('an invalid temperature shows an inline message and no request is sent until it is fixed', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('button', { name: 'Parameters' }).click();
  const panel = page.getByRole('complementary', { name: 'Conversation settings' });
  const temperature = panel.getByLabel('Temperature');
  await temperature.fill('2');
  await expect(panel.getByText('Temperature must be at least 0 and less than 2.')).toBeVisible();
  await expect(temperature).toHaveAttribute('aria-invalid', 'true');

  await sendMessage(page, 'hello with a hot temperature');
  await expect(page.locator('.composer').getByRole('alert')).toContainText('Some parameters are invalid.');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('hello with a hot temperature');
  await page.waitForTimeout(500);
  expect(fake.chatRequests()).toHaveLength(0);
  await expect(questions(page)).toHaveCount(0);

  await temperature.fill('0.5');
  await expect(panel.getByText('Temperature must be at least 0 and less than 2.')).toHaveCount(0);
  await expect(page.locator('.composer').getByRole('alert')).toHaveCount(0);
  await panel.getByLabel('Top P').fill('0');
  await expect(panel.getByText('Top P must be greater than 0 and at most 1.')).toBeVisible();
  await panel.getByLabel('Top P').fill('');
  await panel.getByLabel('System prompt').fill('Answer like a pirate.');
  // Saved as typed (debounced): give it a moment, then send.
  await expect.poll(async () => page.evaluate(async () => {
    const list = await window.kaiwa!.conversations.list({});
    const open = list.ok ? await window.kaiwa!.conversations.open({ id: list.value[0]!.id }) : null;
    return open?.ok ? [open.value.conversation.params.temperature, open.value.conversation.systemPrompt] : null;
  })).toEqual([0.5, 'Answer like a pirate.']);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await fake.waitForChatRequests(1);
  const body = fake.chatRequests()[0]!.body as Body;
  expect(body.temperature).toBe(0.5);
  expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
});

test('keyboard: IME composition never sends; Shift+Enter is a newline; Enter sends; Ctrl+N starts a new conversation', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('にほんご');
  await input.focus();
  await page.evaluate(() => {
    const ta = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')!;
    ta.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
    ta.dispatchEvent(new CompositionEvent('compositionupdate', { bubbles: true, data: 'にほんご' }));
    // The Enter that confirms the candidate: isComposing is true while the IME owns the key.
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    ta.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '日本語' }));
    // Some browsers report the confirming Enter only as keyCode 229.
    const legacy = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true });
    Object.defineProperty(legacy, 'keyCode', { get: () => 229 });
    ta.dispatchEvent(legacy);
  });
  await page.waitForTimeout(500);
  expect(fake.chatRequests()).toHaveLength(0);
  await expect(questions(page)).toHaveCount(0);
  await expect(input).toHaveValue('にほんご');

  await input.press('Shift+Enter');
  await input.pressSequentially('second line');
  await expect(input).toHaveValue('にほんご\nsecond line');
  expect(fake.chatRequests()).toHaveLength(0);

  await input.press('Enter');
  await expect(questions(page).last().locator('.message-body')).toHaveText('にほんご\nsecond line');
  await expect(answers(page).last()).toHaveAttribute('data-status', 'done');

  const before = await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').count();
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('heading', { name: 'Start a conversation' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem')).toHaveCount(before + 1);
  await expect(input).toHaveValue('');
});

test('error actions: Retry asks again and keeps the failure as a version; a rejected key opens the provider settings', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  await page.evaluate(async () => {
    await window.kaiwa!.providers.update({ id: 'modelscope', maxRetries: 0 });
  });
  fake.enqueue(providerErrors.proxyHtml502(), streamOf('Worked the second time.'), providerErrors.modelscopeBadToken());
  await sendMessage(page, 'first try');
  const reply = answers(page).last();
  await expect(reply.getByRole('alert')).toContainText('A gateway in front of ModelScope failed');
  await reply.getByText('Details').click();
  await expect(reply.locator('.error-details')).toContainText('HTTP 502');
  await reply.getByRole('button', { name: 'Retry' }).click();
  await expect(reply.locator('.message-body')).toHaveText('Worked the second time.');
  await expect(reply.getByRole('group', { name: 'Version 2 of 2' })).toBeVisible();
  const [b1, b2] = fake.chatRequests().map((r) => r.body as Body);
  expect(b2!.messages).toEqual(b1!.messages);

  await sendMessage(page, 'and now?');
  const rejected = answers(page).last();
  await expect(rejected.getByRole('alert')).toContainText('ModelScope rejected the API key');
  await rejected.getByRole('button', { name: 'Open provider settings' }).click();
  await expect(page.getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-pressed', 'true');
});
