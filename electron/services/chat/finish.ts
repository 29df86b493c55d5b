// The end of an answer, however it ended: its figures (summed over tool rounds and a Continue),
// the final save, and the `stream.end` event carrying the stored message. A failed save still hands
// the renderer the full text it has already shown.
import type { Message, ModelInfo, ModelRef } from '../../contract/index.ts';
import { toKaiwaError } from '../errors.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Logger } from '../log.ts';
import type { EventSink } from '../platform.ts';
import type { ToolSession } from '../tools/session.ts';
import type { AnswerAccumulator } from './accumulator.ts';
import { computeCost, mergeContinuation, type Continuation, type Figures } from './figures.ts';
import type { Outcome } from './outcome.ts';
import type { ActiveStream } from './registry.ts';

export interface FinishInput {
  a: ActiveStream;
  ref: ModelRef;
  info: ModelInfo | undefined;
  cont: Continuation | undefined;
  acc: AnswerAccumulator;
  session: ToolSession | null;
  out: Outcome;
  t0: number;
  end: number;
}

function figuresOf(f: FinishInput, rounds: number): Figures {
  const { acc, info, cont, end } = f;
  const usage = acc.usageKnown ? acc.usageSum : null;
  const own: Figures = {
    usage,
    ttftMs: acc.ttftMs,
    // One request: from the attempt that answered, so tokens/s = output / (duration - ttft). Several
    // (tools): the time spent on requests only, not on running tools or waiting for a confirmation.
    durationMs: rounds > 0 ? acc.upstreamMs : end - acc.attemptStart,
    reasoningMs: acc.reasoningStartedAt !== null ? (acc.answerStartedAt ?? end) - acc.reasoningStartedAt : undefined,
    cost: computeCost(usage, info),
  };
  return cont ? mergeContinuation(cont, own, acc.content.length + acc.reasoning.length > 0 || rounds > 0) : own;
}

export function finishAnswer(f: FinishInput, d: { history: HistoryStore; emit: EventSink; log: Logger }): void {
  const { a, acc, session, out } = f;
  const rounds = session?.round ?? 0;
  if (session && !out.unrun && acc.tools.size) out.unrun = session.unrun(acc.tools.list(), 'cancelled', 'Not run: the answer ended before this call could run.');
  const toolState = session ? session.state(out.unrun ?? []) : acc.tools.size ? { toolCalls: acc.tools.list(), roundTexts: [] } : null;
  const merged = figuresOf(f, rounds);
  const { status, error } = out;
  const tools = {
    ...(toolState?.toolCalls.length ? { toolCalls: toolState.toolCalls } : {}),
    ...(toolState?.roundTexts.length ? { roundTexts: toolState.roundTexts } : {}),
  };
  // A failed answer is worth a line in the log (redacted there like everything else).
  if (error) d.log.warn(`answer ${a.messageId} (${f.ref.providerId} / ${f.ref.modelId}) ended with ${error.code}`, error.details);
  let final: Message;
  try {
    final = d.history.finalizeMessage(a.messageId, {
      content: acc.storedContent(),
      reasoning: acc.storedReasoning(),
      status,
      ...tools,
      ...(acc.sourceList ? { sources: acc.sourceList } : {}),
      ...(error ? { error } : {}),
      ...(merged.usage ? { usage: merged.usage } : {}),
      ...(merged.ttftMs !== undefined ? { ttftMs: merged.ttftMs } : {}),
      durationMs: merged.durationMs,
      ...(merged.reasoningMs !== undefined ? { reasoningMs: merged.reasoningMs } : {}),
      cost: merged.cost,
    });
  } catch (err) {
    // Storage failed (disk full…): the renderer still gets the full text it has already shown.
    d.log.error('could not save the finished answer', err);
    final = {
      id: a.messageId,
      conversationId: a.conversationId,
      parentId: null,
      role: 'assistant',
      content: acc.storedContent(),
      reasoning: acc.storedReasoning(),
      ...tools,
      status,
      error:
        toKaiwaError(err).code === 'storage_full'
          ? toKaiwaError(err)
          : { code: 'storage_failed', message: 'The answer could not be saved.', details: err instanceof Error ? err.message : String(err) },
      createdAt: f.t0,
      version: { index: 1, count: 1 },
    };
  }
  d.emit('stream.end', { streamId: a.id, message: final });
}
