// Fuzzing the one dispatch both transports use (Electron IPC and the browser-mode WebSocket): for
// every contract call, at least 1,000 malformed payloads made by mutating a valid one — wrong types
// at every path, huge strings, deep nesting, prototype keys (__proto__/constructor/prototype) at
// every level, unknown fields, NaN/Infinity, arrays for objects, non-objects — plus 1,000 calls to
// names that do not exist. Each must come back as `invalid_request`, never throw, never touch
// state (settings, providers, conversations, vault and settings file bytes) and never pollute a
// prototype. Seeded: KAIWA_FUZZ_SEED=<n> reproduces a run.
//
// A new contract call needs a valid sample payload in `baselines` below (the test says so).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../test/prng.ts';
import { writeSummary } from '../../test/reliability.ts';
import { callNames, calls, type CallName } from '../contract/index.ts';
import type { Kaiwa } from './index.ts';
import { startTestKaiwa, type TestKaiwa } from '../../test/kaiwa.ts';

const SEED = Number(process.env['KAIWA_FUZZ_SEED'] ?? 20_260_707);
const PER_CALL = 1000;
/** Longer than any string the contract accepts (the longest, a message, is 2,000,000). */
const HUGE = 'x'.repeat(2_100_000);
const POISON = ['__proto__', 'constructor', 'prototype'];

let k: TestKaiwa;
let ids: { conversation: string; user: string; answer: string; key: string };
const summary = { seed: SEED, calls: 0, payloads: 0, rejected: 0, unknownCalls: 0, byMutation: {} as Record<string, number> };

beforeAll(() => {
  k = startTestKaiwa({
    platform: {
      appVersion: '0.0.0-fuzz',
      openExternal: async () => {
        throw new Error('a fuzzed payload reached openExternal');
      },
    },
  });
  // Real state for the payloads to aim at: a key, a custom provider, a conversation with messages.
  const s = k.kaiwa.services;
  const view = s.registry.setKeys('modelscope', 'ms-fuzz-key-000000000001');
  s.registry.addCustom({ name: 'Local', baseUrl: 'http://127.0.0.1:9/v1', headers: {} });
  const c = s.history.createConversation({ providerId: 'modelscope', modelId: 'fake-model' });
  const user = s.history.insertMessage({ conversationId: c.id, parentId: null, role: 'user', content: 'a question', status: 'done' });
  const answer = s.history.insertMessage({ conversationId: c.id, parentId: user.id, role: 'assistant', content: 'an answer', status: 'done' });
  s.history.updateConversation(c.id, { leafId: answer.id });
  ids = { conversation: c.id, user: user.id, answer: answer.id, key: view.keys[0]!.id };
});

afterAll(async () => {
  await k.close();
  writeSummary('fuzz', summary);
});

/** A valid payload per call, using every optional field, aimed at state that exists. */
function baselines(): Record<CallName, Record<string, unknown>> {
  const model = { providerId: 'modelscope', modelId: 'fake-model' };
  const custom = k.kaiwa.services.registry.list().find((p) => p.kind === 'custom')!.id;
  return {
    'app.info': {},
    'app.openExternal': { url: 'https://example.com/docs' },
    'app.dismissNotice': { id: 'notice-1' },
    'settings.get': {},
    'settings.update': {
      language: 'ja',
      theme: 'dark',
      defaultModel: model,
      idleTimeoutSec: 30,
      proxy: { mode: 'custom', url: 'http://127.0.0.1:3128', noProxy: 'localhost' },
    },
    'providers.list': {},
    'providers.add': { name: 'Another', baseUrl: 'http://127.0.0.1:8/v1', headers: { 'X-Team': 'kaiwa' } },
    'providers.remove': { id: custom },
    'providers.update': {
      id: 'modelscope',
      name: 'Renamed',
      enabled: false,
      baseUrl: 'https://example.com/v1',
      region: 'us',
      project: 'team/project',
      headers: { 'X-Team': 'kaiwa' },
      timeoutSec: 30,
      maxRetries: 1,
    },
    'providers.setKeys': { id: 'modelscope', keys: 'ms-new-key-1\nms-new-key-2', mode: 'replace' },
    'providers.removeKey': { id: 'modelscope', keyId: ids.key },
    'providers.fetchModels': { id: 'modelscope' },
    'providers.addModel': { id: 'modelscope', modelId: 'org/model' },
    'providers.removeModel': { id: 'modelscope', modelId: 'fake-model' },
    'providers.updateModel': { id: 'modelscope', modelId: 'fake-model', inputPrice: 1, outputPrice: 2, reset: false },
    'providers.markModelsSeen': { id: 'modelscope' },
    'providers.check': { id: 'modelscope', modelId: 'fake-model', keyId: ids.key },
    'conversations.list': { limit: 10 },
    'conversations.create': { model },
    'conversations.open': { id: ids.conversation },
    'conversations.update': {
      id: ids.conversation,
      title: 'Renamed',
      model,
      systemPrompt: 'Be brief.',
      params: {
        temperature: 0.5,
        topP: 0.9,
        maxTokens: 100,
        presencePenalty: 0,
        seed: 1,
        stop: ['END'],
        enableThinking: true,
        tools: { enabled: ['get_current_time', 'calculate'], send: 'auto', maxRounds: 5, timeZone: 'Asia/Tokyo' },
      },
      draft: 'a draft',
    },
    'conversations.delete': { id: ids.conversation },
    'conversations.restore': { id: ids.conversation },
    'conversations.search': { query: 'question', limit: 5 },
    'messages.select': { messageId: ids.answer, version: 1 },
    'messages.delete': { messageId: ids.answer },
    'chat.send': { conversationId: ids.conversation, text: 'hello' },
    'chat.stop': { streamId: 's-1' },
    'chat.regenerate': { messageId: ids.answer, model },
    'chat.edit': { messageId: ids.user, text: 'edited' },
    'chat.continue': { messageId: ids.answer },
    'quota.get': { providerId: 'modelscope', modelId: 'fake-model' },
    'quota.getSettings': {},
    'quota.updateSettings': { dailyLimit: 100, perModelLimit: 10, resetUtcOffsetHours: 8 },
    'usage.summary': { range: '7d', timeZone: 'UTC' },
    'usage.exportCsv': { range: 'today', timeZone: 'Asia/Tokyo' },
    'tools.confirm': { requestId: 'r-1', allow: true },
    'tools.pending': {},
    'conversations.export': {
      id: ids.conversation,
      format: 'markdown',
      labels: { user: 'You', assistant: 'Assistant', thinking: 'Thinking', systemPrompt: 'System prompt', untitled: 'Untitled' },
    },
    'conversations.import': { uploadId: 'u-1' },
    'uploads.append': { uploadId: 'u-1', chunk: '{"format":"kaiwa.conversation"' },
    'uploads.discard': { uploadId: 'u-1' },
    'backup.create': { passphrase: 'a long enough passphrase' },
    'backup.restore': { uploadId: 'u-1', passphrase: 'a long enough passphrase' },
    'app.openDataDir': {},
  };
}

// -- generating malformed payloads ---------------------------------------------------------------

type Path = (string | number)[];
type Json = unknown;

/** Paths into a payload; not into the deep structures a mutation planted (they are garbage already). */
function pathsOf(v: Json, at: Path = []): { path: Path; value: unknown }[] {
  const out = [{ path: at, value: v }];
  if (at.length >= 6) return out;
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  return out;
}

/** Sets an own property even for `__proto__` (plain assignment would change the prototype). */
function put(obj: object, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function valueAt(root: Json, path: Path): unknown {
  let cur: unknown = root;
  for (const k of path) {
    if (!cur || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function setAt(root: Json, path: Path, value: unknown): Json {
  if (path.length === 0) return value;
  const parent = valueAt(root, path.slice(0, -1));
  if (parent && typeof parent === 'object') put(parent, path.at(-1)!, value);
  return root;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function deep(depth: number, arrays: boolean): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { n: v };
  return v;
}

function makeGen(rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const randomKey = () =>
    pick([
      () => `k${Math.floor(rand() * 1e6)}`,
      () => pick(POISON),
      () => pick(['toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'length', '']),
      () => 'ÿ\u0000\u202e' + String.fromCharCode(0xd800 + Math.floor(rand() * 1024)),
      () => HUGE.slice(0, 100_000),
    ])();
  /** A value of another kind than `like`, never null/undefined (nullable or optional fields accept those). */
  const otherKind = (like: unknown): unknown => {
    const options: [string, () => unknown][] = [
      ['number', () => pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308])],
      ['string', () => pick(['', 'x', '1', 'true', 'null', '{}', '<script>', '../../etc/passwd'])],
      ['boolean', () => rand() < 0.5],
      ['array', () => pick([[], [1], ['a'], [{}], [[[]]]])],
      ['object', () => ({ [`zz${Math.floor(rand() * 1000)}`]: 1 })],
    ];
    const k = kindOf(like);
    return pick(options.filter(([kind]) => kind !== k))[1]();
  };
  const nonFinite = () => pick([NaN, Infinity, -Infinity]);
  const pollution = () => pick([{ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, 'polluted', { isAdmin: true }]);

  type Mutation = (root: Json, base: Json) => Json;
  const objects = (root: Json) => pathsOf(root).filter((p) => kindOf(p.value) === 'object');
  const mutations: [string, Mutation][] = [
    // Another kind than the valid sample has there (not than the current value: a second mutation
    // must not turn the first one's number back into a valid string).
    ['wrong type at a path', (root, base) => {
      const p = pick(pathsOf(base).filter((x) => x.path.length > 0));
      return p ? setAt(root, p.path, otherKind(p.value)) : otherKind(base);
    }],
    ['huge string', (root) => setAt(root, pick(pathsOf(root)).path, HUGE)],
    ['deep nesting', (root) => setAt(root, pick(pathsOf(root)).path, deep(pick([50, 1000, 20_000]), rand() < 0.5))],
    ['NaN/Infinity', (root) => setAt(root, pick(pathsOf(root)).path, nonFinite())],
    ['prototype key', (root) => {
      const o = pick(objects(root));
      put(o.value as object, pick(POISON), pollution());
      return root;
    }],
    ['unknown field', (root) => {
      // At the root (always a strict object) any name; deeper only names no record accepts.
      const o = pick(objects(root));
      if (o.path.length === 0) put(o.value as object, randomKey(), pick([1, 'v', null, true, {}, []]));
      else put(o.value as object, rand() < 0.5 ? pick(POISON) : randomKey(), pick([1, null, true, {}, []]));
      return root;
    }],
    ['array for an object', (root) => {
      const o = pick(objects(root));
      return setAt(root, o.path, rand() < 0.5 ? [o.value] : Object.values(o.value as object));
    }],
    ['not an object at all', () => pick([null, undefined, 0, -1, NaN, Infinity, '', 'x', HUGE, true, false, [], [{}], deep(1000, true)])],
  ];

  /** 1–3 mutations of a fresh copy of `base`: each leaves something no schema accepts. */
  const malformed = (base: Record<string, unknown>): { payload: unknown; how: string } => {
    let root: Json = JSON.parse(JSON.stringify(base));
    const hows: string[] = [];
    const n = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      const [how, m] = pick(mutations);
      hows.push(how);
      root = m(root, base);
      if (kindOf(root) !== 'object') break;
    }
    return { payload: root, how: hows.join(' + ') };
  };

  const unknownName = (): unknown =>
    pick([
      () => `${pick(callNames)}${pick([' ', 'x', '.', '\u0000', '/'])}`,
      () => pick(callNames).toUpperCase(),
      () => `${pick(['settings', 'providers', 'chat', 'app', 'vault', 'fs', 'shell'])}.${pick(['delete', 'exec', 'readFile', 'get_', '__proto__', 'constructor'])}`,
      () => pick(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '', ' ']),
      () => pick([0, 1, null, undefined, true, NaN, Infinity, {}, [], ['settings.get'], { name: 'settings.get' }]),
      () => `k${Math.floor(rand() * 1e9)}`,
      () => HUGE.slice(0, 50_000),
    ])();

  return { malformed, unknownName, pick };
}

// -- state ----------------------------------------------------------------------------------------

function filesState(): string {
  // Everything in the data dir except the log: names, sizes and bytes (settings, vault, database).
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (f === 'logs') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.sqlite(-wal|-shm)?$/.test(f)) out.push(f); // compared through the contract below (checkpoints move bytes)
      else out.push(`${f}:${readFileSync(p).toString('base64')}`);
    }
  };
  walk(k.dir);
  return out.join('\n');
}

async function snapshot(): Promise<string> {
  const d = k.kaiwa.dispatch;
  return JSON.stringify({
    settings: await d('settings.get', {}),
    stored: k.kaiwa.services.settings.get(),
    providers: await d('providers.list', {}),
    conversations: await d('conversations.list', {}),
    open: await d('conversations.open', { id: ids.conversation }),
    quota: await d('quota.getSettings', {}),
    files: filesState(),
  });
}

function unpolluted(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe['polluted']).toBeUndefined();
  expect(probe['isAdmin']).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && x.length > 60 ? `${x.slice(0, 20)}…(${x.length})` : x))?.slice(0, 300) ?? String(v);
  } catch {
    return `${kindOf(v)} (too deep to print)`;
  }
}

describe(`dispatch fuzz (seed ${SEED})`, () => {
  it('every contract call has a valid sample payload to mutate (add one for a new call)', () => {
    const b = baselines();
    expect(callNames.filter((n) => !(n in b))).toEqual([]);
    for (const n of callNames) expect(calls[n].input.safeParse(b[n]).success, `${n} sample is valid`).toBe(true);
  });

  it.each(callNames.map((n) => [n]))(`%s: ${PER_CALL} malformed payloads → invalid_request, no state change`, async (name) => {
    const rand = prng(SEED ^ [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
    const gen = makeGen(rand);
    const base = baselines()[name as CallName];
    const before = await snapshot();
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype).length;
    for (let i = 0; i < PER_CALL; i++) {
      const { payload, how } = gen.malformed(base);
      let r: Awaited<ReturnType<Kaiwa['dispatch']>>;
      try {
        r = await k.kaiwa.dispatch(name, payload);
      } catch (err) {
        throw new Error(`#${i} (${how}) threw instead of answering: ${String(err)} — payload ${show(payload)}`, { cause: err });
      }
      if (r.ok || r.error.code !== 'invalid_request') {
        throw new Error(`#${i} (${how}) was not rejected: ${show(r)} — payload ${show(payload)}`);
      }
      // The answer never echoes the payload (a key pasted in the wrong place stays private).
      expect(JSON.stringify(r).length).toBeLessThan(1000);
      summary.payloads += 1;
      summary.rejected += 1;
      for (const h of how.split(' + ')) summary.byMutation[h] = (summary.byMutation[h] ?? 0) + 1;
    }
    unpolluted();
    expect(Object.getOwnPropertyNames(Object.prototype)).toHaveLength(prototypeNames);
    expect(await snapshot()).toBe(before);
    // Still serving.
    expect(await k.kaiwa.dispatch('settings.get', {})).toMatchObject({ ok: true });
    summary.calls += 1;
  });

  it(`${PER_CALL} calls to names that are not in the contract → invalid_request, no state change`, async () => {
    const gen = makeGen(prng(SEED));
    const before = await snapshot();
    const b = baselines();
    for (let i = 0; i < PER_CALL; i++) {
      const name = gen.unknownName();
      const payload = rand0(gen, b);
      const r = await k.kaiwa.dispatch(name, payload);
      if (r.ok || r.error.code !== 'invalid_request') throw new Error(`#${i}: ${show(name)} was not rejected: ${show(r)}`);
      summary.unknownCalls += 1;
    }
    unpolluted();
    expect(await snapshot()).toBe(before);
  });
});

/** A payload that would be valid for some real call, so only the name is wrong. */
function rand0(gen: ReturnType<typeof makeGen>, b: Record<CallName, Record<string, unknown>>): unknown {
  return b[gen.pick(callNames)];
}
