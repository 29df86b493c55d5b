// Text of answers that are still streaming. It lives outside React state: a delta is appended to a
// buffer and subscribers are told "something changed" once per delta event (≤ 1 per frame). Nothing
// here copies or re-parses the whole message; consumers read only what is new.
import type { EventPayload, ToolCall } from '../../../electron/contract/index.ts';

type Delta = EventPayload<'stream.delta'>;

export interface LiveChange {
  /** Text appended to content by this change (empty if none). */
  content: string;
  reasoning: string;
  /** Content so far was reclassified as reasoning (lone `</think>`): consumers must reset. */
  reset: boolean;
}

export class LiveMessage {
  content = '';
  reasoning = '';
  toolCalls: ToolCall[] = [];
  readonly startedAt = performance.now();
  /** When the answer started, relative to the stream start (stops the thinking timer). */
  answerStartedMs: number | undefined;
  /** performance.now() when the first reasoning and the first answer text arrived here. */
  reasoningStartedAt: number | undefined;
  answerStartedAt: number | undefined;
  lastSeq = 0;
  private listeners = new Set<(c: LiveChange) => void>();

  apply(d: Delta): void {
    this.lastSeq = d.seq;
    const change: LiveChange = { content: d.content ?? '', reasoning: d.reasoning ?? '', reset: false };
    if (d.contentToReasoning) {
      this.reasoning += this.content;
      change.reasoning = this.content + change.reasoning;
      this.content = '';
      change.reset = true;
      this.answerStartedMs = undefined;
      this.answerStartedAt = undefined;
      this.reasoningStartedAt ??= this.startedAt;
    }
    if (d.reasoning && this.reasoningStartedAt === undefined) this.reasoningStartedAt = performance.now();
    if (d.reasoning) this.reasoning += d.reasoning;
    if (d.content) this.content += d.content;
    if (d.answerStartedMs !== undefined) {
      this.answerStartedMs = d.answerStartedMs;
      this.answerStartedAt = performance.now();
    }
    if (d.toolCalls) {
      for (const f of d.toolCalls) {
        let c = this.toolCalls.find((x) => x.index === f.index);
        if (!c) this.toolCalls.push((c = { index: f.index, id: '', name: '', arguments: '' }));
        if (f.id && !c.id) c.id = f.id;
        if (f.name && !c.name) c.name = f.name;
        if (f.arguments) c.arguments += f.arguments;
      }
    }
    for (const l of this.listeners) l(change);
  }

  /** Starts from text already stored (a reload mid-stream, or Continue appending to an answer). */
  seed(content: string, reasoning: string, answerStarted: boolean): void {
    this.content = content;
    this.reasoning = reasoning;
    if (reasoning) this.reasoningStartedAt = this.startedAt;
    if (answerStarted) this.answerStartedAt = this.startedAt;
  }

  subscribe(l: (c: LiveChange) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

const live = new Map<string, LiveMessage>();

export function liveFor(messageId: string): LiveMessage {
  let m = live.get(messageId);
  if (!m) live.set(messageId, (m = new LiveMessage()));
  return m;
}

export function peekLive(messageId: string): LiveMessage | undefined {
  return live.get(messageId);
}

export function dropLive(messageId: string): void {
  live.delete(messageId);
}
