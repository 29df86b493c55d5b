// Opening a conversation: the newest page first, the older messages put in front once it is painted,
// and nothing of a conversation the user has already left. Main is played in memory
// (renderer/test/fake-main.ts); the store is the app's own.
import { describe, expect, it, vi } from 'vitest';
import { installFakeMain } from '../../test/fake-main.ts';

async function fresh() {
  vi.resetModules();
  const fake = installFakeMain();
  const { useChat } = await import('./chat.ts');
  const { FIRST_PAGE } = await import('./view.ts');
  return { fake, useChat, FIRST_PAGE };
}

const ids = (conversationId: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${conversationId}-m${from + i}`);
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('opening a conversation', () => {
  it('shows the newest page first, then the older messages in front of it, in order', async () => {
    const { fake, useChat, FIRST_PAGE } = await fresh();
    fake.add('a', 200);
    const lengths: number[] = [];
    useChat.subscribe((s, prev) => {
      if (s.messages !== prev.messages) lengths.push(s.messages.length);
    });
    await useChat.getState().open('a');
    expect(fake.calls[0]).toEqual(['conversations.open', { id: 'a', tail: FIRST_PAGE }]);
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(ids('a', 200 - FIRST_PAGE, 200));
    expect(useChat.getState().loading).toBe(false);
    await vi.waitFor(() => expect(useChat.getState().messages).toHaveLength(200));
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(ids('a', 0, 200));
    expect(lengths).toEqual([FIRST_PAGE, 200]);
    expect(fake.calls.filter(([n]) => n === 'conversations.open')).toEqual([
      ['conversations.open', { id: 'a', tail: FIRST_PAGE }],
      ['conversations.open', { id: 'a' }],
    ]);
  });

  it('opens a conversation shorter than a page with one call', async () => {
    const { fake, useChat } = await fresh();
    fake.add('b', 10);
    await useChat.getState().open('b');
    await settle();
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(ids('b', 0, 10));
    expect(fake.calls.filter(([n]) => n === 'conversations.open')).toHaveLength(1);
  });

  it('drops the older messages of a conversation the user has left meanwhile', async () => {
    const { fake, useChat } = await fresh();
    fake.add('a', 200);
    fake.add('b', 10);
    await useChat.getState().open('a');
    const release = fake.hold('conversations.open');
    await vi.waitFor(() => expect(fake.calls.filter(([n]) => n === 'conversations.open')).toHaveLength(2));
    await useChat.getState().open('b');
    release();
    await settle();
    expect(useChat.getState().activeId).toBe('b');
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(ids('b', 0, 10));
  });

  it('a slow open never replaces the conversation opened after it', async () => {
    const { fake, useChat } = await fresh();
    fake.add('a', 200);
    fake.add('b', 10);
    const release = fake.hold('conversations.open');
    const slow = useChat.getState().open('a');
    await useChat.getState().open('b');
    release();
    await slow;
    await settle();
    expect(useChat.getState().activeId).toBe('b');
    expect(useChat.getState().conversation?.id).toBe('b');
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(ids('b', 0, 10));
    expect(useChat.getState().loading).toBe(false);
  });

  it('keeps the newest page and says so when the older messages cannot be loaded; trying again loads them', async () => {
    const { fake, useChat, FIRST_PAGE } = await fresh();
    fake.add('a', 200);
    await useChat.getState().open('a');
    fake.handle('conversations.open', () => {
      throw Object.assign(new Error('The disk is not readable.'), { code: 'storage' });
    });
    await vi.waitFor(() => expect(useChat.getState().earlierError).not.toBeNull());
    expect(useChat.getState().earlierError?.code).toBe('storage');
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(ids('a', 200 - FIRST_PAGE, 200));
    expect(useChat.getState().sendError).toBeNull();
    fake.handle('conversations.open', null);
    useChat.getState().retryEarlier();
    expect(useChat.getState().earlierError).toBeNull();
    await vi.waitFor(() => expect(useChat.getState().messages).toHaveLength(200));
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(ids('a', 0, 200));
  });

  it('opens a search hit with the whole path at once and highlights it', async () => {
    const { fake, useChat } = await fresh();
    fake.add('a', 200);
    await useChat.getState().open('a', 'a-m5');
    expect(fake.calls[0]).toEqual(['conversations.open', { id: 'a' }]);
    expect(useChat.getState().messages).toHaveLength(200);
    expect(useChat.getState().focusId).toBe('a-m5');
    await settle();
    expect(fake.calls.filter(([n]) => n === 'conversations.open')).toHaveLength(1);
  });

  it('a failed open shows why above the composer', async () => {
    const { fake, useChat } = await fresh();
    await useChat.getState().open('gone');
    expect(fake.calls[0]?.[0]).toBe('conversations.open');
    expect(useChat.getState().sendError?.code).toBe('not_found');
    expect(useChat.getState().loading).toBe(false);
  });
});
