// An answer whose stream ends (or moves on) before the reply that starts it reaches the page: main
// emits `stream.status` and, for a failure before any network, `stream.end` while still inside the
// call. The user must see how it ended, never "Connecting…" forever. Main is played in memory
// (renderer/test/fake-main.ts) and emits those events before it answers; the store is the app's own.
import { describe, expect, it, vi } from 'vitest';
import type { KaiwaError, Message } from '../../../electron/contract/index.ts';
import { installFakeMain, message, type FakeMain } from '../../test/fake-main.ts';

async function fresh() {
  vi.resetModules();
  const fake = installFakeMain();
  const { useChat } = await import('./chat.ts');
  fake.add('a', 2);
  await useChat.getState().open('a');
  return { fake, useChat };
}

const FAILED: KaiwaError = { code: 'dns_failure', message: 'The address of Local could not be resolved.', params: { provider: 'Local' } };

function answer(id: string, status: Message['status'], extra: Partial<Message> = {}): Message {
  return { ...message('a', 1), id, parentId: 'a-q', content: '', status, ...extra };
}

/** Main's side of an answer that fails at once: status and end go out before the reply. */
function failsAtOnce(fake: FakeMain, streamId: string, messageId: string) {
  fake.emit('stream.status', { streamId, messageId, state: 'connecting', attempt: 0 });
  fake.emit('stream.end', { streamId, message: answer(messageId, 'error', { error: FAILED }) });
}

describe('a stream that ends before the reply starting it arrives', () => {
  it('send: the answer shows its error, not "Connecting…"', async () => {
    const { fake, useChat } = await fresh();
    const conversation = fake.conversations.get('a')!.conversation;
    fake.handle('chat.send', () => {
      failsAtOnce(fake, 's1', 'a-ans');
      return { streamId: 's1', userMessage: { ...message('a', 2), id: 'a-q' }, assistantMessage: answer('a-ans', 'streaming'), conversation };
    });
    expect(await useChat.getState().send('hello')).toBe(true);
    const s = useChat.getState();
    expect(s.streams).toEqual({});
    expect(s.messages.at(-1)).toMatchObject({ id: 'a-ans', status: 'error', error: { code: 'dns_failure' } });
  });

  it('regenerate (a new branch): the new answer shows its error', async () => {
    const { fake, useChat } = await fresh();
    const conversation = fake.conversations.get('a')!.conversation;
    fake.handle('chat.regenerate', () => {
      failsAtOnce(fake, 's2', 'a-v2');
      return { streamId: 's2', conversation, anchorId: 'a-m0', tail: [answer('a-v2', 'streaming')] };
    });
    expect(await useChat.getState().regenerate('a-m1')).toBe(true);
    const s = useChat.getState();
    expect(s.streams).toEqual({});
    expect(s.messages.map((m) => [m.id, m.status])).toEqual([
      ['a-m0', 'done'],
      ['a-v2', 'error'],
    ]);
  });

  it('continue: the answer is back to its final record, not streaming', async () => {
    const { fake, useChat } = await fresh();
    const conversation = fake.conversations.get('a')!.conversation;
    fake.handle('chat.continue', () => {
      failsAtOnce(fake, 's3', 'a-m1');
      return { streamId: 's3', message: { ...message('a', 1), status: 'streaming' }, conversation };
    });
    expect(await useChat.getState().continueAnswer('a-m1')).toBe(true);
    const s = useChat.getState();
    expect(s.streams).toEqual({});
    expect(s.messages.at(-1)).toMatchObject({ id: 'a-m1', status: 'error', error: { code: 'dns_failure' } });
  });

  it('a "receiving" status that came before the reply is kept, not turned back into "connecting"', async () => {
    const { fake, useChat } = await fresh();
    const conversation = fake.conversations.get('a')!.conversation;
    fake.handle('chat.send', () => {
      fake.emit('stream.status', { streamId: 's4', messageId: 'a-ans', state: 'connecting', attempt: 0 });
      fake.emit('stream.status', { streamId: 's4', messageId: 'a-ans', state: 'receiving' });
      return { streamId: 's4', userMessage: { ...message('a', 2), id: 'a-q' }, assistantMessage: answer('a-ans', 'streaming'), conversation };
    });
    await useChat.getState().send('hello');
    expect(useChat.getState().streams['a-ans']).toMatchObject({ streamId: 's4', state: 'receiving', conversationId: 'a' });
    // It ends the usual way afterwards.
    fake.emit('stream.end', { streamId: 's4', message: answer('a-ans', 'done', { content: 'hi' }) });
    expect(useChat.getState().streams).toEqual({});
    expect(useChat.getState().messages.at(-1)).toMatchObject({ id: 'a-ans', status: 'done', content: 'hi' });
  });

});
