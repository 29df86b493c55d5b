// Everything one answer has received so far: its text and reasoning (per tool round), the tool-call
// fragments, timings, usage, the finish reason, errors sent inside the stream. It is the sink of the
// chunk interpreter and the handler of the stream reader, and it feeds the per-frame batcher.
//
// Hot path: each text piece is appended once here and pushed once to the batcher; the clock is
// read only for the first token of a round; nothing copies the accumulated message.
import type { Usage } from '../../contract/index.ts';
import type { Clock } from '../platform.ts';
import type { DeltaBatcher } from './batcher.ts';
import { interpretChunk, type ChunkSink } from './chunk.ts';
import { addUsage, type Continuation } from './figures.ts';
import type { StreamHandlers } from './stream-reader.ts';
import { ThinkSplitter } from './think.ts';
import { ToolCallAccumulator, type ToolCallDelta } from './tool-calls.ts';
import type { Source } from './wire.ts';

export interface AccumulatorOptions {
  batcher: DeltaBatcher;
  clock: Clock;
  /** When the answer started (its deltas' `answerStartedMs` count from here). */
  t0: number;
  cont: Continuation | undefined;
  /** The model's family may write reasoning inline (`<think>` … `</think>` in the content). */
  inlineThink: boolean;
  /** The tool round being streamed, or null when the answer runs no tools. */
  round: () => number | null;
}

export class AnswerAccumulator implements ChunkSink, StreamHandlers {
  /** This round's tool calls, text and reasoning (a tool loop makes several requests for one answer). */
  tools = new ToolCallAccumulator();
  content = '';
  reasoning = '';
  /** Text that comes before `content` in the stored answer: the answer so far when continuing. */
  prefix: string;
  finishReason: string | null = null;
  usage: Usage | null = null;
  /** Sums over the rounds; unknown as soon as one round that produced something reported none. */
  usageSum: Usage | null = null;
  usageKnown = true;
  upstreamMs = 0;
  malformedCount = 0;
  /** The last error sent inside the stream, as sent (mapped once the read ends); null: none. */
  streamErrorRaw: unknown = null;
  sawDone = false;
  sourceList: Source[] | null = null;
  /** Something arrived since the last checkpoint. */
  dirty = false;
  ttftMs: number | undefined;
  reasoningStartedAt: number | null = null;
  answerStartedAt: number | null = null;
  roundFirstTokenAt: number | null = null;
  attemptStart: number;
  splitter: ThinkSplitter;
  private firstTokenAt: number | null = null;
  private reasoningViaField = false;
  private readonly o: AccumulatorOptions;

  constructor(o: AccumulatorOptions) {
    this.o = o;
    this.prefix = o.cont?.content ?? '';
    this.attemptStart = o.t0;
    this.splitter = this.newSplitter();
  }

  /** The stored answer's text and reasoning, as the checkpoints and the final save write them. */
  storedContent(): string {
    return this.prefix + this.content;
  }

  storedReasoning(): string {
    return (this.o.cont?.reasoning ?? '') + this.reasoning;
  }

  // -- stream reader ---------------------------------------------------------------------------

  chunk(obj: Record<string, unknown>, event: string): void {
    interpretChunk(obj, event, this);
  }

  done(): void {
    this.sawDone = true;
  }

  malformed(): void {
    this.malformedCount += 1;
  }

  // -- chunk sink ------------------------------------------------------------------------------

  onStreamError(raw: unknown): void {
    this.streamErrorRaw = raw;
  }

  onUsage(u: Usage): void {
    this.usage = u;
  }

  onSources(s: Source[]): void {
    this.sourceList = s;
  }

  onReasoning(text: string): void {
    this.reasoningViaField = true;
    this.addReasoning(text);
  }

  onContent(raw: string): void {
    const out = this.splitter.push(raw);
    if (out.reclassify) {
      this.reasoning += this.content;
      this.content = '';
      this.answerStartedAt = null;
      if (this.reasoningStartedAt === null) this.reasoningStartedAt = this.o.t0;
      this.o.batcher.reclassifyContent();
    }
    this.addReasoning(out.reasoning);
    this.addContent(out.content);
  }

  onToolCalls(fragments: ToolCallDelta[]): void {
    this.onToken();
    const round = this.o.round();
    for (const f of this.tools.pushAll(fragments)) this.o.batcher.addTool(this.tools.get(f.index)!, round ?? undefined);
  }

  onFinish(reason: string): void {
    this.finishReason = reason;
  }

  // -- rounds and attempts ---------------------------------------------------------------------

  beginAttempt(now: number): void {
    this.attemptStart = now;
  }

  /** The read of an attempt ended: what the think splitter still holds is text too. */
  endRead(): void {
    const flushed = this.splitter.flush();
    this.addReasoning(flushed.reasoning);
    this.addContent(flushed.content);
  }

  /** The attempt that answered is over: its time and usage count towards the answer. */
  endAttempt(now: number): void {
    this.upstreamMs += now - this.attemptStart;
    if (this.usage) this.usageSum = addUsage(this.usageSum, this.usage);
    else this.usageKnown = false;
  }

  /** Ends a round whose tool calls will run: returns its text; these calls belong to a finished round from here. */
  takeRoundText(): string {
    const text = this.prefix + this.content;
    this.prefix = '';
    this.content = '';
    this.tools = new ToolCallAccumulator();
    return text;
  }

  /** The next request of the tool loop starts afresh. */
  nextRound(): void {
    this.splitter = this.newSplitter();
    this.roundFirstTokenAt = null;
    this.finishReason = null;
    this.usage = null;
    this.streamErrorRaw = null;
    this.sawDone = false;
  }

  // -- internals -------------------------------------------------------------------------------

  private newSplitter(): ThinkSplitter {
    // A lone `</think>` would move "everything so far" into reasoning: only for models whose family
    // may write reasoning inline, and never the stored answer of a continuation.
    return new ThinkSplitter(
      () => this.o.inlineThink && !this.o.cont && !this.reasoningViaField && this.reasoning.length === 0 && (this.o.round() ?? 0) === 0,
    );
  }

  private onToken(): void {
    // Called for every chunk: the clock is read only for the first token of a round.
    if (this.roundFirstTokenAt !== null && this.firstTokenAt !== null) return;
    const now = this.o.clock.now();
    if (this.roundFirstTokenAt === null) this.roundFirstTokenAt = now;
    if (this.firstTokenAt === null) {
      this.firstTokenAt = now;
      this.ttftMs = now - this.attemptStart;
    }
  }

  private addReasoning(s: string): void {
    if (!s) return;
    this.onToken();
    if (this.reasoningStartedAt === null) this.reasoningStartedAt = this.o.clock.now();
    this.reasoning += s;
    this.o.batcher.addReasoning(s);
    this.dirty = true;
  }

  private addContent(s: string): void {
    if (!s) return;
    this.onToken();
    if (this.answerStartedAt === null) {
      this.answerStartedAt = this.o.clock.now();
      this.o.batcher.answerStarted(this.answerStartedAt - this.o.t0);
    }
    this.content += s;
    this.o.batcher.addContent(s);
    this.dirty = true;
  }
}
