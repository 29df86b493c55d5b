// The run loop of one answer: connect (with retries), read the body into the accumulator, and when
// the model asks for tools run them and ask again, within the answer's rounds. Everything else has
// its own module: the request (request.ts), the body (stream-reader.ts), each chunk (chunk.ts), the
// answer's state (accumulator.ts), how a round ended (outcome.ts), the save (finish.ts), the call
// record (usage-recorder.ts).
import type { ChatParams, ModelInfo, ModelRef } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Logger } from '../log.ts';
import type { Clock, EventSink } from '../platform.ts';
import { mapUpstreamError, type MappedError } from '../providers/errors.ts';
import { thinkingOf } from '../providers/model-families.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { UpstreamError, type Target, type Upstream } from '../providers/upstream.ts';
import type { SettingsStore } from '../settings/store.ts';
import type { ToolDefinition } from '../tools/builtins.ts';
import type { ToolHost } from '../tools/host.ts';
import { ToolSession } from '../tools/session.ts';
import { AnswerAccumulator } from './accumulator.ts';
import { DeltaBatcher } from './batcher.ts';
import type { Continuation } from './figures.ts';
import { computeCost } from './figures.ts';
import { finishAnswer } from './finish.ts';
import { settleRound, stoppedStatus, strip, type Outcome } from './outcome.ts';
import type { ActiveStream } from './registry.ts';
import { buildBody, buildMessages } from './request.ts';
import { readUpstream } from './stream-reader.ts';
import type { CallObservation, UsageRecorder } from './usage-recorder.ts';

export const CHECKPOINT_MS = 1000;
const MAX_RETRY_WAIT_MS = 60_000;

export interface RunDeps {
  history: HistoryStore;
  registry: ProviderRegistry;
  upstream: Upstream;
  settings: SettingsStore;
  emit: EventSink;
  log: Logger;
  clock: Clock;
  recorder: UsageRecorder;
  /** Built-in tools (function calling); without it no request carries tools. */
  tools?: ToolHost | undefined;
  /** Waits `ms` unless aborted (a retry's backoff). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Which of a provider's keys the next request should use (quota left); null = the vault's choice. */
  chooseKey?: ((providerId: string, modelId: string) => string | null) | undefined;
}

export interface RunPlan {
  ref: ModelRef;
  systemPrompt: string;
  params: ChatParams;
  cont?: Continuation | undefined;
}

/** Retry delay: the server's `retry-after` when given, else exponential backoff with jitter. */
export function backoffMs(attempt: number, retryAfter: number | undefined, random = Math.random): number {
  if (retryAfter !== undefined) return retryAfter;
  return Math.min(8000, 500 * 2 ** attempt) * (0.8 + 0.4 * random());
}

interface Run extends RunPlan {
  d: RunDeps;
  a: ActiveStream;
  acc: AnswerAccumulator;
  session: ToolSession | null;
  definitions: ToolDefinition[] | null;
  info: ModelInfo | undefined;
  out: Outcome;
}

type Recorded = Pick<CallObservation, 'status' | 'httpStatus' | 'error' | 'headers' | 'usage' | 'ttftMs' | 'cost'>;

/** One upstream attempt ended (answered, failed or stopped): what quota and usage record of it. */
function record(r: Run, target: Target, o: Recorded): void {
  const { acc, a } = r;
  r.d.recorder.record({ target, modelId: r.ref.modelId, conversationId: a.conversationId, messageId: a.messageId, kind: 'chat', latencyMs: r.d.clock.now() - acc.attemptStart, startedAt: acc.attemptStart, ...o });
}

export async function runAnswer(d: RunDeps, a: ActiveStream, plan: RunPlan): Promise<void> {
  const { registry, emit, clock, history, log } = d;
  const { ref, cont } = plan;
  const t0 = clock.now();
  const batcher = new DeltaBatcher(a.id, a.messageId, (delta) => emit('stream.delta', delta));
  const info = registry.model(ref.providerId, ref.modelId);
  const definitions = d.tools?.definitionsFor(plan.params.tools, info) ?? null;
  const existing = cont ? history.getMessage(a.messageId) : null;
  let session: ToolSession | null = null;
  const acc = new AnswerAccumulator({ batcher, clock, t0, cont, inlineThink: thinkingOf(ref.modelId, info).inlineThink, round: () => session?.round ?? null });
  if (d.tools && definitions) {
    session = new ToolSession({
      host: d.tools,
      settings: plan.params.tools,
      ids: { streamId: a.id, messageId: a.messageId, conversationId: a.conversationId },
      existing: existing ? { toolCalls: existing.toolCalls ?? [], roundTexts: existing.roundTexts ?? [] } : undefined,
      publish: (state) => {
        // Content deltas already batched belong before the change (a finished round resets the content).
        batcher.flush();
        try {
          history.checkpointTools(a.messageId, state, acc.storedContent(), acc.storedReasoning());
        } catch (err) {
          log.error('tool checkpoint failed', err);
        }
        emit('stream.tools', { streamId: a.id, messageId: a.messageId, ...state });
      },
    });
  }
  const r: Run = { ...plan, d, a, acc, session, definitions, info, out: { status: 'incomplete', error: undefined, unrun: null } };
  const checkpoint = setInterval(() => {
    if (!acc.dirty) return;
    acc.dirty = false;
    try {
      history.checkpoint(a.messageId, acc.storedContent(), acc.storedReasoning());
    } catch (err) {
      log.error('checkpoint failed', err);
    }
  }, CHECKPOINT_MS);
  try {
    // One pass per request; more than one only when the model asks for tools (see tools/session.ts).
    for (;;) {
      const lastRound = session?.countRequest() ?? true;
      const opened = await connect(r);
      if (opened) await readRound(r, opened.response, opened.target);
      if (!(await toolRound(r, lastRound))) break;
    }
  } finally {
    clearInterval(checkpoint);
    batcher.flush();
    finishAnswer({ a, ref, info, cont, acc, session, out: r.out, t0, end: clock.now() }, d);
  }
}

/** Opens the request, retrying what may be retried; null when it failed for good or was stopped. */
async function connect(r: Run): Promise<{ response: Response; target: Target } | null> {
  const { d, a, acc, ref, out } = r;
  const { registry, emit, log, clock } = d;
  const maxRetries = registry.maxRetries(ref.providerId);
  for (let attempt = 0; ; attempt++) {
    let target: Target;
    try {
      const keyId = d.chooseKey?.(ref.providerId, ref.modelId) ?? null;
      target = registry.target(ref.providerId, keyId ? { keyId } : {});
    } catch (err) {
      out.error = err instanceof ServiceError ? err.info : mapUpstreamError({ kind: 'custom', providerId: ref.providerId, providerName: ref.providerId, cause: err });
      out.status = 'error';
      return null;
    }
    emit('stream.status', { streamId: a.id, messageId: a.messageId, state: 'connecting', attempt });
    acc.beginAttempt(clock.now());
    const messages = buildMessages(d.history.pathTo(a.messageId), a.messageId, r.systemPrompt, r.cont, r.session, target.kind);
    const body = buildBody(ref, messages, r.params, target.kind, registry.model(ref.providerId, ref.modelId), r.definitions);
    try {
      return { response: await d.upstream.openChatStream(target, body, a.controller.signal), target };
    } catch (err) {
      if (a.controller.signal.aborted) {
        out.status = stoppedStatus(a);
        return null;
      }
      const mapped: MappedError =
        err instanceof UpstreamError ? err.mapped : mapUpstreamError({ kind: target.kind, providerId: target.providerId, providerName: target.name, modelId: ref.modelId, cause: err });
      const headers = err instanceof UpstreamError ? (err.response?.headers ?? null) : null;
      record(r, target, { status: 'error', httpStatus: mapped.status ?? null, error: mapped, headers, usage: null, ttftMs: null, cost: null });
      if (mapped.keyRejected || mapped.quota) registry.markKeyFailed(target.providerId, target.keyId, mapped.code, mapped.message);
      const wait = backoffMs(attempt, mapped.retryAfterMs);
      if (mapped.retryable && attempt < maxRetries && wait <= MAX_RETRY_WAIT_MS) {
        emit('stream.status', { streamId: a.id, messageId: a.messageId, state: 'retrying', attempt: attempt + 1, retryInMs: Math.round(wait), error: strip(mapped) });
        log.info(`retrying ${target.name} in ${Math.round(wait)} ms after ${mapped.code}`);
        await d.sleep(wait, a.controller.signal);
        if (a.controller.signal.aborted) {
          out.status = stoppedStatus(a);
          return null;
        }
        continue;
      }
      out.error = strip(mapped);
      out.status = 'error';
      return null;
    }
  }
}

/** Reads one answered request into the accumulator and settles how it ended. */
async function readRound(r: Run, response: Response, target: Target): Promise<void> {
  const { d, a, acc, out } = r;
  d.emit('stream.status', { streamId: a.id, messageId: a.messageId, state: 'receiving' });
  const idleMs = d.settings.get().idleTimeoutSec * 1000;
  const onIdle = () => {
    a.stopReason ??= 'idle';
    a.controller.abort();
  };
  const read = await readUpstream(response, { idleMs, signal: a.controller.signal, onIdle }, acc);
  acc.endRead();
  const midStreamError = settleRound(out, read, acc, a, target, r.ref.modelId, idleMs);
  const okish = out.status === 'done' || out.status === 'length';
  if (okish) d.registry.markKeyOk(target.providerId, target.keyId);
  record(r, target, {
    status: out.status === 'stopped' ? 'stopped' : okish ? 'ok' : 'error',
    httpStatus: response.status,
    error: midStreamError,
    headers: response.headers,
    usage: acc.usage,
    ttftMs: acc.roundFirstTokenAt !== null ? acc.roundFirstTokenAt - acc.attemptStart : null,
    cost: computeCost(acc.usage, r.info),
  });
  acc.endAttempt(d.clock.now());
}

/** The model asked for tools: runs them and returns true to ask again. */
async function toolRound(r: Run, lastRound: boolean): Promise<boolean> {
  const { a, acc, session, out } = r;
  const calls = acc.tools.list();
  if (!session || out.status !== 'done' || !calls.length || (acc.finishReason !== 'tool_calls' && acc.finishReason !== 'stop')) return false;
  if (lastRound) {
    const n = session.maxRounds;
    out.unrun = session.unrun(calls, 'round_limit', `Not run: this answer already used its ${n} rounds.`);
    out.status = 'error';
    out.error = { code: 'tool_round_limit', message: `The model still asked for tools after ${n} rounds.`, params: { rounds: n } };
    return false;
  }
  // From here these calls belong to a finished round, whatever happens while they run.
  const text = acc.takeRoundText();
  if ((await session.runRound(text, calls, a.controller.signal)) === 'stopped') {
    out.status = stoppedStatus(a);
    return false;
  }
  acc.nextRound();
  out.error = undefined;
  out.status = 'incomplete';
  return true;
}
