// The main-side half of the contract: validates every call's name and payload, runs the handler,
// and wraps the outcome in an envelope. Both transports (Electron IPC, browser-mode WebSocket)
// go through `dispatch`, so validation cannot differ between them.
import type { z } from 'zod';
import { calls, type CallName, type CallOutput, type Calls, type Envelope } from '../contract/index.ts';
import { toKaiwaError } from './errors.ts';
import type { Logger } from './log.ts';

export type Handlers = {
  [N in CallName]: (input: z.output<Calls[N]['input']>) => Promise<CallOutput<N>> | CallOutput<N>;
};

export type Dispatch = (name: unknown, payload: unknown) => Promise<Envelope<unknown>>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export function createDispatch(handlers: Handlers, log: Logger): Dispatch {
  return async (name, payload) => {
    if (!isCallName(name)) {
      log.warn('rejected a call to an unknown name');
      return { ok: false, error: { code: 'invalid_request', message: 'Unknown call.' } };
    }
    const parsed = calls[name].input.safeParse(payload);
    if (!parsed.success) {
      // Paths and issue codes only: a rejected payload may contain a key, so its values are not
      // echoed — nor are map keys (a header name can be anything, a pasted key too): a path
      // segment that is not a short field name or an index is shown as `*`.
      const details = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.map((p) => (typeof p === 'number' || /^[A-Za-z][A-Za-z0-9]{0,31}$/.test(String(p)) ? String(p) : '*')).join('.') || '(root)'}: ${i.code}`)
        .join('; ');
      log.warn(`rejected ${name}: ${details}`);
      return { ok: false, error: { code: 'invalid_request', message: `Invalid payload for ${name}.`, details } };
    }
    try {
      const handler = handlers[name] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (err) {
      const error = toKaiwaError(err);
      if (error.code === 'internal' || error.code === 'storage_failed' || error.code === 'storage_full') log.error(`${name} failed`, err);
      return { ok: false, error };
    }
  };
}

/** The handlers of one domain's calls (`typeof chatCalls` …): each domain's handlers.ts returns one of these. */
export type DomainHandlers<C> = Pick<Handlers, keyof C & CallName>;

/** What a call that only says "done" answers. */
export const OK = { ok: true } as const;
