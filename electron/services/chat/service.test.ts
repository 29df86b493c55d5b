// The chat service end to end: real services from createKaiwa, configured through dispatch exactly
// as the renderer does, talking real HTTP to the fake upstream on 127.0.0.1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { providerErrors, streamOf } from '../../../test/fake-upstream/scenarios.ts';
import type { EventPayload, KaiwaError } from '../../contract/index.ts';
import { startTestKaiwa, waitFor, type TestKaiwa } from '../../../test/kaiwa.ts';

const MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
const KEY = 'ms-test-key-0001-abcdef';

type End = EventPayload<'stream.end'>;

let fake: FakeUpstream;
let k: TestKaiwa;

const useFake = (providerId = 'modelscope', keys = KEY) => k.useProvider(providerId, { baseUrl: fake.baseUrl, keys, model: MODEL });

/** Creates a conversation with the default model and sends `text`; returns once the stream ended. */
async function sendAndWait(text = 'hello') {
  const conv = await k.call('conversations.create', {});
  const { sent, end } = await k.send(conv.id, text);
  const deltas = k.of('stream.delta', sent.streamId);
  return {
    conv,
    sent,
    end,
    deltas,
    statuses: k.of('stream.status', sent.streamId),
    content: deltas.map((d) => d.content ?? '').join(''),
    reasoning: deltas.map((d) => d.reasoning ?? '').join(''),
  };
}

function errorOf(end: End): KaiwaError {
  expect(end.message.error).toBeDefined();
  return end.message.error!;
}

beforeEach(async () => {
  fake = await FakeUpstream.start();
  k = startTestKaiwa();
});

afterEach(async () => {
  await k.close();
  await fake.close();
});

describe('ChatService against the fake upstream', () => {
  it('streams a ModelScope answer with reasoning, coalesced into new-text-only deltas, and stores it', async () => {
    await useFake();
    const reasoning = Array.from({ length: 100 }, (_, i) => `thought ${i}; `);
    const content = Array.from({ length: 100 }, (_, i) => `word${i} `);
    fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning, content, delayMs: 0, eventsPerWrite: 20, usage: { prompt: 42, completion: 321 } });

    const r = await sendAndWait('think, then answer');

    // Concatenating the deltas gives exactly the fake's text: nothing lost, nothing repeated.
    expect(r.reasoning).toBe(reasoning.join(''));
    expect(r.content).toBe(content.join(''));
    // 200 text chunks arrived; far fewer events crossed the boundary.
    expect(r.deltas.length).toBeGreaterThan(0);
    expect(r.deltas.length).toBeLessThan(200);
    expect(r.deltas.map((d) => d.seq)).toEqual(r.deltas.map((_, i) => i + 1));
    expect(r.deltas.some((d) => d.contentToReasoning)).toBe(false);
    expect(r.deltas.filter((d) => d.answerStartedMs !== undefined)).toHaveLength(1);

    expect(r.end.message.status).toBe('done');
    expect(r.end.message.content).toBe(content.join(''));
    expect(r.end.message.reasoning).toBe(reasoning.join(''));
    expect(r.end.message.usage).toEqual({ promptTokens: 42, completionTokens: 321 });
    expect(r.end.message.error).toBeUndefined();
    expect(r.statuses.map((s) => s.state)).toEqual(['connecting', 'receiving']);

    const opened = await k.call('conversations.open', { id: r.conv.id });
    expect(opened.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(opened.messages[0]!.content).toBe('think, then answer');
    const stored = opened.messages[1]!;
    expect(stored.id).toBe(r.sent.assistantMessage.id);
    expect(stored.status).toBe('done');
    expect(stored.content).toBe(content.join(''));
    expect(stored.reasoning).toBe(reasoning.join(''));
    expect(stored.usage).toEqual({ promptTokens: 42, completionTokens: 321 });
    expect(opened.conversation.title).toBe('think, then answer');

    // What was sent upstream.
    expect(fake.chatRequests()).toHaveLength(1);
    const req = fake.chatRequests()[0]!;
    expect(req.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(req.body).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'think, then answer' }] });
  });

  it('spread over many frames, each delta carries only the text that is new since the previous one', async () => {
    await useFake();
    const reasoning = Array.from({ length: 30 }, (_, i) => `r${i} `);
    const content = Array.from({ length: 60 }, (_, i) => `c${i} `);
    fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning, content, delayMs: 8, eventsPerWrite: 2 });
    const r = await sendAndWait();
    const fullReasoning = reasoning.join('');
    const fullContent = content.join('');
    // Enough frames that a delta repeating earlier text would show.
    expect(r.deltas.filter((d) => d.content).length).toBeGreaterThanOrEqual(3);
    expect(r.deltas.filter((d) => d.reasoning).length).toBeGreaterThanOrEqual(2);
    let ro = 0;
    let co = 0;
    for (const d of r.deltas) {
      expect(d.reasoning || d.content || d.answerStartedMs !== undefined).toBeTruthy();
      if (d.reasoning) {
        expect(fullReasoning.slice(ro, ro + d.reasoning.length)).toBe(d.reasoning);
        ro += d.reasoning.length;
      }
      if (d.content) {
        expect(fullContent.slice(co, co + d.content.length)).toBe(d.content);
        co += d.content.length;
      }
    }
    expect(ro).toBe(fullReasoning.length);
    expect(co).toBe(fullContent.length);
    expect(r.end.message.content).toBe(fullContent);
    expect(r.end.message.reasoning).toBe(fullReasoning);
  });

  it('splits inline <think> tags sent as content into reasoning', async () => {
    await useFake();
    fake.enqueue({ kind: 'stream', content: ['<thi', 'nk>Let me ', 'see.</th', 'ink>', '\n\n', 'It is 4.'] });
    const r = await sendAndWait();
    expect(r.reasoning).toBe('Let me see.');
    expect(r.content).toBe('It is 4.');
    expect(r.end.message.reasoning).toBe('Let me see.');
    expect(r.end.message.content).toBe('It is 4.');
  });

  it('finish_reason "length" → status length', async () => {
    await useFake();
    fake.enqueue(streamOf('Cut off at the tok', { finishReason: 'length' }));
    const r = await sendAndWait();
    expect(r.end.message.status).toBe('length');
    expect(r.end.message.content).toBe('Cut off at the tok');
  });

  it('no finish_reason → status incomplete with stream_incomplete', async () => {
    await useFake();
    fake.enqueue(streamOf('The answer just stops', { finishReason: null }));
    const r = await sendAndWait();
    expect(r.end.message.status).toBe('incomplete');
    expect(errorOf(r.end).code).toBe('stream_incomplete');
    expect(r.end.message.content).toBe('The answer just stops');
  });

  it('a mid-stream data_inspection_failed error after content → error content_filtered, partial content kept', async () => {
    await useFake('dashscope');
    fake.enqueue({
      kind: 'stream',
      flavor: 'dashscope',
      content: ['Part one. ', 'Part two. ', 'Never sent.'],
      errorAfter: {
        chunks: 2,
        error: { code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.', type: 'data_inspection_failed' },
      },
    });
    const r = await sendAndWait();
    expect(r.end.message.status).toBe('error');
    expect(errorOf(r.end).code).toBe('content_filtered');
    expect(r.end.message.content).toBe('Part one. Part two. ');
    const stored = (await k.call('conversations.open', { id: r.conv.id })).messages[1]!;
    expect(stored.status).toBe('error');
    expect(stored.error?.code).toBe('content_filtered');
    expect(stored.content).toBe('Part one. Part two. ');
  });

  it('Stop mid-stream → stopped with the partial text', async () => {
    await useFake();
    const full = Array.from({ length: 200 }, (_, i) => `w${i} `).join('');
    fake.enqueue(streamOf(full, { size: 4, delayMs: 20 }));
    const conv = await k.call('conversations.create', {});
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'long story' });
    await waitFor(() => k.of('stream.delta', sent.streamId).some((d) => d.content), 'the first content delta');
    await k.call('chat.stop', { streamId: sent.streamId });
    const end = await k.waitForEnd(sent.streamId);

    expect(end.message.status).toBe('stopped');
    const partial = end.message.content;
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(full.length);
    expect(full.startsWith(partial)).toBe(true);
    expect(k.of('stream.delta', sent.streamId).map((d) => d.content ?? '').join('')).toBe(partial);
    const stored = (await k.call('conversations.open', { id: conv.id })).messages[1]!;
    expect(stored.status).toBe('stopped');
    expect(stored.content).toBe(partial);
  });

  it('the idle watchdog ends a stalled stream with idle_timeout and keeps the partial text', async () => {
    await useFake();
    expect((await k.call('settings.update', { idleTimeoutSec: 5 })).idleTimeoutSec).toBe(5);
    // Event 0 is the role chunk, so two content chunks arrive before the stall.
    fake.enqueue({ kind: 'stream', content: ['Before ', 'the stall', ' never'], stallAfter: 3 });
    const started = Date.now();
    const r = await sendAndWait();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(r.end.message.status).toBe('error');
    expect(errorOf(r.end).code).toBe('idle_timeout');
    expect(errorOf(r.end).params).toMatchObject({ seconds: 5 });
    expect(r.end.message.content).toBe('Before the stall');
  }, 20_000);

  it('a ModelScope quota 429 is not retried: exactly one request, quota_exceeded', async () => {
    await useFake();
    fake.enqueue(providerErrors.modelscopeQuota(), streamOf('a retry would have succeeded'));
    const r = await sendAndWait();
    expect(r.end.message.status).toBe('error');
    expect(errorOf(r.end).code).toBe('quota_exceeded');
    expect(r.end.message.content).toBe('');
    expect(fake.chatRequests()).toHaveLength(1);
    expect(r.statuses.some((s) => s.state === 'retrying')).toBe(false);
  });

  it('a concurrency 429 with retry-after: 1 is retried once after ~1 s and then succeeds', async () => {
    await useFake('wandb');
    fake.enqueue(providerErrors.wandbConcurrency(1), streamOf('Second time lucky.'));
    const started = Date.now();
    const r = await sendAndWait();
    expect(r.end.message.status).toBe('done');
    expect(r.end.message.content).toBe('Second time lucky.');
    expect(fake.chatRequests()).toHaveLength(2);
    const retrying = r.statuses.filter((s) => s.state === 'retrying');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.retryInMs).toBeGreaterThanOrEqual(900);
    expect(retrying[0]!.retryInMs).toBeLessThanOrEqual(1100);
    expect(retrying[0]!.attempt).toBe(1);
    expect(retrying[0]!.error?.code).toBe('rate_limited');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a rejected first key is marked failed and the next send uses the second key', async () => {
    const first = 'ms-first-key-rejected-0001';
    const second = 'ms-second-key-accepted-0002';
    await useFake('modelscope', `${first}\n${second}`);
    fake.acceptKeys = [second];

    const a = await sendAndWait('first try');
    expect(a.end.message.status).toBe('error');
    expect(errorOf(a.end).code).toBe('auth_invalid_key');
    expect(fake.chatRequests()).toHaveLength(1);
    expect(fake.chatRequests()[0]!.headers['authorization']).toBe(`Bearer ${first}`);

    const keys = (await k.call('providers.list', {})).find((p) => p.id === 'modelscope')!.keys;
    expect(keys).toHaveLength(2);
    expect(keys[0]!.failure?.code).toBe('auth_invalid_key');
    expect(keys[1]!.failure).toBeUndefined();

    fake.enqueue(streamOf('Now it works.'));
    const b = await sendAndWait('second try');
    expect(b.end.message.status).toBe('done');
    expect(b.end.message.content).toBe('Now it works.');
    expect(fake.chatRequests()).toHaveLength(2);
    expect(fake.chatRequests()[1]!.headers['authorization']).toBe(`Bearer ${second}`);
  });

  it('accepts a plain JSON chat.completion in answer to a stream request', async () => {
    await useFake();
    fake.enqueue({ kind: 'json', content: 'A whole answer at once.' });
    const r = await sendAndWait();
    expect(r.end.message.status).toBe('done');
    expect(r.end.message.content).toBe('A whole answer at once.');
    expect(r.content).toBe('A whole answer at once.');
    expect(r.end.message.usage).toEqual({ promptTokens: 5, completionTokens: 7 });
  });

  describe('with OPENAI_* variables in the environment', () => {
    const VARS = {
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_API_KEY: 'sk-from-the-environment-0000',
      OPENAI_PROJECT_ID: 'proj_from_env',
      OPENAI_ORG_ID: 'org_from_env',
      OPENAI_CUSTOM_HEADERS: 'X-Env-Header: leaked\nX-Other-Env: also-leaked',
    };
    const saved: Record<string, string | undefined> = {};
    beforeEach(() => {
      for (const [k, v] of Object.entries(VARS)) {
        saved[k] = process.env[k];
        process.env[k] = v;
      }
    });
    afterEach(() => {
      for (const k of Object.keys(VARS)) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    });

    it('the SDK picks none of them up: our base URL, our key, no custom or project headers', async () => {
      await useFake();
      fake.enqueue(streamOf('Env ignored.'));
      const r = await sendAndWait();
      expect(r.end.message.status).toBe('done');
      expect(fake.chatRequests()).toHaveLength(1);
      const h = fake.chatRequests()[0]!.headers;
      expect(h['authorization']).toBe(`Bearer ${KEY}`);
      expect(h['x-env-header']).toBeUndefined();
      expect(h['x-other-env']).toBeUndefined();
      expect(h['openai-project']).toBeUndefined();
      expect(h['openai-organization']).toBeUndefined();
      expect(JSON.stringify(h)).not.toContain('from_env');
      expect(JSON.stringify(h)).not.toContain('leaked');
    });

    it('a header the user configured with the same name is still sent', async () => {
      await useFake();
      await k.call('providers.update', { id: 'modelscope', headers: { 'X-Env-Header': 'mine' } });
      fake.enqueue(streamOf('ok'));
      const r = await sendAndWait();
      expect(r.end.message.status).toBe('done');
      const h = fake.chatRequests()[0]!.headers;
      expect(h['x-env-header']).toBe('mine');
      expect(h['x-other-env']).toBeUndefined();
    });
  });

  it('chat.send without a key fails with no_key and writes no message', async () => {
    await useFake('modelscope', '');
    const conv = await k.call('conversations.create', {});
    const r = await k.kaiwa.dispatch('chat.send', { conversationId: conv.id, text: 'hello?' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('no_key');
      expect(r.error.actions).toContain('open_settings');
    }
    const opened = await k.call('conversations.open', { id: conv.id });
    expect(opened.messages).toEqual([]);
    expect(fake.chatRequests()).toHaveLength(0);
    expect(k.events.filter((e) => e.name.startsWith('stream.'))).toEqual([]);
  });
});
