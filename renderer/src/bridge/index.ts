// The renderer's only door to main. `window.kaiwa` comes from the preload (desktop) or is installed
// here over a WebSocket (browser mode). Calls return envelopes; `call` unwraps them and throws a
// CallError that keeps the error code, so UI code can translate it.
import type { CallInput, CallName, CallOutput, EventName, EventPayload, KaiwaError, KaiwaWindowApi } from '../../../electron/contract/index.ts';
import { takeWebToken, tokenRefused } from './web-access.ts';
import { createWsBridge } from './ws-bridge.ts';

declare global {
  interface Window {
    kaiwa?: KaiwaWindowApi;
  }
}

export class CallError extends Error {
  readonly info: KaiwaError;
  constructor(info: KaiwaError) {
    super(info.message);
    this.name = 'CallError';
    this.info = info;
  }
}

function install(): KaiwaWindowApi {
  if (window.kaiwa) return window.kaiwa;
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  // Without a token the bridge never connects; the page shows how to open Kaiwa instead.
  const api = createWsBridge(wsUrl, { token: takeWebToken(), onUnauthorized: tokenRefused });
  Object.defineProperty(window, 'kaiwa', { value: api, writable: false, configurable: false });
  return api;
}

export const kaiwa: KaiwaWindowApi = install();

/** Calls `ns.method` and returns its value, or throws a CallError. */
export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const [ns, method] = name.split('.') as [string, string];
  const fn = (kaiwa as unknown as Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean; value?: unknown; error?: KaiwaError }>>>)[ns]![method]!;
  const env = await fn(input);
  if (!env.ok) throw new CallError(env.error!);
  return env.value as CallOutput<N>;
}

export function on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
  return kaiwa.on(name, listener);
}

export function errorInfo(err: unknown): KaiwaError {
  if (err instanceof CallError) return err.info;
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
