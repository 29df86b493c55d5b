// The answers streaming right now: which conversation and message each belongs to, and how to stop
// it. Stop, deleting a conversation and quitting all go through here and wait until each answer has
// been saved.
import type { Logger } from '../log.ts';
import { newId } from '../util/ids.ts';

export type StopReason = 'user' | 'idle' | 'shutdown';

export interface ActiveStream {
  id: string;
  conversationId: string;
  messageId: string;
  controller: AbortController;
  stopReason: StopReason | null;
  done: Promise<void>;
}

export class StreamRegistry {
  private readonly active = new Map<string, ActiveStream>();
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  /** Registers a stream and starts `run` for it; the stream leaves the registry when `run` settles. */
  start(conversationId: string, messageId: string, run: (a: ActiveStream) => Promise<void>): string {
    const id = newId('s');
    const a: ActiveStream = { id, conversationId, messageId, controller: new AbortController(), stopReason: null, done: Promise.resolve() };
    this.active.set(id, a);
    a.done = run(a)
      .catch((err) => this.log.error('stream crashed', err))
      .finally(() => this.active.delete(id));
    return id;
  }

  stop(streamId: string): void {
    const a = this.active.get(streamId);
    if (a) abort(a, 'user');
  }

  /** Stops every answer streaming in a conversation and waits until each is saved. */
  async stopConversation(conversationId: string): Promise<void> {
    const here = [...this.active.values()].filter((a) => a.conversationId === conversationId);
    for (const a of here) abort(a, 'user');
    await Promise.allSettled(here.map((a) => a.done));
  }

  async shutdown(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) abort(a, 'shutdown');
    await Promise.allSettled(all.map((a) => a.done));
  }

  /** Streams still running for a conversation's answers. */
  streamsOf(conversationId: string): { messageId: string; streamId: string }[] {
    return [...this.active.values()].filter((a) => a.conversationId === conversationId).map((a) => ({ messageId: a.messageId, streamId: a.id }));
  }
}

function abort(a: ActiveStream, reason: StopReason): void {
  a.stopReason = reason;
  a.controller.abort();
}
