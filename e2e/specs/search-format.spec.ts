// Model Studio web search as a per-conversation switch (its sources shown under the answer and kept),
// and structured output from the conversation settings, checked as Model Studio documents it
// before anything is sent.
import { streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait, sendMessage } from '../support/chat.ts';

type Body = { enable_search?: boolean; search_options?: unknown; response_format?: unknown };
const lastBody = (fake: { chatRequests(): { body: unknown }[] }) => fake.chatRequests().at(-1)!.body as Body;

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  data: { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: 'qwen-plus', choices: [{ index: 0, delta, finish_reason: finish }], ...extra },
});

test('web search reaches Model Studio only while switched on, and the returned sources are shown and kept', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { providerId: 'dashscope', model: 'qwen-plus' });
  fake.enqueue(streamOf('No search.'));
  await sendAndWait(page, 'first');
  expect(lastBody(fake).enable_search).toBeUndefined();

  const search = page.getByRole('button', { name: 'Web search', exact: true });
  await expect(search).toHaveAttribute('aria-pressed', 'false');
  await search.click();
  await expect(search).toHaveAttribute('aria-pressed', 'true');
  fake.enqueue({
    kind: 'raw',
    events: [
      chunk({ role: 'assistant', content: '' }, null, {
        search_info: {
          search_results: [
            { index: 1, title: 'Kaiwa release notes', url: 'https://example.com/kaiwa/notes', site_name: 'Example News' },
            { index: 2, title: 'Not a link', url: 'javascript:alert(1)' },
          ],
        },
      }),
      chunk({ content: 'It shipped today [1].' }),
      chunk({}, 'stop'),
    ],
  });
  await sendAndWait(page, 'what shipped today?');
  expect(lastBody(fake)).toMatchObject({ enable_search: true, search_options: { enable_source: true } });
  const reply = page.locator('article.assistant').last();
  const sources = reply.getByRole('region', { name: 'Sources' });
  await expect(sources.getByRole('listitem')).toHaveCount(1);
  await expect(sources).toContainText('Kaiwa release notes');
  await expect(sources).toContainText('Example News');
  await page.reload();
  await expect(page.locator('article.assistant').last().getByRole('region', { name: 'Sources' })).toContainText('Kaiwa release notes');

  await page.getByRole('button', { name: 'Web search', exact: true }).click();
  fake.enqueue(streamOf('Off again.'));
  await sendAndWait(page, 'and now?');
  expect(lastBody(fake).enable_search).toBeUndefined();
});

test('no Web search switch for a model or provider without it', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { model: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });
  fake.enqueue(streamOf('Hi.'));
  await sendAndWait(page, 'hello');
  await expect(page.getByRole('button', { name: 'Web search', exact: true })).toHaveCount(0);
});

test('JSON mode: a question that never says JSON is refused before sending; one that does goes out with response_format', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { providerId: 'dashscope', model: 'qwen-plus' });
  fake.enqueue(streamOf('Warm-up.'));
  await sendAndWait(page, 'warm-up');
  await page.getByRole('button', { name: 'Parameters' }).click();
  const panel = page.getByRole('complementary', { name: 'Conversation settings' });
  await panel.getByLabel('Response format').selectOption({ label: 'JSON object' });
  await expect(panel).toContainText('The system prompt or your message must mention “JSON”.');
  // The form saves after a short pause.
  await expect.poll(async () => page.evaluate(async () => {
    const list = await window.kaiwa!.conversations.list({});
    const open = list.ok ? await window.kaiwa!.conversations.open({ id: list.value[0]!.id }) : null;
    return open?.ok ? open.value.conversation.params.responseFormat ?? null : null;
  })).toBe('json_object');
  await page.getByRole('button', { name: 'Close conversation settings' }).click();

  const before = fake.chatRequests().length;
  await sendMessage(page, 'List three fruits.');
  await expect(page.locator('.composer').getByRole('alert')).toContainText('JSON mode needs the word “JSON”');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('List three fruits.');
  expect(fake.chatRequests()).toHaveLength(before);

  fake.enqueue(streamOf('{"fruits":["apple","pear","fig"]}'));
  await page.getByRole('textbox', { name: 'Message' }).fill('List three fruits as JSON.');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.locator('article.assistant').last().locator('.message-body')).toHaveText('{"fruits":["apple","pear","fig"]}');
  expect(fake.chatRequests()).toHaveLength(before + 1);
  expect(lastBody(fake).response_format).toEqual({ type: 'json_object' });
});
