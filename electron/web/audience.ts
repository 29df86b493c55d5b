// Who a browser-mode event is for. A stream's events (`stream.*`) go to the sockets that started
// the stream or are showing its conversation, not to every open page: another tab has no use for
// them, and each one costs a send per frame. A reloaded page finds its running answers again
// through `conversations.open`, which names them, so it starts receiving them from then on. Every
// other event (notices, quota, tool confirmations, which any window may answer) goes to all pages.
import type { Envelope, EventName } from '../contract/index.ts';

type Reply = Envelope<unknown>;

/** Ended streams remembered; an end overtakes its reply only by a moment, so a few are plenty. */
const ENDED_KEPT = 64;

export class StreamAudience<S> {
  /** Conversation of each running stream this host has seen named in a reply. */
  private readonly conversationOf = new Map<string, string>();
  private readonly started = new Map<S, Set<string>>();
  private readonly viewing = new Map<S, string>();
  /**
   * Streams whose `stream.end` went out already, oldest first. Main may end a stream (a failure
   * before any network) before the reply naming it is sent; noting that reply afterwards would keep
   * records of a stream that is over, and nothing would remove them.
   */
  private readonly ended = new Set<string>();

  /** Learns from a call's reply which streams and conversation a socket is concerned with. */
  noteReply(socket: S, name: unknown, payload: unknown, reply: Reply): void {
    if (!reply.ok) return;
    const v = reply.value as { streamId?: string; conversation?: { id: string }; streams?: { streamId: string }[] };
    if ((name === 'chat.send' || name === 'chat.regenerate' || name === 'chat.edit' || name === 'chat.continue') && v.streamId && v.conversation) {
      if (this.ended.has(v.streamId)) return;
      this.conversationOf.set(v.streamId, v.conversation.id);
      let set = this.started.get(socket);
      if (!set) this.started.set(socket, (set = new Set()));
      set.add(v.streamId);
    } else if (name === 'conversations.open') {
      const id = (payload as { id: string }).id;
      this.viewing.set(socket, id);
      for (const s of v.streams ?? []) if (!this.ended.has(s.streamId)) this.conversationOf.set(s.streamId, id);
    }
  }

  /** Whether `socket` gets this event. */
  wants(socket: S, name: EventName, payload: unknown): boolean {
    if (!name.startsWith('stream.')) return true;
    const streamId = (payload as { streamId: string }).streamId;
    const conversation = this.conversationOf.get(streamId);
    // Not named in any reply yet (its first events can come before chat.send's reply): everyone,
    // as before there was routing — the page that started it cannot know its id yet either.
    if (conversation === undefined) return true;
    return this.started.get(socket)?.has(streamId) === true || this.viewing.get(socket) === conversation;
  }

  /** After an event was delivered: a finished stream is forgotten. */
  delivered(name: EventName, payload: unknown): void {
    if (name !== 'stream.end') return;
    const streamId = (payload as { streamId: string }).streamId;
    this.conversationOf.delete(streamId);
    for (const set of this.started.values()) set.delete(streamId);
    this.ended.add(streamId);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value!);
  }

  forget(socket: S): void {
    this.started.delete(socket);
    this.viewing.delete(socket);
  }
}
