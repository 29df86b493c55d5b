// The text of one answer that is still streaming (the buffers are kept by streams.ts). It lives
// outside React state: a delta is appended to a buffer and subscribers are told "something changed"
// once per delta event (≤ 1 per frame). Nothing here copies or re-parses the whole message;
// consumers read only what is new.
import type { EventPayload, ToolCall } from '../../../electron/contract/index.ts';

type Delta = EventPayload<'stream.delta'>;
type ToolsChange = EventPayload<'stream.tools'>;

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
  /** Texts of the finished tool rounds; `content` is the text of the round streaming now. */
  roundTexts: string[] = [];
  /** Bumped on every change of the tool calls (fragments or state): what tool views re-render on. */
  toolsVersion = 0;
  readonly startedAt = performance.now();
  /** performance.now() when the first reasoning and the first answer text arrived here. */
  reasoningStartedAt: number | undefined;
  answerStartedAt: number | undefined;
  private listeners = new Set<(c: LiveChange) => void>();

  apply(d: Delta): void {
    const change: LiveChange = { content: d.content ?? '', reasoning: d.reasoning ?? '', reset: false };
    if (d.contentToReasoning) {
      this.reasoning += this.content;
      change.reasoning = this.content + change.reasoning;
      this.content = '';
      change.reset = true;
      this.answerStartedAt = undefined;
      this.reasoningStartedAt ??= this.startedAt;
    }
    if (d.reasoning && this.reasoningStartedAt === undefined) this.reasoningStartedAt = performance.now();
    if (d.reasoning) this.reasoning += d.reasoning;
    if (d.content) this.content += d.content;
    // The answer (not the thinking) started: stops the thinking timer.
    if (d.answerStartedMs !== undefined) this.answerStartedAt = performance.now();
    if (d.toolCalls) {
      // Main sends each changed call whole: it replaces the earlier version of that call. Each round
      // numbers its calls from 0 again, so a call is (round, index).
      for (const c of d.toolCalls) {
        const at = this.toolCalls.findIndex((x) => x.index === c.index && x.round === c.round);
        if (at < 0) this.toolCalls.push(c);
        else this.toolCalls[at] = c;
      }
      this.toolsVersion++;
    }
    for (const l of this.listeners) l(change);
  }

  /**
   * Main's view of the finished rounds. A new round text means the content streamed so far was that
   * round's text: content starts afresh (consumers reset, as for a reclassification).
   */
  applyTools(s: Pick<ToolsChange, 'toolCalls' | 'roundTexts'>): void {
    const newRound = s.roundTexts.length > this.roundTexts.length;
    this.roundTexts = s.roundTexts;
    // Calls still streaming in the current round are only known here.
    this.toolCalls = [...s.toolCalls, ...this.toolCalls.filter((c) => c.round !== undefined && c.round >= s.roundTexts.length)];
    this.toolsVersion++;
    if (newRound) this.content = '';
    for (const l of this.listeners) l({ content: '', reasoning: '', reset: newRound });
  }

  /** Starts from text already stored (a reload mid-stream, or Continue appending to an answer). */
  seed(content: string, reasoning: string, answerStarted: boolean, tools?: { toolCalls?: ToolCall[] | undefined; roundTexts?: string[] | undefined }): void {
    this.content = content;
    this.reasoning = reasoning;
    if (tools?.roundTexts) this.roundTexts = tools.roundTexts;
    if (tools?.toolCalls) this.toolCalls = tools.toolCalls.filter((c) => c.round !== undefined && c.round < this.roundTexts.length);
    if (reasoning) this.reasoningStartedAt = this.startedAt;
    if (answerStarted) this.answerStartedAt = this.startedAt;
  }

  subscribe(l: (c: LiveChange) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
