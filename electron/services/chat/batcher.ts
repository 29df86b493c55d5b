// Coalesces a stream's deltas into at most one event per frame (~16 ms). Pieces are kept in arrays
// and joined once per flush, so the cost per chunk is a push, and what is sent is only the new text.
// Leading edge: text arriving after a quiet frame goes out as soon as the current read is parsed
// (a microtask), so a slow stream (50 tok/s: a chunk every 20 ms) is not held back a frame per
// chunk; only text arriving within a frame of the last send waits for the rest of that frame.
import type { EventPayload, ToolCall } from '../../contract/index.ts';

type Delta = EventPayload<'stream.delta'>;

export const FRAME_MS = 16;

export class DeltaBatcher {
  private content: string[] = [];
  private reasoning: string[] = [];
  /** Calls (main's accumulated objects) changed since the last send, with their round. */
  private tools = new Map<ToolCall, number | undefined>();
  private reclassify = false;
  private answerStartedMs: number | undefined;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private microtask = false;
  private lastSent = -Infinity;
  private seq = 0;

  private readonly streamId: string;
  private readonly messageId: string;
  private readonly send: (d: Delta) => void;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(streamId: string, messageId: string, send: (d: Delta) => void, intervalMs = FRAME_MS, now: () => number = () => performance.now()) {
    this.streamId = streamId;
    this.messageId = messageId;
    this.send = send;
    this.intervalMs = intervalMs;
    this.now = now;
  }

  addContent(s: string): void {
    if (!s) return;
    this.content.push(s);
    this.schedule();
  }

  addReasoning(s: string): void {
    if (!s) return;
    this.reasoning.push(s);
    this.schedule();
  }

  /**
   * `call` (as the accumulator holds it) changed. It is sent whole, as assembled so far, so the
   * renderer never has to know how fragments combine; a call's arguments are small next to an
   * answer, and the renderer re-reads them whole on each change to show them anyway.
   */
  addTool(call: ToolCall, round?: number): void {
    this.tools.set(call, round);
    this.schedule();
  }

  /** What was sent as content so far is reasoning (a lone `</think>` arrived). */
  reclassifyContent(): void {
    // Pending content has not been sent yet: it simply becomes pending reasoning.
    if (this.content.length) {
      this.reasoning.unshift(...this.content);
      this.content = [];
    }
    this.reclassify = true;
    this.schedule();
  }

  answerStarted(ms: number): void {
    this.answerStartedMs = ms;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null || this.microtask) return;
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => this.flush(), Math.ceil(wait));
      return;
    }
    // Everything parsed from the same read joins this send.
    this.microtask = true;
    queueMicrotask(() => {
      if (this.microtask) this.flush();
    });
  }

  flush(): void {
    this.microtask = false;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.content.length && !this.reasoning.length && !this.tools.size && !this.reclassify && this.answerStartedMs === undefined) return;
    const d: Delta = { streamId: this.streamId, messageId: this.messageId, seq: ++this.seq };
    if (this.reclassify) d.contentToReasoning = true;
    if (this.reasoning.length) d.reasoning = this.reasoning.length === 1 ? this.reasoning[0]! : this.reasoning.join('');
    if (this.content.length) d.content = this.content.length === 1 ? this.content[0]! : this.content.join('');
    if (this.tools.size) {
      // Copied now: the accumulator goes on appending to the same objects.
      d.toolCalls = [...this.tools].map(([c, round]) => ({ index: c.index, id: c.id, name: c.name, arguments: c.arguments, ...(round !== undefined ? { round } : {}) }));
    }
    if (this.answerStartedMs !== undefined) d.answerStartedMs = this.answerStartedMs;
    this.content = [];
    this.reasoning = [];
    this.tools = new Map();
    this.reclassify = false;
    this.answerStartedMs = undefined;
    this.lastSent = this.now();
    this.send(d);
  }
}
