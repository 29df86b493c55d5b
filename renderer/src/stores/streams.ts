// Answers being streamed: their status (connecting, retrying, receiving; in the chat store, for
// React) and their live text (LiveMessage buffers, outside React state: a delta is appended there,
// never copied into the store). Both are kept and dropped here, together: a stream is known from
// the moment it starts (or from the first delta, or from a reload that finds it running) until its
// `stream.end`, when the final record replaces the message in the view. The stream events are
// subscribed to once, when the store is made.
import type { EventPayload, KaiwaError, Message } from '../../../electron/contract/index.ts';
import { call, on } from '../bridge/index.ts';
import type { ChatState, GetChat, SetChat, StreamsSlice } from './chat-state.ts';
import { LiveMessage } from './live.ts';

export interface StreamInfo {
  streamId: string;
  messageId: string;
  /** Known for streams started from this window. */
  conversationId?: string;
  state: 'connecting' | 'retrying' | 'receiving';
  attempt?: number;
  /** performance.now() when the retry will happen. */
  retryAt?: number;
  error?: KaiwaError;
}

const live = new Map<string, LiveMessage>();

/**
 * Final records of streams that ended before this window registered them, by stream id. Main may
 * end a stream (a failure before any network) before the reply naming it reaches the page; the
 * action that registers it then settles it from here instead of showing "Connecting…" forever.
 * Only moments apart, so a few suffice; the oldest go first.
 */
const earlyEnds = new Map<string, Message>();
const EARLY_ENDS_KEPT = 20;

/** The live buffer of a streaming answer (made on first use). */
export function liveFor(messageId: string): LiveMessage {
  let m = live.get(messageId);
  if (!m) live.set(messageId, (m = new LiveMessage()));
  return m;
}

/**
 * The live buffer to show for `message`: one while its record says it is streaming (the record is
 * what the view renders; the buffer holds what arrived since), none for a final message.
 */
export function liveOf(message: Message): LiveMessage | undefined {
  return message.status === 'streaming' ? liveFor(message.id) : undefined;
}

export function peekLive(messageId: string): LiveMessage | undefined {
  return live.get(messageId);
}

export function dropLive(messageId: string): void {
  live.delete(messageId);
}

/** A stream of the open conversation is running: actions that start or change answers wait. */
export const selectBusy = (s: { streams: Record<string, StreamInfo>; activeId: string | null }): boolean =>
  s.activeId !== null && Object.values(s.streams).some((st) => st.conversationId === s.activeId);

/**
 * This window started stream `streamId` for answer `messageId`: the change to set, with the rest of
 * what it changes. A status that arrived before the reply (receiving, retrying) is kept.
 */
export function started(get: GetChat, streamId: string, messageId: string, conversationId: string): Pick<ChatState, 'streams'> {
  const prev = get().streams[messageId];
  const info: StreamInfo = prev?.streamId === streamId ? { ...prev, conversationId } : { streamId, messageId, conversationId, state: 'connecting' };
  return { streams: { ...get().streams, [messageId]: info } };
}

/** After `started` was set: a stream whose end came first is over; its final record is shown. */
export function settleEarlyEnd(set: SetChat, get: GetChat, streamId: string): void {
  const message = earlyEnds.get(streamId);
  if (!message) return;
  earlyEnds.delete(streamId);
  const streams = { ...get().streams };
  if (streams[message.id]?.streamId === streamId) delete streams[message.id];
  set({ streams, messages: get().messages.map((m) => (m.id === message.id ? message : m)) });
  dropLive(message.id);
}

/**
 * A conversation was opened: streams of it this page did not start (it was reloaded) become known,
 * so Stop and the status work, and their live text starts from the last checkpoint.
 */
export function adopt(set: SetChat, get: GetChat, conversationId: string, running: { messageId: string; streamId: string }[], messages: Message[]): void {
  const known = { ...get().streams };
  for (const r of running) known[r.messageId] ??= { streamId: r.streamId, messageId: r.messageId, conversationId, state: 'receiving' };
  set({ streams: known });
  for (const m of messages) {
    if (m.status === 'streaming' && !peekLive(m.id)) liveFor(m.id).seed(m.content, m.reasoning, m.content.length > 0, m);
  }
}

function status(set: SetChat, get: GetChat, s: EventPayload<'stream.status'>): void {
  const prev = get().streams[s.messageId];
  const info: StreamInfo = { streamId: s.streamId, messageId: s.messageId, state: s.state };
  if (prev?.conversationId) info.conversationId = prev.conversationId;
  if (s.attempt !== undefined) info.attempt = s.attempt;
  if (s.retryInMs !== undefined) info.retryAt = performance.now() + s.retryInMs;
  if (s.error) info.error = s.error;
  set({ streams: { ...get().streams, [s.messageId]: info } });
}

function ended(set: SetChat, get: GetChat, streamId: string, message: Message): void {
  // Not registered by an action of this window (yet): keep the end for it (settleEarlyEnd).
  if (!get().streams[message.id]?.conversationId) {
    earlyEnds.set(streamId, message);
    if (earlyEnds.size > EARLY_ENDS_KEPT) earlyEnds.delete(earlyEnds.keys().next().value!);
  }
  const streams = { ...get().streams };
  delete streams[message.id];
  const inView = get().messages.some((m) => m.id === message.id);
  set({ streams, ...(inView ? { messages: get().messages.map((m) => (m.id === message.id ? message : m)) } : {}) });
  dropLive(message.id);
  void get().loadList();
}

/** Subscribes to the stream events; called once, when the store is made. */
export function listenToStreams(set: SetChat, get: GetChat): void {
  on('stream.delta', (d) => liveFor(d.messageId).apply(d));
  on('stream.tools', (s) => liveFor(s.messageId).applyTools(s));
  on('stream.status', (s) => status(set, get, s));
  on('stream.end', ({ streamId, message }) => ended(set, get, streamId, message));
}

export function streamsSlice(_set: SetChat, get: GetChat): StreamsSlice {
  return {
    streams: {},
    async stop(messageId) {
      const s = get().streams[messageId];
      if (s) await call('chat.stop', { streamId: s.streamId });
    },
  };
}
