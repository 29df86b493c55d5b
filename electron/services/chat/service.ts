// Chat streaming: turns "send this text in that conversation" into an upstream streaming request,
// parses the SSE bytes, forwards per-frame deltas to the renderer, checkpoints the answer to the
// database about once a second, and records the call.
//
// Hot path (per network read): decode → SSE line scan → JSON.parse of each event → push strings
// into the batcher and the accumulators. Nothing here copies or re-parses the accumulated message.
import {
  ChatParams,
  type Conversation,
  type EventPayload,
  type KaiwaError,
  type Message,
  type MessageStatus,
  type ModelRef,
  type ProviderKind,
  type ToolCall,
  type Usage,
} from '../../contract/index.ts';
import { ServiceError, toKaiwaError } from '../errors.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Logger } from '../log.ts';
import type { Clock, EventSink } from '../platform.ts';
import { mapStreamError, mapUpstreamError, type MappedError } from '../providers/errors.ts';
import { thinkingOf } from '../providers/model-families.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { UpstreamError, type Target, type Upstream } from '../providers/upstream.ts';
import type { SettingsStore } from '../settings/store.ts';
import type { ToolDefinition } from '../tools/builtins.ts';
import type { ToolHost } from '../tools/host.ts';
import { replayRounds, ToolSession } from '../tools/session.ts';
import { newId } from '../util/ids.ts';
import { DeltaBatcher } from './batcher.ts';
import { addUsage, computeCost, mergeContinuation, type Continuation } from './figures.ts';
import { SseParser } from './sse.ts';
import { ThinkSplitter } from './think.ts';
import { ToolCallAccumulator, type ToolCallDelta } from './tool-calls.ts';
import { checkForModel, responseFormatFields, searchFields, thinkingFields } from './request-extras.ts';
import { isHtmlAnswer, sourcesOf, streamErrorOf, usageOf, type Source } from './wire.ts';

export const CHECKPOINT_MS = 1000;
const MAX_RETRY_WAIT_MS = 60_000;

/** What an observer (quota meter, usage page) learns about every upstream attempt. */
export interface CallObservation {
  target: Target;
  modelId: string;
  conversationId: string | null;
  messageId: string | null;
  kind: 'chat' | 'check';
  status: 'ok' | 'error' | 'stopped';
  httpStatus: number | null;
  error: MappedError | null;
  headers: Headers | null;
  usage: Usage | null;
  latencyMs: number;
  ttftMs: number | null;
  cost: number | null;
  startedAt: number;
}

export type CallObserver = (o: CallObservation) => void;

/** The user turn appended after a cut-off answer so the model carries on instead of starting over. */
export const CONTINUE_PROMPT = 'Continue exactly where your previous answer stopped. Do not repeat anything you already wrote.';

/** What starting a new answer in the middle of a conversation returns (regenerate, edit). */
export interface BranchStart {
  streamId: string;
  conversation: Conversation;
  /** The last message before the change; the renderer keeps everything up to it. */
  anchorId: string | null;
  /** The path below the anchor, ending with the new answer. */
  tail: Message[];
}

interface Active {
  id: string;
  conversationId: string;
  messageId: string;
  controller: AbortController;
  stopReason: 'user' | 'idle' | 'shutdown' | null;
  done: Promise<void>;
}

export interface ChatServiceDeps {
  history: HistoryStore;
  registry: ProviderRegistry;
  upstream: Upstream;
  settings: SettingsStore;
  emit: EventSink;
  log: Logger;
  clock: Clock;
  /** Built-in tools (function calling); without it no request carries tools. */
  tools?: ToolHost;
  /** Waits `ms` unless aborted; injectable so retry tests need not sleep. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Which of a provider's keys the next request should use (quota left); null = the vault's choice. */
  chooseKey?: (providerId: string, modelId: string) => string | null;
  /** Bench only (KAIWA_BENCH=1): pass upstream chunks' `kaiwa_seq` and receive time on in the deltas. */
  benchStamps?: boolean;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export function autoTitle(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}

export { computeCost } from './figures.ts';

/** Retry delay: the server's `retry-after` when given, else exponential backoff with jitter. */
export function backoffMs(attempt: number, retryAfter: number | undefined, random = Math.random): number {
  if (retryAfter !== undefined) return retryAfter;
  return Math.min(8000, 500 * 2 ** attempt) * (0.8 + 0.4 * random());
}

export class ChatService {
  private active = new Map<string, Active>();
  private observers = new Set<CallObserver>();
  private readonly sleep: NonNullable<ChatServiceDeps['sleep']>;

  private readonly d: ChatServiceDeps;

  constructor(deps: ChatServiceDeps) {
    this.d = deps;
    this.sleep = deps.sleep ?? defaultSleep;
  }

  observe(o: CallObserver): () => void {
    this.observers.add(o);
    return () => this.observers.delete(o);
  }

  notify(o: CallObservation): void {
    try {
      this.d.history.recordCall({
        ts: o.startedAt,
        providerId: o.target.providerId,
        modelId: o.modelId,
        keyId: o.target.keyId,
        conversationId: o.conversationId,
        messageId: o.messageId,
        kind: o.kind,
        status: o.status,
        errorCode: o.error?.code ?? null,
        httpStatus: o.httpStatus,
        inputTokens: o.usage?.promptTokens ?? null,
        outputTokens: o.usage?.completionTokens ?? null,
        latencyMs: o.latencyMs,
        ttftMs: o.ttftMs,
        cost: o.cost,
      });
    } catch (err) {
      this.d.log.error('could not record a call', err);
    }
    for (const obs of this.observers) {
      try {
        obs(o);
      } catch (err) {
        this.d.log.error('call observer failed', err);
      }
    }
  }

  /** The conversation's model, else the default model from settings. */
  resolveModel(conversation: { providerId: string | null; modelId: string | null }): ModelRef {
    if (conversation.providerId && conversation.modelId) return { providerId: conversation.providerId, modelId: conversation.modelId };
    const def = this.d.settings.get().defaultModel;
    if (def) return def;
    throw new ServiceError('no_model', 'Pick a model for this conversation first.', { actions: ['open_settings'] });
  }

  send(conversationId: string, text: string): { streamId: string; userMessage: Message; assistantMessage: Message; conversation: Conversation } {
    const { history, registry } = this.d;
    const conv = history.getConversation(conversationId);
    if (!conv) throw new ServiceError('not_found', 'This conversation no longer exists.');
    const ref = this.resolveModel(conv);
    checkParams(conv.params, ref, registry, `${conv.systemPrompt}\n${text}`);
    // Fails early (no key, disabled provider) before anything is written, so the draft stays put.
    registry.target(ref.providerId);
    const { user, assistant } = history.transaction(() => {
      const parent = history.leafOf(conversationId);
      const user = history.insertMessage({ conversationId, parentId: parent, role: 'user', content: text, status: 'done' });
      const assistant = history.insertMessage({
        conversationId,
        parentId: user.id,
        role: 'assistant',
        status: 'streaming',
        providerId: ref.providerId,
        modelId: ref.modelId,
      });
      history.updateConversation(conversationId, {
        leafId: assistant.id,
        draft: '',
        ...(conv.titleAuto && !conv.title ? { title: autoTitle(text) } : {}),
        ...(conv.providerId ? {} : { providerId: ref.providerId, modelId: ref.modelId }),
      });
      return { user, assistant };
    });
    const streamId = this.start(conversationId, assistant.id, ref, conv.systemPrompt, conv.params);
    return { streamId, userMessage: user, assistantMessage: assistant, conversation: history.getConversation(conversationId)! };
  }

  /**
   * A new answer to the question behind `messageId` (an answer: its question; a question: itself).
   * Earlier answers stay as versions. With `model`, that model answers and becomes the
   * conversation's model: this is "switch model" after a failure (a quota 429 included).
   */
  regenerate(messageId: string, model?: ModelRef): BranchStart {
    const { history, registry } = this.d;
    const m = history.getMessage(messageId);
    if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
    const conv = history.getConversation(m.conversationId);
    if (!conv) throw new ServiceError('not_found', 'This conversation no longer exists.');
    const questionId = m.role === 'assistant' ? m.parentId : m.id;
    if (!questionId) throw new ServiceError('not_found', 'There is no question left to answer.');
    const ref = model ?? this.resolveModel(conv);
    checkParams(conv.params, ref, registry, `${conv.systemPrompt}\n${history.getMessage(questionId)?.content ?? ''}`);
    registry.target(ref.providerId);
    const assistant = history.transaction(() => {
      const assistant = history.insertMessage({
        conversationId: conv.id,
        parentId: questionId,
        role: 'assistant',
        status: 'streaming',
        providerId: ref.providerId,
        modelId: ref.modelId,
      });
      history.updateConversation(conv.id, { leafId: assistant.id, ...(model ? { providerId: model.providerId, modelId: model.modelId } : {}) });
      return assistant;
    });
    const streamId = this.start(conv.id, assistant.id, ref, conv.systemPrompt, conv.params);
    return { streamId, conversation: history.getConversation(conv.id)!, anchorId: questionId, tail: [assistant] };
  }

  /** Edit-and-resend: the new text is a sibling of the old question, so the old branch stays a version. */
  edit(messageId: string, text: string): BranchStart {
    const { history, registry } = this.d;
    const m = history.getMessage(messageId);
    if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
    if (m.role !== 'user') throw new ServiceError('invalid_request', 'Only your own messages can be edited.');
    const conv = history.getConversation(m.conversationId);
    if (!conv) throw new ServiceError('not_found', 'This conversation no longer exists.');
    const ref = this.resolveModel(conv);
    checkParams(conv.params, ref, registry, `${conv.systemPrompt}\n${text}`);
    registry.target(ref.providerId);
    const { user, assistant } = history.transaction(() => {
      const user = history.insertMessage({ conversationId: conv.id, parentId: m.parentId, role: 'user', content: text, status: 'done' });
      const assistant = history.insertMessage({
        conversationId: conv.id,
        parentId: user.id,
        role: 'assistant',
        status: 'streaming',
        providerId: ref.providerId,
        modelId: ref.modelId,
      });
      history.updateConversation(conv.id, {
        leafId: assistant.id,
        // The automatic title came from the first question; it follows that question's edits.
        ...(conv.titleAuto && m.parentId === null ? { title: autoTitle(text) } : {}),
      });
      return { user, assistant };
    });
    const streamId = this.start(conv.id, assistant.id, ref, conv.systemPrompt, conv.params);
    return { streamId, conversation: history.getConversation(conv.id)!, anchorId: m.parentId, tail: [user, assistant] };
  }

  /** Continue a cut-off answer (max tokens, interrupted…): the model's new text is appended to it. */
  continueAnswer(messageId: string): { streamId: string; message: Message; conversation: Conversation } {
    const { history, registry } = this.d;
    const m = history.getMessage(messageId);
    if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
    if (m.role !== 'assistant' || m.status === 'streaming') throw new ServiceError('invalid_request', 'Only a finished answer can be continued.');
    const conv = history.getConversation(m.conversationId);
    if (!conv) throw new ServiceError('not_found', 'This conversation no longer exists.');
    const ref = m.providerId && m.modelId ? { providerId: m.providerId, modelId: m.modelId } : this.resolveModel(conv);
    checkParams(conv.params, ref, registry);
    registry.target(ref.providerId);
    history.reopen(m.id);
    const cont: Continuation = { content: m.content, reasoning: m.reasoning };
    if (m.usage) cont.usage = m.usage;
    if (m.ttftMs !== undefined) cont.ttftMs = m.ttftMs;
    if (m.durationMs !== undefined) cont.durationMs = m.durationMs;
    if (m.reasoningMs !== undefined) cont.reasoningMs = m.reasoningMs;
    if (m.cost !== undefined) cont.cost = m.cost;
    const streamId = this.start(conv.id, m.id, ref, conv.systemPrompt, conv.params, cont);
    return { streamId, message: history.getMessage(m.id)!, conversation: conv };
  }

  isStreaming(conversationId: string): boolean {
    return [...this.active.values()].some((a) => a.conversationId === conversationId);
  }

  /** Stops every answer streaming in a conversation and waits until each is saved. */
  async stopConversation(conversationId: string): Promise<void> {
    const here = [...this.active.values()].filter((a) => a.conversationId === conversationId);
    for (const a of here) {
      a.stopReason = 'user';
      a.controller.abort();
    }
    await Promise.allSettled(here.map((a) => a.done));
  }

  stop(streamId: string): void {
    const a = this.active.get(streamId);
    if (!a) return;
    a.stopReason = 'user';
    a.controller.abort();
  }

  async shutdown(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) {
      a.stopReason = 'shutdown';
      a.controller.abort();
    }
    await Promise.allSettled(all.map((a) => a.done));
  }

  /** Streams still running for a conversation's answers. */
  streamsOf(conversationId: string): { messageId: string; streamId: string }[] {
    return [...this.active.values()].filter((a) => a.conversationId === conversationId).map((a) => ({ messageId: a.messageId, streamId: a.id }));
  }

  activeCount(): number {
    return this.active.size;
  }

  /**
   * The request messages: system prompt, then the branch down to (not including) the new answer.
   * Continue sends the answer so far and asks for the rest. With tools, earlier answers replay their
   * tool rounds, and so does this answer once it has finished rounds (`session`); without tools the
   * provider gets the answers' text only (some reject tool messages in a request without `tools`).
   */
  private buildMessages(assistantId: string, systemPrompt: string, cont: Continuation | undefined, session: ToolSession | null = null, kind: ProviderKind = 'custom'): Record<string, unknown>[] {
    const path = this.d.history.pathTo(assistantId);
    const out: Record<string, unknown>[] = [];
    if (systemPrompt.trim()) out.push({ role: 'system', content: systemPrompt });
    for (const m of path) {
      if (m.id === assistantId) break;
      if (session && m.role === 'assistant' && m.roundTexts?.length) out.push(...replayRounds(m, kind));
      if (m.role === 'assistant' && !m.content) continue;
      out.push({ role: m.role, content: m.content });
    }
    // Continue: the rounds the cut-off answer already made, then its text so far (which follows them).
    if (cont && session) out.push(...session.replay(kind, 'earlier'));
    if (cont) out.push({ role: 'assistant', content: cont.content }, { role: 'user', content: CONTINUE_PROMPT });
    if (session) out.push(...session.replay(kind, 'this run'));
    return out;
  }

  private buildBody(ref: ModelRef, messages: Record<string, unknown>[], params: ChatParams, kind: ProviderKind, tools: ToolDefinition[] | null = null): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: ref.modelId,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    };
    if (params.temperature !== undefined) body['temperature'] = params.temperature;
    if (params.topP !== undefined) body['top_p'] = params.topP;
    if (params.maxTokens !== undefined) body['max_tokens'] = params.maxTokens;
    if (params.presencePenalty !== undefined) body['presence_penalty'] = params.presencePenalty;
    if (params.seed !== undefined) body['seed'] = params.seed;
    if (params.stop?.length) body['stop'] = params.stop;
    const info = this.d.registry.model(ref.providerId, ref.modelId);
    Object.assign(body, thinkingFields(kind, ref.modelId, info, params), searchFields(kind, ref.modelId, params), responseFormatFields(params));
    // Every request of a tool loop carries the definitions, also the ones sending results back.
    if (tools) body['tools'] = tools;
    return body;
  }

  private start(conversationId: string, messageId: string, ref: ModelRef, systemPrompt: string, params: ChatParams, cont?: Continuation): string {
    const id = newId('s');
    const controller = new AbortController();
    const a: Active = { id, conversationId, messageId, controller, stopReason: null, done: Promise.resolve() };
    this.active.set(id, a);
    a.done = this.run(a, ref, systemPrompt, params, cont)
      .catch((err) => this.d.log.error('stream crashed', err))
      .finally(() => this.active.delete(id));
    return id;
  }

  private async run(a: Active, ref: ModelRef, systemPrompt: string, params: ChatParams, cont?: Continuation): Promise<void> {
    const { registry, upstream, emit, clock, history, log } = this.d;
    const t0 = clock.now();
    const batcher = new DeltaBatcher(a.id, a.messageId, (delta) => emit('stream.delta', delta));
    // Per request round (a tool loop makes several requests for one answer): the calls, the text.
    let tools = new ToolCallAccumulator();
    let content = '';
    let reasoning = '';
    // Text that comes before `content` in the stored answer: the answer so far when continuing.
    let prefix = cont?.content ?? '';
    let reasoningViaField = false;
    // A lone `</think>` would move "everything so far" into reasoning: only for models whose family
    // may write reasoning inline, and never the stored answer of a continuation.
    const inlineThink = thinkingOf(ref.modelId, registry.model(ref.providerId, ref.modelId)).inlineThink;
    const newSplitter = () => new ThinkSplitter(() => inlineThink && !cont && !reasoningViaField && reasoning.length === 0 && (session?.round ?? 0) === 0);
    let splitter = newSplitter();
    let firstTokenAt: number | null = null;
    let ttftMs: number | undefined;
    let roundFirstTokenAt: number | null = null;
    let reasoningStartedAt: number | null = null;
    let answerStartedAt: number | null = null;
    let finishReason: string | null = null;
    let usage: Usage | null = null;
    // Sums over the rounds; unknown (null) as soon as one round that produced something reported none.
    let usageSum: Usage | null = null;
    let usageKnown = true;
    let upstreamMs = 0;
    let malformed = 0;
    let streamError: MappedError | null = null;
    let dirty = false;
    let error: KaiwaError | undefined;
    let status: MessageStatus = 'incomplete';
    let sawDone = false;
    let sources: Source[] | null = null;
    // Calls of the last round that did not run (round limit, Stop or failure while streaming).
    let unrun: ToolCall[] | null = null;

    const info = registry.model(ref.providerId, ref.modelId);
    let target: Target | null = null;
    let attemptStart = t0;
    // One upstream attempt ended (answered, failed or stopped): what quota and usage record of it.
    const observeAttempt = (t: Target, o: Pick<CallObservation, 'status' | 'httpStatus' | 'error' | 'headers' | 'usage' | 'ttftMs' | 'cost'>) =>
      this.notify({ target: t, modelId: ref.modelId, conversationId: a.conversationId, messageId: a.messageId, kind: 'chat', latencyMs: clock.now() - attemptStart, startedAt: attemptStart, ...o });

    const definitions = this.d.tools?.definitionsFor(params.tools, info) ?? null;
    const existing = cont ? history.getMessage(a.messageId) : null;
    const session =
      this.d.tools && definitions
        ? new ToolSession({
            host: this.d.tools,
            settings: params.tools,
            ids: { streamId: a.id, messageId: a.messageId, conversationId: a.conversationId },
            existing: existing ? { toolCalls: existing.toolCalls ?? [], roundTexts: existing.roundTexts ?? [] } : undefined,
            publish: (state) => {
              // Content deltas already batched belong before the change (a finished round resets the content).
              batcher.flush();
              try {
                history.checkpointTools(a.messageId, state, prefix + content, (cont?.reasoning ?? '') + reasoning);
              } catch (err) {
                log.error('tool checkpoint failed', err);
              }
              emit('stream.tools', { streamId: a.id, messageId: a.messageId, ...state });
            },
          })
        : null;

    const onToken = () => {
      // Called for every chunk: the clock is read only for the first token of a round.
      if (roundFirstTokenAt !== null && firstTokenAt !== null) return;
      const now = clock.now();
      if (roundFirstTokenAt === null) roundFirstTokenAt = now;
      if (firstTokenAt === null) {
        firstTokenAt = now;
        ttftMs = now - attemptStart;
      }
    };
    const addReasoning = (s: string) => {
      if (!s) return;
      onToken();
      if (reasoningStartedAt === null) reasoningStartedAt = clock.now();
      reasoning += s;
      batcher.addReasoning(s);
      dirty = true;
    };
    const addContent = (s: string) => {
      if (!s) return;
      onToken();
      if (answerStartedAt === null) {
        answerStartedAt = clock.now();
        batcher.answerStarted(answerStartedAt - t0);
      }
      content += s;
      batcher.addContent(s);
      dirty = true;
    };
    const handleContent = (raw: string) => {
      const out = splitter.push(raw);
      if (out.reclassify) {
        reasoning += content;
        content = '';
        answerStartedAt = null;
        if (reasoningStartedAt === null) reasoningStartedAt = t0;
        batcher.reclassifyContent();
      }
      addReasoning(out.reasoning);
      addContent(out.content);
    };

    const stamps = this.d.benchStamps === true;
    // Interprets one parsed chunk object. Unknown fields are ignored, missing ones tolerated.
    const onChunk = (obj: Record<string, unknown>, event = 'message') => {
      if (stamps && typeof obj['kaiwa_seq'] === 'number') batcher.stamp(obj['kaiwa_seq'], performance.timeOrigin + performance.now());
      const err = streamErrorOf(event, obj);
      if (err != null) {
        streamError = mapStreamError({ kind: target!.kind, providerId: target!.providerId, providerName: target!.name, modelId: ref.modelId }, err);
        return;
      }
      usage = usageOf(obj['usage']) ?? usage;
      sources = sourcesOf(obj) ?? sources;
      const choices = obj['choices'] as { delta?: Record<string, unknown>; message?: Record<string, unknown>; finish_reason?: string | null }[] | undefined;
      const choice = Array.isArray(choices) ? choices[0] : undefined;
      if (!choice) return;
      const delta = choice.delta ?? choice.message ?? {};
      const r = delta['reasoning_content'] ?? delta['reasoning'];
      if (typeof r === 'string' && r.length) {
        reasoningViaField = true;
        addReasoning(r);
      }
      const c = delta['content'];
      if (typeof c === 'string' && c.length) handleContent(c);
      const tc = delta['tool_calls'];
      if (Array.isArray(tc)) {
        onToken();
        for (const f of tools.pushAll(tc as ToolCallDelta[])) batcher.addTool(tools.get(f.index)!, session?.round);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    };

    const checkpoint = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      try {
        history.checkpoint(a.messageId, prefix + content, (cont?.reasoning ?? '') + reasoning);
      } catch (err) {
        log.error('checkpoint failed', err);
      }
    }, CHECKPOINT_MS);

    try {
      // One pass per request; more than one only when the model asks for tools (see tools/session.ts).
      for (;;) {
        const lastRound = session?.countRequest() ?? true;
        const maxRetries = registry.maxRetries(ref.providerId);
        let response: Response | null = null;
        for (let attempt = 0; ; attempt++) {
          try {
            const keyId = this.d.chooseKey?.(ref.providerId, ref.modelId) ?? null;
            target = registry.target(ref.providerId, keyId ? { keyId } : {});
          } catch (err) {
            error = err instanceof ServiceError ? err.info : mapUpstreamError({ kind: 'custom', providerId: ref.providerId, providerName: ref.providerId, cause: err });
            status = 'error';
            break;
          }
          emit('stream.status', { streamId: a.id, messageId: a.messageId, state: 'connecting', attempt });
          attemptStart = clock.now();
          const body = this.buildBody(ref, this.buildMessages(a.messageId, systemPrompt, cont, session, target.kind), params, target.kind, definitions);
          try {
            response = await upstream.openChatStream(target, body, a.controller.signal);
            break;
          } catch (err) {
            if (a.controller.signal.aborted) {
              status = a.stopReason === 'user' ? 'stopped' : 'interrupted';
              break;
            }
            const mapped: MappedError =
              err instanceof UpstreamError
                ? err.mapped
                : mapUpstreamError({ kind: target.kind, providerId: target.providerId, providerName: target.name, modelId: ref.modelId, cause: err });
            const headers = err instanceof UpstreamError ? (err.response?.headers ?? null) : null;
            observeAttempt(target, { status: 'error', httpStatus: mapped.status ?? null, error: mapped, headers, usage: null, ttftMs: null, cost: null });
            if (mapped.keyRejected || mapped.quota) registry.markKeyFailed(target.providerId, target.keyId, mapped.code, mapped.message);
            const wait = backoffMs(attempt, mapped.retryAfterMs);
            if (mapped.retryable && attempt < maxRetries && wait <= MAX_RETRY_WAIT_MS) {
              emit('stream.status', { streamId: a.id, messageId: a.messageId, state: 'retrying', attempt: attempt + 1, retryInMs: Math.round(wait), error: strip(mapped) });
              log.info(`retrying ${target.name} in ${Math.round(wait)} ms after ${mapped.code}`);
              await this.sleep(wait, a.controller.signal);
              if (a.controller.signal.aborted) {
                status = a.stopReason === 'user' ? 'stopped' : 'interrupted';
                break;
              }
              continue;
            }
            error = strip(mapped);
            status = 'error';
            break;
          }
        }

        if (response && target) {
          emit('stream.status', { streamId: a.id, messageId: a.messageId, state: 'receiving' });
          const ctype = response.headers.get('content-type') ?? '';
          const idleMs = this.d.settings.get().idleTimeoutSec * 1000;
          const outcome = await this.readBody(a, response, ctype, idleMs, onChunk, () => {
            sawDone = true;
          }, () => {
            malformed += 1;
          });
          const flushed = splitter.flush();
          addReasoning(flushed.reasoning);
          addContent(flushed.content);

          if (outcome === 'stopped') status = a.stopReason === 'user' ? 'stopped' : 'interrupted';
          else if (outcome === 'idle') {
            status = 'error';
            error = { code: 'idle_timeout', message: 'The provider stopped responding.', params: { provider: target.name, seconds: Math.round(idleMs / 1000) }, actions: ['retry'] };
          } else if (outcome instanceof Error) {
            status = 'error';
            error = strip(mapUpstreamError({ kind: target.kind, providerId: target.providerId, providerName: target.name, modelId: ref.modelId, cause: outcome }));
          } else if (outcome === 'not_stream') {
            status = 'error';
            error = { code: 'not_stream', message: `${target.name} did not send a stream.`, actions: ['retry'] };
          } else if (outcome === 'html') {
            status = 'error';
            error = { code: 'not_api', message: `${target.name} answered with a web page.`, params: { provider: target.name }, actions: ['open_settings'] };
          }
          // Assigned inside the chunk callback, which flow analysis cannot see.
          const midStreamError = streamError as MappedError | null;
          if (midStreamError) {
            status = 'error';
            error = strip(midStreamError);
          } else if (status === 'incomplete') {
            if (finishReason === 'length') status = 'length';
            else if (finishReason) status = 'done';
            else {
              status = 'incomplete';
              error = { code: 'stream_incomplete', message: 'The answer ended unexpectedly.', details: sawDone ? 'no finish_reason' : 'no finish_reason and no [DONE]', actions: ['retry'] };
            }
          }
          if (status === 'done' && !error && splitter.unclosed && !content) {
            error = { code: 'think_unclosed', message: 'The model never closed its thinking block.', actions: ['retry'] };
          }
          if (malformed > 0 && !error) {
            error = { code: 'stream_malformed', message: 'Some of the stream could not be read.', params: { count: malformed } };
          }
          const okish = status === 'done' || status === 'length';
          if (okish) registry.markKeyOk(target.providerId, target.keyId);
          const roundUsage = usage as Usage | null;
          const cost = computeCost(roundUsage, info);
          observeAttempt(target, {
            status: status === 'stopped' ? 'stopped' : okish ? 'ok' : 'error',
            httpStatus: response.status,
            error: midStreamError,
            headers: response.headers,
            usage: roundUsage,
            ttftMs: roundFirstTokenAt !== null ? roundFirstTokenAt - attemptStart : null,
            cost,
          });
          upstreamMs += clock.now() - attemptStart;
          if (roundUsage) usageSum = addUsage(usageSum, roundUsage);
          else usageKnown = false;
        }

        // The model asked for tools: run them and ask again, within the answer's rounds.
        const calls = tools.list();
        if (!session || status !== 'done' || !calls.length || (finishReason !== 'tool_calls' && finishReason !== 'stop')) break;
        if (lastRound) {
          const n = session.maxRounds;
          unrun = session.unrun(calls, 'round_limit', `Not run: this answer already used its ${n} rounds.`);
          status = 'error';
          error = { code: 'tool_round_limit', message: `The model still asked for tools after ${n} rounds.`, params: { rounds: n } };
          break;
        }
        const text = prefix + content;
        prefix = '';
        content = '';
        // From here these calls belong to a finished round, whatever happens while they run.
        tools = new ToolCallAccumulator();
        if ((await session.runRound(text, calls, a.controller.signal)) === 'stopped') {
          status = a.stopReason === 'user' ? 'stopped' : 'interrupted';
          break;
        }
        splitter = newSplitter();
        roundFirstTokenAt = null;
        finishReason = null;
        usage = null;
        streamError = null;
        sawDone = false;
        error = undefined;
        status = 'incomplete';
      }
    } finally {
      clearInterval(checkpoint);
      batcher.flush();
      const end = clock.now();
      let final: Message;
      const rounds = session?.round ?? 0;
      if (session && !unrun && tools.size) unrun = session.unrun(tools.list(), 'cancelled', 'Not run: the answer ended before this call could run.');
      const toolState = session ? session.state(unrun ?? []) : tools.size ? { toolCalls: tools.list(), roundTexts: [] } : null;
      const own = {
        usage: usageKnown ? usageSum : null,
        ttftMs,
        // One request: from the attempt that answered, so tokens/s = output / (duration - ttft). Several
        // (tools): the time spent on requests only, not on running tools or waiting for a confirmation.
        durationMs: rounds > 0 ? upstreamMs : end - attemptStart,
        reasoningMs: reasoningStartedAt !== null ? (answerStartedAt ?? end) - reasoningStartedAt : undefined,
        cost: computeCost(usageKnown ? usageSum : null, info),
      };
      const merged = cont ? mergeContinuation(cont, own, content.length + reasoning.length > 0 || rounds > 0) : own;
      // A failed answer is worth a line in the log (redacted there like everything else).
      if (error) log.warn(`answer ${a.messageId} (${ref.providerId} / ${ref.modelId}) ended with ${error.code}`, error.details);
      try {
        final = history.finalizeMessage(a.messageId, {
          content: prefix + content,
          reasoning: (cont?.reasoning ?? '') + reasoning,
          status,
          ...(toolState?.toolCalls.length ? { toolCalls: toolState.toolCalls } : {}),
          ...(toolState?.roundTexts.length ? { roundTexts: toolState.roundTexts } : {}),
          ...(sources ? { sources } : {}),
          ...(error ? { error } : {}),
          ...(merged.usage ? { usage: merged.usage } : {}),
          ...(merged.ttftMs !== undefined ? { ttftMs: merged.ttftMs } : {}),
          durationMs: merged.durationMs,
          ...(merged.reasoningMs !== undefined ? { reasoningMs: merged.reasoningMs } : {}),
          cost: merged.cost,
        });
      } catch (err) {
        // Storage failed (disk full…): the renderer still gets the full text it has already shown.
        log.error('could not save the finished answer', err);
        final = {
          id: a.messageId,
          conversationId: a.conversationId,
          parentId: null,
          role: 'assistant',
          content: prefix + content,
          reasoning: (cont?.reasoning ?? '') + reasoning,
          ...(toolState?.toolCalls.length ? { toolCalls: toolState.toolCalls } : {}),
          ...(toolState?.roundTexts.length ? { roundTexts: toolState.roundTexts } : {}),
          status,
          error:
            toKaiwaError(err).code === 'storage_full'
              ? toKaiwaError(err)
              : { code: 'storage_failed', message: 'The answer could not be saved.', details: err instanceof Error ? err.message : String(err) },
          createdAt: t0,
          version: { index: 1, count: 1 },
        };
      }
      emit('stream.end', { streamId: a.id, message: final });
    }
  }

  /**
   * Reads the response body with an idle watchdog. Returns 'ok', 'stopped' (aborted by us),
   * 'idle' (watchdog fired), 'not_stream' or the network error that ended it.
   */
  private async readBody(
    a: Active,
    response: Response,
    ctype: string,
    idleMs: number,
    onChunk: (o: Record<string, unknown>, event?: string) => void,
    onDone: () => void,
    onMalformed: () => void,
  ): Promise<'ok' | 'stopped' | 'idle' | 'not_stream' | 'html' | Error> {
    const body = response.body;
    if (!body) return 'not_stream';
    if (isHtmlAnswer(ctype)) {
      await body.cancel().catch(() => {});
      return 'html';
    }
    let idle = false;
    let watchdog: ReturnType<typeof setTimeout> | null = null;
    const arm = () => {
      if (watchdog) clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        idle = true;
        a.stopReason ??= 'idle';
        a.controller.abort();
      }, idleMs);
    };
    const parser = new SseParser((ev) => {
      const data = ev.data;
      if (data === '[DONE]') {
        onDone();
        return;
      }
      let obj: unknown;
      try {
        obj = JSON.parse(data);
      } catch {
        onMalformed();
        return;
      }
      if (obj && typeof obj === 'object') onChunk(obj as Record<string, unknown>, ev.event);
    });
    const jsonBody = /application\/json/i.test(ctype) && !/event-stream/i.test(ctype);
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const jsonParts: string[] = [];
    arm();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm();
        const text = decoder.decode(value, { stream: true });
        if (jsonBody) jsonParts.push(text);
        else parser.push(text);
      }
      const tail = decoder.decode();
      if (jsonBody) {
        jsonParts.push(tail);
        // A non-SSE JSON answer to a stream request: accept a complete chat.completion or an error.
        try {
          onChunk(JSON.parse(jsonParts.join('')) as Record<string, unknown>);
        } catch {
          return 'not_stream';
        }
      } else {
        if (tail) parser.push(tail);
        parser.end();
      }
      return 'ok';
    } catch (err) {
      if (idle || a.stopReason === 'idle') return 'idle';
      if (a.controller.signal.aborted) return 'stopped';
      return err instanceof Error ? err : new Error(String(err));
    } finally {
      if (watchdog) clearTimeout(watchdog);
      reader.releaseLock();
    }
  }
}

/** Stored parameters are re-checked before a request: an invalid value never reaches a provider. */
function checkParams(params: unknown, ref: ModelRef, registry: ProviderRegistry, prompt?: string): void {
  const r = ChatParams.safeParse(params);
  if (!r.success) {
    const details = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ServiceError('invalid_params', 'Some parameters are invalid.', { details });
  }
  const kind = registry.list().find((p) => p.id === ref.providerId)?.kind ?? 'custom';
  checkForModel(ref.modelId, registry.model(ref.providerId, ref.modelId), r.data, kind, prompt);
}

/** The renderer gets the KaiwaError part only (no retry bookkeeping). */
function strip(m: MappedError): KaiwaError {
  const { retryable: _r, quota: _q, keyRejected: _k, retryAfterMs: _a, ...rest } = m;
  return rest;
}

export type StreamDelta = EventPayload<'stream.delta'>;
