// Who gets a stream's events in browser mode, when main ends a stream before the reply that names it
// has been sent (a failure before any network: `stream.end` overtakes `chat.send`'s reply).
import { describe, expect, it } from 'vitest';
import { StreamAudience } from './audience.ts';

const sendReply = (streamId: string, conversationId: string) => ({ ok: true as const, value: { streamId, conversation: { id: conversationId } } });

/** The records the audience keeps (private): what would pile up if an ended stream were noted. */
function records(a: StreamAudience<string>): { conversations: number; started: number } {
  const inside = a as unknown as { conversationOf: Map<string, string>; started: Map<string, Set<string>> };
  return { conversations: inside.conversationOf.size, started: [...inside.started.values()].reduce((n, s) => n + s.size, 0) };
}

describe('StreamAudience', () => {
  it('routes a running stream to the page that started it and the pages showing its conversation', () => {
    const a = new StreamAudience<string>();
    a.noteReply('viewer', 'conversations.open', { id: 'c1' }, { ok: true, value: { streams: [] } });
    a.noteReply('starter', 'chat.send', {}, sendReply('s1', 'c1'));
    expect(a.wants('starter', 'stream.delta', { streamId: 's1' })).toBe(true);
    expect(a.wants('viewer', 'stream.delta', { streamId: 's1' })).toBe(true);
    expect(a.wants('other', 'stream.delta', { streamId: 's1' })).toBe(false);
    a.delivered('stream.end', { streamId: 's1' });
    expect(records(a)).toEqual({ conversations: 0, started: 0 });
  });

  it('keeps nothing of a stream whose end went out before the reply naming it', () => {
    const a = new StreamAudience<string>();
    for (let i = 0; i < 500; i++) {
      a.delivered('stream.end', { streamId: `s${i}` });
      a.noteReply('starter', 'chat.send', {}, sendReply(`s${i}`, 'c1'));
      a.noteReply('viewer', 'conversations.open', { id: 'c1' }, { ok: true, value: { streams: [{ streamId: `s${i}`, messageId: `m${i}` }] } });
    }
    expect(records(a)).toEqual({ conversations: 0, started: 0 });
    // Like any stream no reply named: not held back from anyone.
    expect(a.wants('other', 'stream.delta', { streamId: 's499' })).toBe(true);
    // A new stream named as usual is still routed.
    a.noteReply('starter', 'chat.send', {}, sendReply('fresh', 'c2'));
    expect(a.wants('other', 'stream.delta', { streamId: 'fresh' })).toBe(false);
    expect(a.wants('starter', 'stream.delta', { streamId: 'fresh' })).toBe(true);
  });
});
