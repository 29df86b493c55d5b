// Every upstream attempt (a chat request, a retry, a provider check) is recorded once, here: a row in
// the calls table (the usage page) and a note to the observers (the quota meter). Chat and the
// settings page's check both record through it, so a check counts exactly like a chat call.
import type { Usage } from '../../contract/index.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Logger } from '../log.ts';
import type { MappedError } from '../providers/errors.ts';
import type { Target } from '../providers/upstream.ts';

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

export class UsageRecorder {
  private readonly observers = new Set<CallObserver>();
  private readonly history: Pick<HistoryStore, 'recordCall'>;
  private readonly log: Logger;

  constructor(history: Pick<HistoryStore, 'recordCall'>, log: Logger) {
    this.history = history;
    this.log = log;
  }

  observe(o: CallObserver): () => void {
    this.observers.add(o);
    return () => this.observers.delete(o);
  }

  record(o: CallObservation): void {
    try {
      this.history.recordCall({
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
      this.log.error('could not record a call', err);
    }
    for (const obs of this.observers) {
      try {
        obs(o);
      } catch (err) {
        this.log.error('call observer failed', err);
      }
    }
  }
}
