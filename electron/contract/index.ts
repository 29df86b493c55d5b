// The one list of everything that crosses the renderer ⇄ main boundary.
//
// `calls` are request/response pairs; `events` flow main → renderer only. Each domain keeps its
// entities, calls and events in its own file (app.ts, chat.ts, providers.ts …); this file only puts
// them together and derives the types. Main validates every call's input against these schemas
// before any service sees it (electron/services/rpc.ts); the preload and the browser-mode bridge
// expose exactly these names and nothing else. Types are derived from the schemas, so a change in a
// domain file is checked by the compiler on both sides.
import type { z } from 'zod';
import { appCalls, appEvents } from './app.ts';
import { backupCalls } from './backup.ts';
import { chatCalls, chatEvents } from './chat.ts';
import { conversationsCalls } from './conversations.ts';
import { CALL_NAMES, EVENT_NAMES, type CallNameList, type EventNameList } from './names.ts';
import { providersCalls } from './providers.ts';
import { quotaCalls, quotaEvents } from './quota.ts';
import type { KaiwaError } from './schemas.ts';
import { settingsCalls } from './settings.ts';
import { toolsCalls, toolsEvents } from './tools.ts';
import { transferCalls } from './transfer.ts';
import { usageCalls } from './usage.ts';

export * from './schemas.ts';
export * from './app.ts';
export * from './backup.ts';
export * from './chat.ts';
export * from './conversations.ts';
export * from './providers.ts';
export * from './quota.ts';
export * from './settings.ts';
export * from './tools.ts';
export * from './transfer.ts';
export * from './usage.ts';
export { UPLOAD_CHUNK_CHARS } from './files.ts';
export { channelOf } from './names.ts';

export const calls = {
  ...appCalls,
  ...settingsCalls,
  ...providersCalls,
  ...conversationsCalls,
  ...chatCalls,
  ...toolsCalls,
  ...quotaCalls,
  ...usageCalls,
  ...transferCalls,
  ...backupCalls,
} as const;

export const events = {
  ...chatEvents,
  ...appEvents,
  ...toolsEvents,
  ...quotaEvents,
} as const;

// ---------------------------------------------------------------------------------------------
// Derived types

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.infer<Calls[N]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.infer<Events[N]>;

// Compile-time proof that names.ts (used by the preload) lists exactly the calls and events above.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const callNamesMatch: Same<CallNameList, CallName> = true;
export const eventNamesMatch: Same<EventNameList, EventName> = true;
export const callNames: readonly CallName[] = CALL_NAMES;
export const eventNames: readonly EventName[] = EVENT_NAMES;

/** Every call's reply crosses the boundary as an envelope: errors keep their code and details. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: KaiwaError };

/** Turns 'a.b' | 'a.c' | 'd.e' into { a: { b, c }, d: { e } }. */
type Split<S extends string> = S extends `${infer Head}.${infer Tail}` ? [Head, Tail] : never;
type Namespaces = Split<CallName>[0];
export type KaiwaCallApi = {
  [NS in Namespaces]: {
    [N in CallName as Split<N>[0] extends NS ? Split<N>[1] : never]: (input: CallInput<N>) => Promise<Envelope<CallOutput<N>>>;
  };
};

/** The object `window.kaiwa` exposes, from the preload or the browser-mode bridge. */
export interface KaiwaWindowApi extends KaiwaCallApi {
  /** Subscribe to one event; returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  readonly transport: 'ipc' | 'websocket';
}
