// Wire defects found by running Kaiwa against an independent fake upstream, one row each: what the
// provider sends, and the message, actions and stored answer a user then sees. Every row failed
// before the fix. Browser mode in Chromium against the fake upstream on 127.0.0.1.
import type { Locator, Page } from '@playwright/test';
import { providerErrors, streamOf, type Scenario } from '../../test/fake-upstream/scenarios.ts';
import type { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { expectAnswerAlert, sendMessage, waitUntilAnswered } from '../support/chat.ts';

type Status = 'done' | 'error' | 'incomplete' | 'stopped';

interface Ctx {
  page: Page;
  fake: FakeUpstream;
  reply: Locator;
}

interface WireCase {
  name: string;
  provider?: 'modelscope' | 'dashscope' | 'wandb';
  model?: string;
  maxRetries?: number;
  /** Turn tools on in a new conversation before asking (the tool-call rows). */
  tools?: string[];
  scenarios: Scenario[];
  during?: (ctx: Ctx) => Promise<void>;
  expect: {
    status: Status;
    /** Error box text (translated English); absent = no error box. */
    alert?: string;
    actions?: string[];
    body?: string;
    thinking?: string;
    requests?: number;
    minRetryGapMs?: number;
    /** Text the answer's footer must not show. */
    footerNot?: string;
    /** The provider's key is still unmarked afterwards (a rate limit is not the key's fault). */
    keyOk?: boolean;
  };
  then?: (ctx: Ctx) => Promise<void>;
}

/** One raw SSE event holding a chat.completion.chunk. */
const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage: unknown = null) => ({
  data: { id: 'chatcmpl-raw', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], usage },
});
const ZERO = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

const CASES: WireCase[] = [
  // 1 — DashScope's per-minute allocation is not a daily quota
  {
    name: 'DashScope 429 Throttling.AllocationQuota is retried after retry-after, and the answer arrives',
    provider: 'dashscope',
    model: 'qwen-plus',
    maxRetries: 1,
    scenarios: [providerErrors.dashscopeAllocationQuota(2), streamOf('Allowance is back.')],
    during: async ({ reply }) => {
      await expect(reply.getByRole('status')).toContainText(/Alibaba Cloud Model Studio is rate limiting requests\. Try again in a moment\. Retrying in [12] s/);
    },
    expect: { status: 'done', body: 'Allowance is back.', requests: 2, minRetryGapMs: 1900, keyOk: true },
  },
  {
    name: 'DashScope 429 Throttling.AllocationQuota without retries left offers Retry, not "daily quota", and keeps the key',
    provider: 'dashscope',
    model: 'qwen-plus',
    maxRetries: 0,
    scenarios: [providerErrors.dashscopeAllocationQuota()],
    expect: { status: 'error', alert: 'Alibaba Cloud Model Studio is rate limiting requests. Try again in a moment.', actions: ['Retry'], requests: 1, keyOk: true },
    then: async ({ page, reply, fake }) => {
      fake.enqueue(streamOf('Second time lucky.'));
      await reply.getByRole('button', { name: 'Retry' }).click();
      await expect(page.locator('article.assistant').last().locator('.message-body')).toHaveText('Second time lucky.');
    },
  },
  {
    name: 'ModelScope burst 429 ("increased too quickly") waits briefly and retries; it is not the daily quota',
    maxRetries: 1,
    scenarios: [providerErrors.modelscopeBurst(), streamOf('After a short pause.')],
    during: async ({ reply }) => {
      await expect(reply.getByRole('status')).toContainText(/ModelScope is rate limiting requests\. Try again in a moment\. Retrying in [12] s/);
    },
    expect: { status: 'done', body: 'After a short pause.', requests: 2, minRetryGapMs: 1500, keyOk: true },
  },
  // 2 — 404s: wrong base path vs a model the region lacks
  {
    name: '404 with FastAPI’s {"detail":"Not Found"} points at the base URL, not at the model',
    scenarios: [{ kind: 'error', status: 404, body: { detail: 'Not Found' } }],
    expect: { status: 'error', alert: 'ModelScope has no API at this address (HTTP 404). The base URL is probably wrong — check it in settings.', actions: ['Open provider settings'], requests: 1 },
  },
  {
    name: '404 with an empty body points at the base URL',
    provider: 'wandb',
    scenarios: [{ kind: 'error', status: 404, body: '' }],
    expect: { status: 'error', alert: 'W&B Inference has no API at this address (HTTP 404).', actions: ['Open provider settings'], requests: 1 },
  },
  {
    name: 'DashScope 404 for a model gives the region hint with Check the region',
    provider: 'dashscope',
    model: 'qwen3-max',
    scenarios: [providerErrors.dashscopeModelNotFound('qwen3-max')],
    expect: {
      status: 'error',
      alert: 'Alibaba Cloud Model Studio does not offer the model “qwen3-max” in this region or workspace.',
      actions: ['Check the region', 'Switch model'],
      requests: 1,
    },
  },
  // 3 — moderation in camelCase, and unknown mid-stream errors
  {
    name: 'DataInspectionFailed before streaming is moderation with Switch model',
    provider: 'dashscope',
    model: 'qwen-plus',
    scenarios: [providerErrors.dashscope(400, 'DataInspectionFailed', 'Input data may contain inappropriate content.')],
    expect: { status: 'error', alert: 'Alibaba Cloud Model Studio stopped the answer: the content was blocked by moderation.', actions: ['Switch model'], requests: 1 },
  },
  {
    name: 'DataInspectionFailed mid-stream is moderation, the text so far is kept',
    provider: 'dashscope',
    model: 'qwen-plus',
    scenarios: [{ kind: 'stream', flavor: 'dashscope', content: ['Part one, ', 'part two, ', 'never.'], errorAfter: { chunks: 2, error: { code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' } } }],
    expect: { status: 'error', alert: 'the content was blocked by moderation', actions: ['Switch model'], body: 'Part one, part two, ' },
  },
  {
    name: 'an unknown mid-stream error shows the provider’s words, not "internal error"',
    scenarios: [{ kind: 'stream', content: ['Half an ', 'answer'], errorAfter: { chunks: 2, error: { code: 'decode_failed', message: 'The decoder lost its place.' } } }],
    expect: { status: 'error', alert: 'ModelScope ended the answer with an error: The decoder lost its place.', actions: ['Retry'], body: 'Half an answer' },
  },
  // 4 — the </think> heuristic only for models known to think
  {
    name: 'a non-thinking model that writes </think> keeps its whole answer',
    model: 'Qwen/Qwen3-235B-A22B-Instruct-2507',
    scenarios: [streamOf('Close a block with </think> in the template. That is all.', { size: 10 })],
    expect: { status: 'done', body: 'Close a block with </think> in the template. That is all.' },
  },
  {
    name: 'a thinking model that only sends </think> still has its reasoning split off',
    model: 'deepseek-ai/DeepSeek-R1-0528',
    provider: 'wandb',
    scenarios: [streamOf('Let me think. </think>\n\nIt is 4.', { size: 7 })],
    expect: { status: 'done', body: 'It is 4.', thinking: 'Let me think.' },
  },
  {
    name: 'an unclosed <think> with finish stop is not saved as an empty answer without a word',
    model: 'deepseek-ai/DeepSeek-R1-0528',
    provider: 'wandb',
    scenarios: [streamOf('<think>I keep thinking and never answer', { size: 9 })],
    expect: { status: 'done', alert: 'The model never closed its thinking (<think> without </think>)', actions: ['Retry'], body: '', thinking: 'I keep thinking and never answer' },
  },
  // 5 — zeroed usage in every chunk, then the stream is cut
  {
    name: 'zeroed usage in every chunk, then a cut: tokens are unknown, not 0 in · 0 out',
    scenarios: [
      {
        kind: 'raw',
        events: [chunk({ role: 'assistant', content: '' }, null, ZERO), chunk({ content: 'Cut ' }, null, ZERO), chunk({ content: 'short' }, null, ZERO)],
        end: 'reset',
      },
    ],
    expect: { status: 'error', alert: 'The network connection to ModelScope failed.', actions: ['Retry'], body: 'Cut short', footerNot: ' in · ' },
  },
  // 6 — retry-after on 500/502/504
  {
    name: '500 with retry-after waits as told before the retry',
    maxRetries: 1,
    scenarios: [{ ...providerErrors.serverError(), headers: { 'retry-after': '2' } }, streamOf('Recovered.')],
    expect: { status: 'done', body: 'Recovered.', requests: 2, minRetryGapMs: 1900 },
  },
  {
    name: '502 with retry-after waits as told before the retry',
    maxRetries: 1,
    scenarios: [{ ...providerErrors.proxyHtml502(), headers: { 'retry-after': '2' } }, streamOf('Recovered.')],
    expect: { status: 'done', body: 'Recovered.', requests: 2, minRetryGapMs: 1900 },
  },
  // 7 — several tool calls in one delta without index
  {
    name: 'two tool calls in one delta without index run as two calls',
    model: 'Qwen/Qwen3-235B-A22B-Instruct-2507',
    tools: ['Current date and time', 'Calculator'],
    scenarios: [
      {
        kind: 'raw',
        events: [
          chunk({ role: 'assistant', content: '' }),
          chunk({
            tool_calls: [
              { id: 'call_t', type: 'function', function: { name: 'get_current_time', arguments: '{}' } },
              { id: 'call_c', type: 'function', function: { name: 'calculate', arguments: '{"expression":"1"}' } },
            ],
          }),
          chunk({}, 'tool_calls'),
        ],
      },
      streamOf('Both tools answered.'),
    ],
    expect: { status: 'done', body: 'Both tools answered.', requests: 2 },
    then: async ({ reply, fake }) => {
      const used = reply.getByRole('region', { name: 'Tools used' });
      await expect(used.getByRole('button')).toHaveCount(2);
      await expect(used.getByRole('button', { name: /Calculator/ })).toContainText('1');
      const second = fake.chatRequests()[1]!.body as { messages: { role: string; tool_call_id?: string }[] };
      expect(second.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual(['call_t', 'call_c']);
    },
  },
  // 8 — answers that are not an API answer
  {
    name: 'an HTML login page with status 200 says the base URL or proxy is wrong',
    scenarios: [providerErrors.loginPage200()],
    expect: { status: 'error', alert: 'ModelScope answered with a web page instead of the API (a proxy or login page?).', actions: ['Open provider settings'], requests: 1 },
  },
  {
    name: 'an SSE `event: error` without the error wrapper shows its message',
    scenarios: [{ kind: 'raw', events: [chunk({ role: 'assistant', content: 'Start' }), { event: 'error', data: { message: 'Upstream worker crashed.', code: 'worker_crash' } }], end: 'close' }],
    expect: { status: 'error', alert: 'ModelScope ended the answer with an error: Upstream worker crashed.', actions: ['Retry'], body: 'Start' },
  },
];

test.describe.configure({ mode: 'parallel' });

async function turnOnTools(page: Page, tools: string[]): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('button', { name: 'Parameters' }).click();
  const group = page.getByRole('complementary', { name: 'Conversation settings' }).getByRole('group', { name: 'Tools' });
  for (const name of tools) await group.getByRole('checkbox', { name }).check();
  await page.getByRole('button', { name: 'Close conversation settings' }).click();
}

for (const c of CASES) {
  test(c.name, async ({ app: page, fake }) => {
    const provider = c.provider ?? 'modelscope';
    await useFakeProvider(page, fake, { providerId: provider, maxRetries: c.maxRetries ?? 0, ...(c.model ? { model: c.model } : {}) });
    if (c.tools) await turnOnTools(page, c.tools);
    fake.enqueue(...c.scenarios);
    await sendMessage(page, `question: ${c.name}`);
    const reply = page.locator('article.assistant').last();
    const ctx = { page, fake, reply };
    if (c.during) await c.during(ctx);
    await waitUntilAnswered(page, 30_000);
    const e = c.expect;
    await expect(reply).toHaveAttribute('data-status', e.status);
    await expectAnswerAlert(reply, e.alert, e.actions);
    if (e.body !== undefined) await expect(reply.locator('.message-body')).toHaveText(e.body);
    if (e.thinking !== undefined) await expect(reply.locator('.thinking-body')).toHaveText(e.thinking);
    if (e.footerNot) await expect(reply.getByLabel('Answer details')).not.toContainText(e.footerNot);
    if (e.requests !== undefined) {
      await page.waitForTimeout(500);
      expect(fake.chatRequests()).toHaveLength(e.requests);
    }
    if (e.minRetryGapMs !== undefined) {
      const [a, b] = fake.chatRequests();
      expect(b!.at - a!.at).toBeGreaterThanOrEqual(e.minRetryGapMs);
    }
    if (e.keyOk) {
      const failure = await page.evaluate(async (id) => {
        const r = await window.kaiwa!.providers.list({});
        return r.ok ? (r.value.find((p) => p.id === id)?.keys[0]?.failure ?? null) : 'list failed';
      }, provider);
      expect(failure).toBeNull();
    }
    if (c.then) await c.then(ctx);
  });
}
