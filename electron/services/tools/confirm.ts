// Per-call user confirmation (fetch_url): main announces a request with an id and waits for the
// renderer's `tools.confirm`, the time limit (which counts as "no"), or Stop. The first answer
// wins; every window is told when a request is over so its dialog closes.
import type { ToolConfirmRequest } from '../../contract/index.ts';
import type { EventSink } from '../platform.ts';
import { newId } from '../util/ids.ts';

export type ConfirmOutcome = 'allowed' | 'denied' | 'timeout' | 'stopped';

interface Open {
  req: ToolConfirmRequest;
  deadline: number;
  settle: (o: ConfirmOutcome) => void;
}

export class Confirmations {
  private open = new Map<string, Open>();
  private readonly emit: EventSink;

  constructor(emit: EventSink) {
    this.emit = emit;
  }

  ask(what: Omit<ToolConfirmRequest, 'requestId' | 'timeoutMs'>, timeoutMs: number, signal: AbortSignal): Promise<ConfirmOutcome> {
    if (signal.aborted) return Promise.resolve('stopped');
    const requestId = newId('tc');
    const req: ToolConfirmRequest = { ...what, requestId, timeoutMs };
    return new Promise<ConfirmOutcome>((resolve) => {
      const onAbort = () => settle('stopped');
      const timer = setTimeout(() => settle('timeout'), timeoutMs);
      const settle = (o: ConfirmOutcome) => {
        if (!this.open.delete(requestId)) return;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.emit('tools.confirmSettled', { requestId, outcome: o });
        resolve(o);
      };
      this.open.set(requestId, { req, deadline: performance.now() + timeoutMs, settle });
      signal.addEventListener('abort', onAbort, { once: true });
      this.emit('tools.confirmRequest', req);
    });
  }

  /** Returns false when the request is already over (answered elsewhere, timed out, stopped). */
  answer(requestId: string, allow: boolean): boolean {
    const o = this.open.get(requestId);
    if (!o) return false;
    o.settle(allow ? 'allowed' : 'denied');
    return true;
  }

  pending(): ToolConfirmRequest[] {
    const now = performance.now();
    return [...this.open.values()].map((o) => ({ ...o.req, timeoutMs: Math.max(0, Math.round(o.deadline - now)) }));
  }
}
