// Builds the object exposed as `window.kaiwa`, shared by the preload (IPC) and the browser-mode
// bridge (WebSocket) so the two cannot drift apart: one method per contract call, each bound to its
// own fixed channel. There is deliberately no generic `invoke(channel, …)`.
import type { KaiwaWindowApi } from './index.ts';
import { CALL_NAMES, channelOf, EVENT_NAMES } from './names.ts';

export function buildWindowApi(
  transport: KaiwaWindowApi['transport'],
  send: (channel: string, payload: unknown) => Promise<unknown>,
  subscribe: (channel: string, listener: (payload: unknown) => void) => () => void,
): KaiwaWindowApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const name of CALL_NAMES) {
    const [ns, method] = name.split('.') as [string, string];
    const channel = channelOf(name);
    (api[ns] ??= {})[method] = (input: unknown) => send(channel, input);
  }
  const events: readonly string[] = EVENT_NAMES;
  const on = (name: string, listener: (payload: unknown) => void) => {
    if (!events.includes(name)) throw new Error(`unknown event ${name}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    return subscribe(channelOf(name), listener);
  };
  return { ...api, on, transport } as unknown as KaiwaWindowApi;
}
