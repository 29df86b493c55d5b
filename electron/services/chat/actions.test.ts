// Chat behaviour through the real composition root and contract, against the fake upstream over
// real HTTP: what each action sends to the provider and what the conversation looks like after.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerErrors, streamOf } from '../../../test/fake-upstream/scenarios.ts';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { startTestKaiwa, type TestKaiwa } from '../../../test/kaiwa.ts';
import { CONTINUE_PROMPT } from './service.ts';

let fake: FakeUpstream;
let k: TestKaiwa;

const end = async (streamId: string) => (await k.waitForEnd(streamId)).message;
const ask = async (conversationId: string, text: string) => (await k.send(conversationId, text)).message;

type Body = { model: string; messages: { role: string; content: string }[]; temperature?: number; enable_thinking?: boolean };
const bodies = () => fake.chatRequests().map((r) => r.body as Body);

beforeEach(async () => {
  fake = await FakeUpstream.start();
  k = startTestKaiwa();
  await k.useProvider('modelscope', { baseUrl: fake.baseUrl, maxRetries: 2, keys: 'ms-test-key-0001', model: 'fake-model' });
});

afterEach(async () => {
  await k.close();
  await fake.close();
});

async function shown(conversationId: string) {
  return (await k.call('conversations.open', { id: conversationId })).messages;
}

describe('thinking and usage', () => {
  it('streams ModelScope reasoning before the answer and keeps the usage chunk', async () => {
    fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning: ['Let me ', 'think.'], content: ['The answer', ' is 42.'], usage: { prompt: 31, completion: 57 }, delayMs: 20 });
    const c = await k.call('conversations.create', {});
    const m = await ask(c.id, 'question');
    expect(m).toMatchObject({ status: 'done', reasoning: 'Let me think.', content: 'The answer is 42.', usage: { promptTokens: 31, completionTokens: 57 } });
    expect(m.reasoningMs).toBeGreaterThan(0);
    expect(m.durationMs).toBeGreaterThanOrEqual(m.ttftMs!);
    // Reasoning reached the renderer before any answer text, and the answer start was announced once.
    const deltas = k.of('stream.delta');
    const firstContent = deltas.findIndex((d) => d.content);
    const firstReasoning = deltas.findIndex((d) => d.reasoning);
    expect(firstReasoning).toBeGreaterThanOrEqual(0);
    expect(firstReasoning).toBeLessThan(firstContent);
    expect(deltas.filter((d) => d.answerStartedMs !== undefined)).toHaveLength(1);
  });
});

describe('regenerate, edit, continue', () => {
  it('regenerate sends the same question again and keeps the first answer as version 1', async () => {
    await k.call('settings.update', { defaultModel: { providerId: 'modelscope', modelId: 'fake-model' } });
    const c = await k.call('conversations.create', {});
    await k.call('conversations.update', { id: c.id, systemPrompt: 'Be brief.' });
    fake.enqueue(streamOf('first answer'), streamOf('second answer'));
    const first = await ask(c.id, 'what is up?');

    const r = await k.call('chat.regenerate', { messageId: first.id });
    expect(r.anchorId).toBe(first.parentId);
    expect(r.tail).toHaveLength(1);
    expect(r.tail[0]!.version).toEqual({ index: 2, count: 2 });
    await end(r.streamId);

    const [b1, b2] = bodies();
    expect(b2!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'what is up?' },
    ]);
    expect(b2!.messages).toEqual(b1!.messages);

    expect((await shown(c.id)).map((m) => m.content)).toEqual(['what is up?', 'second answer']);
    const back = await k.call('messages.select', { messageId: r.tail[0]!.id, version: 1 });
    expect(back.tail.map((m) => [m.content, m.version.index])).toEqual([['first answer', 1]]);
    expect((await shown(c.id)).map((m) => m.content)).toEqual(['what is up?', 'first answer']);
  });

  it('edit-and-resend replaces the branch after the question and keeps the old one as a version', async () => {
    const c = await k.call('conversations.create', {});
    fake.enqueue(streamOf('a1'), streamOf('a2'), streamOf('a2 for the edit'));
    await ask(c.id, 'q1');
    const a2 = await ask(c.id, 'q2');

    const r = await k.call('chat.edit', { messageId: a2.parentId!, text: 'q2 edited' });
    expect(r.tail.map((m) => [m.role, m.content])).toEqual([
      ['user', 'q2 edited'],
      ['assistant', ''],
    ]);
    await end(r.streamId);
    expect(bodies()[2]!.messages).toEqual([
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2 edited' },
    ]);
    const path = await shown(c.id);
    expect(path.map((m) => m.content)).toEqual(['q1', 'a1', 'q2 edited', 'a2 for the edit']);
    expect(path[2]!.version).toEqual({ index: 2, count: 2 });

    await k.call('messages.select', { messageId: path[2]!.id, version: 1 });
    expect((await shown(c.id)).map((m) => m.content)).toEqual(['q1', 'a1', 'q2', 'a2']);
  });

  it('editing the first question renames an automatically titled conversation', async () => {
    const c = await k.call('conversations.create', {});
    const a = await ask(c.id, 'about pelicans');
    expect((await shown(c.id))[0]!.content).toBe('about pelicans');
    const r = await k.call('chat.edit', { messageId: a.parentId!, text: 'about herons' });
    await end(r.streamId);
    expect(r.conversation.title).toBe('about herons');
  });

  it('continue sends the cut-off answer and appends the rest to the same message', async () => {
    const c = await k.call('conversations.create', {});
    fake.enqueue(
      { kind: 'stream', content: ['Part one,'], finishReason: 'length', usage: { prompt: 10, completion: 5 } },
      { kind: 'stream', content: [' part two.'], usage: { prompt: 20, completion: 7 } },
    );
    const cut = await ask(c.id, 'write a lot');
    expect(cut.status).toBe('length');

    const r = await k.call('chat.continue', { messageId: cut.id });
    expect(r.message.status).toBe('streaming');
    const done = await end(r.streamId);
    expect(bodies()[1]!.messages).toEqual([
      { role: 'user', content: 'write a lot' },
      { role: 'assistant', content: 'Part one,' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
    expect(done).toMatchObject({ id: cut.id, status: 'done', content: 'Part one, part two.', usage: { promptTokens: 30, completionTokens: 12 } });
    // Continue did not create a version.
    const path = await shown(c.id);
    expect(path.map((m) => [m.content, m.version.count])).toEqual([
      ['write a lot', 1],
      ['Part one, part two.', 1],
    ]);
  });

  it('a continuation that fails keeps the text so far and shows the error under it', async () => {
    const c = await k.call('conversations.create', {});
    fake.enqueue({ kind: 'stream', content: ['Part one,'], finishReason: 'length', usage: { prompt: 10, completion: 5 } }, providerErrors.modelscopeQuota());
    const cut = await ask(c.id, 'write a lot');
    const r = await k.call('chat.continue', { messageId: cut.id });
    const done = await end(r.streamId);
    expect(done).toMatchObject({ status: 'error', content: 'Part one,', error: { code: 'quota_exceeded' }, usage: { promptTokens: 10, completionTokens: 5 } });
  });
});

describe('switch model after a failure', () => {
  it('after a ModelScope quota 429 the chosen model answers the same question; the failure stays a version', async () => {
    const other = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
    fake.enqueueForModel('fake-model', providerErrors.modelscopeQuota());
    fake.enqueueForModel(other, streamOf('answer from the other model'));
    const c = await k.call('conversations.create', {});
    const failed = await ask(c.id, 'still there?');
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ code: 'quota_exceeded' });
    expect(failed.error!.actions).toContain('switch_model');
    expect(fake.chatRequests()).toHaveLength(1); // a quota error is never retried

    const r = await k.call('chat.regenerate', { messageId: failed.id, model: { providerId: 'modelscope', modelId: other } });
    const answer = await end(r.streamId);
    expect(answer).toMatchObject({ status: 'done', content: 'answer from the other model', modelId: other, parentId: failed.parentId });
    const [b1, b2] = bodies();
    expect(b2!.model).toBe(other);
    expect(b2!.messages).toEqual(b1!.messages);
    expect(b2!.messages).toEqual([{ role: 'user', content: 'still there?' }]);

    // The conversation carries on with the chosen model.
    expect(r.conversation.modelId).toBe(other);
    const path = await shown(c.id);
    expect(path[1]!.version).toEqual({ index: 2, count: 2 });
    await k.call('messages.select', { messageId: answer.id, version: 1 });
    expect((await shown(c.id))[1]).toMatchObject({ id: failed.id, status: 'error', modelId: 'fake-model' });
  });
});

describe('parameters', () => {
  it('sends valid parameters and refuses invalid ones before any request', async () => {
    const c = await k.call('conversations.create', {});
    await expect(k.call('conversations.update', { id: c.id, params: { temperature: 2 } })).rejects.toMatchObject({ info: { code: 'invalid_request' } });
    await expect(k.call('conversations.update', { id: c.id, params: { topP: 0 } })).rejects.toMatchObject({ info: { code: 'invalid_request' } });
    await k.call('conversations.update', { id: c.id, params: { temperature: 1.99, topP: 1, presencePenalty: -2, seed: 7, stop: ['END'], maxTokens: 100 } });
    await ask(c.id, 'hi');
    expect(bodies()[0]).toMatchObject({ temperature: 1.99, top_p: 1, presence_penalty: -2, seed: 7, stop: ['END'], max_tokens: 100 });

    // A value that got into the database some other way is still never sent.
    k.kaiwa.services.history.updateConversation(c.id, { params: { temperature: 5 } });
    await expect(k.call('chat.send', { conversationId: c.id, text: 'again' })).rejects.toMatchObject({ info: { code: 'invalid_params' } });
    expect(fake.chatRequests()).toHaveLength(1);
    expect((await shown(c.id)).map((m) => m.content)).toEqual(['hi', 'Hello from the fake upstream.']);
  });

  it('sends enable_thinking only for hybrid thinking models', async () => {
    const c = await k.call('conversations.create', { model: { providerId: 'modelscope', modelId: 'ZhipuAI/GLM-4.5' } });
    await k.call('conversations.update', { id: c.id, params: { enableThinking: false } });
    await ask(c.id, 'hi');
    expect(bodies()[0]!.enable_thinking).toBe(false);
    await k.call('conversations.update', { id: c.id, model: { providerId: 'modelscope', modelId: 'fake-model' } });
    await ask(c.id, 'hi again');
    expect(bodies()[1]).not.toHaveProperty('enable_thinking');
  });
});

describe('conversations and messages', () => {
  it('opens with the newest messages only when asked for a tail, and says how many come before them', async () => {
    const c = await k.call('conversations.create', {});
    fake.enqueue(streamOf('a1'), streamOf('a2'), streamOf('a3'));
    for (const q of ['q1', 'q2', 'q3']) await ask(c.id, q);
    const head = await k.call('conversations.open', { id: c.id, tail: 2 });
    expect(head.messages.map((m) => m.content)).toEqual(['q3', 'a3']);
    expect(head.earlier).toBe(4);
    const whole = await k.call('conversations.open', { id: c.id });
    expect(whole.messages.map((m) => m.content)).toEqual(['q1', 'a1', 'q2', 'a2', 'q3', 'a3']);
    expect(whole.earlier).toBeUndefined();
    // A tail longer than the path is the whole path.
    const all = await k.call('conversations.open', { id: c.id, tail: 60 });
    expect(all.messages).toHaveLength(6);
    expect(all.earlier).toBeUndefined();
    await expect(k.call('conversations.open', { id: c.id, tail: 0 })).rejects.toMatchObject({ info: { code: 'invalid_request' } });
  });

  it('deleting a message returns the new path; deleting a conversation can be undone', async () => {
    const c = await k.call('conversations.create', {});
    fake.enqueue(streamOf('a1'), streamOf('a2'));
    const a1 = await ask(c.id, 'q1');
    await ask(c.id, 'q2');
    const u = await k.call('messages.delete', { messageId: a1.id });
    expect(u.anchorId).toBe(a1.parentId);
    expect(u.tail.map((m) => m.content)).toEqual(['q2', 'a2']);

    await k.call('conversations.delete', { id: c.id });
    expect(await k.call('conversations.list', {})).toEqual([]);
    await expect(k.call('conversations.open', { id: c.id })).rejects.toMatchObject({ info: { code: 'not_found' } });
    await k.call('conversations.restore', { id: c.id });
    expect((await k.call('conversations.list', {})).map((x) => x.id)).toEqual([c.id]);
  });

  it('deleting a conversation while it streams stops the stream and keeps what arrived', async () => {
    const c = await k.call('conversations.create', {});
    fake.enqueue(streamOf('x'.repeat(400), { size: 4, delayMs: 20 }));
    const r = await k.call('chat.send', { conversationId: c.id, text: 'long please' });
    await fake.waitForChatRequests(1);
    await new Promise((res) => setTimeout(res, 200));
    await k.call('conversations.delete', { id: c.id });
    const m = await end(r.streamId);
    expect(m.status).toBe('stopped');
    expect(m.content.length).toBeGreaterThan(0);
    await k.call('conversations.restore', { id: c.id });
    expect((await shown(c.id))[1]).toMatchObject({ status: 'stopped', content: m.content });
  });

  it('search finds messages across conversations', async () => {
    const a = await k.call('conversations.create', {});
    fake.enqueue(streamOf('Pelicans are large water birds.'));
    await ask(a.id, 'tell me about birds');
    const b = await k.call('conversations.create', {});
    await ask(b.id, '会話の練習');
    expect((await k.call('conversations.search', { query: 'water bird' })).map((h) => [h.conversationId, h.role])).toEqual([[a.id, 'assistant']]);
    expect((await k.call('conversations.search', { query: '会話' })).map((h) => [h.conversationId, h.messageId === null ? 'title' : h.role])).toEqual([
      [b.id, 'title'],
      [b.id, 'user'],
    ]);
  });
});
