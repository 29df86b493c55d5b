// Builds the object exposed as `window.kaiwa`, shared by the preload (IPC) and the browser-mode
// bridge (WebSocket) so the two cannot drift apart: one method per contract call, each bound to its
// own fixed call name. There is deliberately no generic `invoke(name, …)`. The transports get the
// contract's names as they are (`chat.send`); only IPC turns them into channels (names.ts channelOf).
import type { KaiwaWindowApi } from './index.ts';
import { CALL_NAMES, EVENT_NAMES, type CallNameList, type EventNameList } from './names.ts';

export function buildWindowApi(
  transport: KaiwaWindowApi['transport'],
  send: (call: CallNameList, payload: unknown) => Promise<unknown>,
  subscribe: (event: EventNameList, listener: (payload: unknown) => void) => () => void,
): KaiwaWindowApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const name of CALL_NAMES) {
    const [ns, method] = name.split('.') as [string, string];
    (api[ns] ??= {})[method] = (input: unknown) => send(name, input);
  }
  const events: readonly string[] = EVENT_NAMES;
  const on = (name: string, listener: (payload: unknown) => void) => {
    if (!events.includes(name)) throw new Error(`unknown event ${name}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    return subscribe(name as EventNameList, listener);
  };
  return { ...api, on, transport } as unknown as KaiwaWindowApi;
}
