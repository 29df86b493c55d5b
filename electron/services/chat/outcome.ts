// How an answer (or one request round of it) ended, decided from what the reader and the
// accumulator saw: the status stored with the message and the error shown under it.
import type { KaiwaError, MessageStatus, ToolCall } from '../../contract/index.ts';
import { mapStreamError, mapUpstreamError, type MappedError } from '../providers/errors.ts';
import type { Target } from '../providers/upstream.ts';
import type { AnswerAccumulator } from './accumulator.ts';
import type { ActiveStream } from './registry.ts';
import type { ReadOutcome } from './stream-reader.ts';

/** The answer's fate so far; the run loop changes it, the final save writes it. */
export interface Outcome {
  status: MessageStatus;
  error: KaiwaError | undefined;
  /** Calls of the last round that did not run (round limit, Stop or failure while streaming). */
  unrun: ToolCall[] | null;
}

/** The renderer gets the KaiwaError part only (no retry bookkeeping). */
export function strip(m: MappedError): KaiwaError {
  const { retryable: _r, quota: _q, keyRejected: _k, retryAfterMs: _a, ...rest } = m;
  return rest;
}

/** Aborted: by the user's Stop, else (idle, shutdown) the answer was interrupted. */
export function stoppedStatus(a: ActiveStream): MessageStatus {
  return a.stopReason === 'user' ? 'stopped' : 'interrupted';
}

/**
 * Settles `out` after a round's body was read. Returns the error sent inside the stream (mapped),
 * which the call record keeps.
 */
export function settleRound(out: Outcome, read: ReadOutcome, acc: AnswerAccumulator, a: ActiveStream, target: Target, modelId: string, idleMs: number): MappedError | null {
  const who = { kind: target.kind, providerId: target.providerId, providerName: target.name, modelId };
  if (read === 'stopped') out.status = stoppedStatus(a);
  else if (read === 'idle') {
    out.status = 'error';
    out.error = { code: 'idle_timeout', message: 'The provider stopped responding.', params: { provider: target.name, seconds: Math.round(idleMs / 1000) }, actions: ['retry'] };
  } else if (read instanceof Error) {
    out.status = 'error';
    out.error = strip(mapUpstreamError({ ...who, cause: read }));
  } else if (read === 'not_stream') {
    out.status = 'error';
    out.error = { code: 'not_stream', message: `${target.name} did not send a stream.`, actions: ['retry'] };
  } else if (read === 'html') {
    out.status = 'error';
    out.error = { code: 'not_api', message: `${target.name} answered with a web page.`, params: { provider: target.name }, actions: ['open_settings'] };
  }
  const midStreamError = acc.streamErrorRaw !== null ? mapStreamError(who, acc.streamErrorRaw) : null;
  if (midStreamError) {
    out.status = 'error';
    out.error = strip(midStreamError);
  } else if (out.status === 'incomplete') {
    if (acc.finishReason === 'length') out.status = 'length';
    else if (acc.finishReason) out.status = 'done';
    else {
      out.error = { code: 'stream_incomplete', message: 'The answer ended unexpectedly.', details: acc.sawDone ? 'no finish_reason' : 'no finish_reason and no [DONE]', actions: ['retry'] };
    }
  }
  if (out.status === 'done' && !out.error && acc.splitter.unclosed && !acc.content) {
    out.error = { code: 'think_unclosed', message: 'The model never closed its thinking block.', actions: ['retry'] };
  }
  if (acc.malformedCount > 0 && !out.error) {
    out.error = { code: 'stream_malformed', message: 'Some of the stream could not be read.', params: { count: acc.malformedCount } };
  }
  return midStreamError;
}
