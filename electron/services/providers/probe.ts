// The settings page's two upstream actions: "Check" (does this key + model answer?) and "Fetch
// models". Both go through the same Upstream client and error mapping as chat, so a check that
// fails says exactly what a chat would have said.
import type { CheckResult, KaiwaError } from '../../contract/index.ts';
import { readUpstream } from '../chat/stream-reader.ts';
import type { CallObservation } from '../chat/usage-recorder.ts';
import { ServiceError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Clock } from '../platform.ts';
import type { SettingsStore } from '../settings/store.ts';
import { mapStreamError, mapUpstreamError, publicError, type MappedError } from './errors.ts';
import type { ProviderRegistry } from './registry.ts';
import { UpstreamError, type Target, type Upstream } from './upstream.ts';

export interface ProbeDeps {
  registry: ProviderRegistry;
  upstream: Upstream;
  settings: SettingsStore;
  clock: Clock;
  log: Logger;
  /** Records the check like any other call (history + quota observers). */
  record(o: CallObservation): void;
}

/** The model a check uses: the one asked for, else the default model if it is on this provider, else the first. */
export function checkModel(deps: Pick<ProbeDeps, 'registry' | 'settings'>, providerId: string, modelId?: string): string {
  if (modelId) return modelId;
  const def = deps.settings.get().defaultModel;
  if (def?.providerId === providerId) return def.modelId;
  const first = deps.registry.get(providerId).models[0]?.id;
  if (!first) throw new ServiceError('no_model', 'Add a model to this provider first.', { actions: ['open_settings'], providerId });
  return first;
}

type FirstEvent = { kind: 'ok' } | { kind: 'stream_error'; error: unknown } | { kind: 'idle' } | { kind: 'empty' };

/**
 * Reads until the first SSE event (or the whole body, when a server answers with plain JSON), with
 * the provider's timeout as the idle limit. The caller aborts the rest: one token is all a check needs.
 */
async function firstEvent(response: Response, idleMs: number, controller: AbortController): Promise<FirstEvent> {
  let result: FirstEvent | null = null;
  const outcome = await readUpstream(
    response,
    { idleMs, signal: controller.signal, onIdle: () => controller.abort() },
    {
      done: () => {
        result = { kind: 'ok' };
        return true;
      },
      chunk: (obj) => {
        result = obj['error'] != null ? { kind: 'stream_error', error: obj['error'] } : { kind: 'ok' };
        return true;
      },
      // A damaged line is not an answer; keep reading.
    },
  );
  if (outcome === 'idle') return { kind: 'idle' };
  if (outcome instanceof Error) throw outcome;
  return result ?? { kind: 'empty' };
}

export async function checkProvider(deps: ProbeDeps, providerId: string, opts: { modelId?: string | undefined; keyId?: string | undefined } = {}): Promise<CheckResult> {
  const { registry, upstream, clock } = deps;
  let target: Target;
  let modelId = opts.modelId ?? '';
  try {
    modelId = checkModel(deps, providerId, opts.modelId);
    target = registry.target(providerId, { allowDisabled: true, ...(opts.keyId ? { keyId: opts.keyId } : {}) });
  } catch (err) {
    // Nothing was sent (no key, no model…): say why, without recording a call.
    if (err instanceof ServiceError) return { ok: false, modelId, latencyMs: 0, error: err.info };
    throw err;
  }
  const key = target.keyId ? registry.get(providerId).keys.find((k) => k.id === target.keyId)?.masked : undefined;
  const controller = new AbortController();
  const startedAt = clock.now();
  let response: Response | null = null;
  let mapped: MappedError | null = null;
  const fail = (cause: unknown) => mapUpstreamError({ kind: target.kind, providerId: target.providerId, providerName: target.name, modelId, cause });
  try {
    response = await upstream.openChatStream(target, { model: modelId, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 }, controller.signal);
    const first = await firstEvent(response, target.timeoutMs, controller);
    if (first.kind === 'stream_error') {
      mapped = mapStreamError({ kind: target.kind, providerId: target.providerId, providerName: target.name, modelId }, first.error);
    } else if (first.kind === 'idle') {
      mapped = fail(Object.assign(new Error(`no answer within ${Math.round(target.timeoutMs / 1000)} s after the headers`), { code: 'ETIMEDOUT' }));
    } else if (first.kind === 'empty') {
      const error: KaiwaError = { code: 'not_stream', message: `${target.name} did not send a readable answer.`, providerId, actions: ['open_settings'] };
      mapped = { ...error, retryable: false, quota: false, keyRejected: false };
    }
  } catch (err) {
    if (err instanceof UpstreamError) {
      mapped = err.mapped;
      response = err.response ?? null;
    } else mapped = fail(err);
  } finally {
    controller.abort();
  }
  const latencyMs = clock.now() - startedAt;

  if (mapped && (mapped.keyRejected || mapped.quota)) registry.markKeyFailed(providerId, target.keyId, mapped.code, mapped.message);
  if (!mapped) registry.markKeyOk(providerId, target.keyId);
  deps.record({
    target,
    modelId,
    conversationId: null,
    messageId: null,
    kind: 'check',
    status: mapped ? 'error' : 'ok',
    httpStatus: response?.status ?? mapped?.status ?? null,
    error: mapped,
    headers: response?.headers ?? null,
    usage: null,
    latencyMs,
    ttftMs: mapped ? null : latencyMs,
    cost: null,
    startedAt,
  });
  if (mapped) deps.log.info(`check of ${target.name} / ${modelId} failed: ${mapped.code}`);
  return { ok: !mapped, modelId, latencyMs, ...(key ? { key } : {}), ...(mapped ? { error: publicError(mapped) } : {}) };
}

/** GET /models and merge; errors come back mapped like a chat error would be. */
export async function fetchModels(deps: Pick<ProbeDeps, 'registry' | 'upstream'>, providerId: string) {
  const { registry, upstream } = deps;
  // ModelScope lists models without a token; elsewhere a missing key is said before anything is sent.
  const keyless = registry.stored(providerId)?.kind === 'modelscope';
  const target = registry.target(providerId, { requireKey: !keyless, allowDisabled: true });
  const controller = new AbortController();
  try {
    const { ids } = await upstream.listModels(target, controller.signal);
    return registry.mergeFetched(providerId, ids);
  } catch (err) {
    const mapped =
      err instanceof UpstreamError
        ? err.mapped
        : mapUpstreamError({ kind: target.kind, providerId: target.providerId, providerName: target.name, cause: err });
    if (mapped.keyRejected) registry.markKeyFailed(providerId, target.keyId, mapped.code, mapped.message);
    const { code, message, ...rest } = publicError(mapped);
    throw new ServiceError(code, message, rest);
  }
}
