// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests, the benchmark and manual use
// (`npm run dev:fake`). Each POST /v1/chat/completions takes the next scripted scenario (or the
// default), so tests say exactly what the "provider" does instead of relying on magic words.
// Every request is recorded (method, path, headers, JSON body) so tests can assert what was sent.
// File length (~460 lines): one server whose routes share the recording and the scenario queue; the scenarios themselves are in scenarios.ts.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { providerErrors, type Flavor, type Scenario, type StreamScenario } from './scenarios.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  at: number;
}

export interface FakeUpstreamOptions {
  port?: number;
  /** Model ids for GET /v1/models. */
  models?: string[];
  /** When set, chat requests whose bearer token is not listed get ModelScope's 401. */
  acceptKeys?: string[];
  defaultScenario?: Scenario;
  /** Hard cap on how long any one response may stay open (servers stop themselves). */
  maxResponseMs?: number;
  /** Serve https with this key/certificate (a self-signed one: the TLS failure case). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  /** Every streamed `data:` payload with the time its last byte was written (crash tests compare against it). */
  readonly sent: { at: number; data: string }[] = [];
  private queue: Scenario[] = [];
  private byModel = new Map<string, Scenario[]>();
  private defaultScenario: Scenario;
  private sockets = new Set<Socket>();
  private waiters: { n: number; resolve: () => void }[] = [];
  private closed = false;
  private server!: Server;
  port = 0;
  acceptKeys: string[] | undefined;
  models: string[];
  private readonly maxResponseMs: number;
  private readonly scheme: 'http' | 'https';

  private constructor(opts: FakeUpstreamOptions) {
    this.defaultScenario = opts.defaultScenario ?? { kind: 'stream', content: ['Hello', ' from', ' the fake', ' upstream.'] };
    this.acceptKeys = opts.acceptKeys;
    this.models = opts.models ?? ['fake-model', 'Qwen/Qwen3-235B-A22B-Instruct-2507'];
    this.maxResponseMs = opts.maxResponseMs ?? 120_000;
    this.scheme = opts.tls ? 'https' : 'http';
  }

  static async start(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
    const f = new FakeUpstream(opts);
    const handler = (req: IncomingMessage, res: ServerResponse) => void f.handle(req, res);
    f.server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createServer(handler);
    // The TLS server reports a refused handshake here; nothing to do but keep serving.
    f.server.on('tlsClientError', () => {});
    f.server.on('connection', (s) => {
      f.sockets.add(s);
      s.on('close', () => f.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      f.server.once('error', reject);
      f.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    f.port = (f.server.address() as AddressInfo).port;
    return f;
  }

  /** Base URL to configure as a provider's base URL. */
  get baseUrl(): string {
    return `${this.scheme}://127.0.0.1:${this.port}/v1`;
  }

  /** Scenarios for the next chat requests, in order. */
  enqueue(...s: Scenario[]): void {
    this.queue.push(...s);
  }

  /** Scenarios for requests naming this model (taken before the general queue). */
  enqueueForModel(model: string, ...s: Scenario[]): void {
    const q = this.byModel.get(model) ?? [];
    q.push(...s);
    this.byModel.set(model, q);
  }

  setDefault(s: Scenario): void {
    this.defaultScenario = s;
  }

  reset(): void {
    this.queue = [];
    this.byModel.clear();
    this.requests.length = 0;
    this.sent.length = 0;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  /** Resolves once `n` chat requests have arrived (bounded by `timeoutMs`). */
  waitForChatRequests(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.chatRequests().length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`fake upstream: expected ${n} chat requests, got ${this.chatRequests().length}`)), timeoutMs);
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private next(model: string): Scenario {
    const q = this.byModel.get(model);
    if (q?.length) return q.shift()!;
    return this.queue.shift() ?? this.defaultScenario;
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await this.readBody(req);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* keep raw text */
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');

    if (url.pathname.startsWith('/__control/')) return this.control(url.pathname, req.method ?? 'GET', body, res);

    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, headers, body, at: Date.now() };
    this.requests.push(rec);

    if (req.method === 'GET' && url.pathname.endsWith('/models')) {
      // Like ModelScope, /models answers without checking the token.
      return json(res, 200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })) });
    }
    if (req.method === 'POST' && url.pathname.endsWith('/chat/completions')) {
      for (const w of [...this.waiters]) {
        if (this.chatRequests().length >= w.n) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const key = (headers['authorization'] ?? '').replace(/^Bearer\s+/i, '');
      if (this.acceptKeys && !this.acceptKeys.includes(key)) return this.respondError(res, providerErrors.modelscopeBadToken());
      const b = (body && typeof body === 'object' ? body : {}) as { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
      const scenario = this.next(b.model ?? '');
      const limit = setTimeout(() => res.destroy(), this.maxResponseMs);
      try {
        await this.play(scenario, b, res);
      } finally {
        clearTimeout(limit);
      }
      return;
    }
    json(res, 404, { error: { message: `fake upstream: no route for ${req.method} ${url.pathname}`, code: 'not_found' } });
  }

  private control(path: string, method: string, body: unknown, res: ServerResponse): void {
    if (path === '/__control/enqueue' && method === 'POST') {
      this.enqueue(...((Array.isArray(body) ? body : [body]) as Scenario[]));
      return json(res, 200, { ok: true, queued: this.queue.length });
    }
    if (path === '/__control/default' && method === 'POST') {
      this.setDefault(body as Scenario);
      return json(res, 200, { ok: true });
    }
    if (path === '/__control/requests') return json(res, 200, this.requests);
    if (path === '/__control/reset' && method === 'POST') {
      this.reset();
      return json(res, 200, { ok: true });
    }
    json(res, 404, { error: 'unknown control' });
  }

  private respondError(res: ServerResponse, s: Extract<Scenario, { kind: 'error' }>): void {
    const isText = typeof s.body === 'string';
    res.writeHead(s.status, { 'Content-Type': s.contentType ?? (isText ? 'text/plain' : 'application/json'), ...(s.headers ?? {}) });
    res.end(isText ? (s.body as string) : JSON.stringify(s.body));
  }

  private async play(s: Scenario, req: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } }, res: ServerResponse): Promise<void> {
    const model = req.model ?? 'fake-model';
    switch (s.kind) {
      case 'error':
        return this.respondError(res, s);
      case 'hang':
        await new Promise<void>((r) => res.on('close', () => r()));
        return;
      case 'json': {
        res.writeHead(200, { 'Content-Type': 'application/json', ...(s.headers ?? {}) });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${randomBytes(6).toString('hex')}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model,
            choices: [{ index: 0, message: { role: 'assistant', content: s.content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
          }),
        );
        return;
      }
      case 'drip': {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        const events = buildEvents({ kind: 'stream', content: [s.content] }, model, !!req.stream_options?.include_usage);
        const whole = events.map((e) => `data: ${e}\n\n`).join('') + 'data: [DONE]\n\n';
        const bytes = Buffer.from(whole);
        const gap = 1000 / s.bytesPerSecond;
        // Only the bytes in `range` drip (the rest goes at once), so a slow drip stays a short test.
        const [from, to] = s.range ?? [0, bytes.length];
        if (from > 0) res.write(bytes.subarray(0, from));
        for (let i = from; i < Math.min(to, bytes.length); i++) {
          if (this.closed || res.destroyed) return;
          res.write(bytes.subarray(i, i + 1));
          await sleep(gap);
        }
        if (to < bytes.length && !res.destroyed) res.write(bytes.subarray(to));
        for (const e of events) this.sent.push({ at: Date.now(), data: e });
        res.end();
        return;
      }
      case 'pings': {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        for (let i = 0; i < s.count; i++) {
          if (this.closed || res.destroyed) return;
          res.write(': ping\n\n');
          await sleep(s.intervalMs);
        }
        if (s.then) return this.writeStream(s.then, model, !!req.stream_options?.include_usage, res, true);
        res.end();
        return;
      }
      case 'raw': {
        res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', ...(s.headers ?? {}) });
        for (const e of s.events) {
          if (this.closed || res.destroyed) return;
          const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
          res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${data}\n\n`);
          this.sent.push({ at: Date.now(), data });
          await sleep(s.delayMs ?? 5);
        }
        if (s.end === 'reset') {
          res.socket?.resetAndDestroy();
          return;
        }
        if ((s.end ?? 'done') === 'done') res.write('data: [DONE]\n\n');
        res.end();
        return;
      }
      case 'stream':
        if (s.startAfterRequests) await this.waitForChatRequests(s.startAfterRequests, this.maxResponseMs).catch(() => {});
        if (s.headerDelayMs) await sleep(s.headerDelayMs);
        return this.writeStream(s, model, !!req.stream_options?.include_usage, res, false);
    }
  }

  private async writeStream(s: StreamScenario, model: string, includeUsage: boolean, res: ServerResponse, headersSent: boolean): Promise<void> {
    if (!headersSent) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', ...(s.headers ?? {}) });
    }
    res.flushHeaders();
    const nl = s.crlf ? '\r\n' : '\n';
    const events = buildEvents(s, model, includeUsage);
    if (s.clock) return this.writeClocked(s, events, nl, res);
    const delay = s.delayMs ?? 5;
    const perWrite = Math.max(1, s.eventsPerWrite ?? 1);
    let batch = '';
    let inBatch: string[] = [];
    for (let i = 0; i < events.length; i++) {
      if (this.closed || res.destroyed) return;
      if (s.stallAfter !== undefined && i >= s.stallAfter) {
        await new Promise<void>((r) => res.on('close', () => r()));
        return;
      }
      if (s.resetAfter !== undefined && i >= s.resetAfter) {
        res.socket?.resetAndDestroy();
        return;
      }
      if (s.pingEvery && i % s.pingEvery === 0) batch += `: ping${nl}${nl}`;
      const data = s.malformedAt === i ? '{"choices":[{"delta":{"content":"broken' : s.stamp ? stampSentAt(events[i]!) : events[i]!;
      batch += `data: ${data}${nl}${nl}`;
      inBatch.push(data);
      if ((i + 1) % perWrite !== 0 && i !== events.length - 1) continue;
      if (s.splitWrites && batch.length > 2) {
        const cut = Math.floor(batch.length / 2);
        res.write(batch.slice(0, cut));
        await sleep(Math.max(1, delay / 2));
        if (res.destroyed) return;
        res.write(batch.slice(cut));
      } else {
        res.write(batch);
      }
      const at = Date.now();
      for (const d of inBatch) this.sent.push({ at, data: d });
      inBatch = [];
      batch = '';
      if (delay > 0) await sleep(delay);
    }
    if (s.abruptEnd) {
      res.socket?.destroy();
      return;
    }
    if (s.done !== false && !s.errorAfter) res.write(`data: [DONE]${nl}${nl}`);
    res.end();
  }

  /** `clock` pacing: event i is due at start + i × delayMs; whatever is due goes out in one write. */
  private async writeClocked(s: StreamScenario, events: string[], nl: string, res: ServerResponse): Promise<void> {
    const delay = s.delayMs ?? 5;
    const start = performance.now();
    let i = 0;
    while (i < events.length) {
      if (this.closed || res.destroyed) return;
      const wait = start + i * delay - performance.now();
      if (wait > 0) await sleep(wait);
      const now = performance.now();
      let batch = '';
      const from = i;
      while (i < events.length && start + i * delay <= now) {
        batch += `data: ${s.stamp ? stampSentAt(events[i]!) : events[i]!}${nl}${nl}`;
        i++;
      }
      res.write(batch);
      const at = Date.now();
      for (let k = from; k < i; k++) this.sent.push({ at, data: events[k]! });
    }
    if (s.done !== false) res.write(`data: [DONE]${nl}${nl}`);
    res.end();
  }
}

const SENT_AT_TAIL = '"kaiwa_sent_at":0}';

/** Fills in a stamped chunk's send time (epoch ms, fixed width, so every run sends as many bytes). */
function stampSentAt(data: string): string {
  if (!data.endsWith(SENT_AT_TAIL)) return data;
  return `${data.slice(0, -SENT_AT_TAIL.length)}"kaiwa_sent_at":${(performance.timeOrigin + performance.now()).toFixed(3)}}`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The `data:` payloads of one streamed answer, in order, shaped like the chosen provider's. */
export function buildEvents(s: StreamScenario, model: string, includeUsage: boolean): string[] {
  const flavor: Flavor = s.flavor ?? 'openai';
  const id = s.id ?? `chatcmpl-${randomBytes(6).toString('hex')}`;
  const created = s.created ?? Math.floor(Date.now() / 1000);
  const out: string[] = [];
  let seq = 0;
  const emit = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => {
    const chunk: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      usage: null,
      system_fingerprint: null,
      ...extra,
    };
    if (s.stamp) {
      chunk['kaiwa_seq'] = seq++;
      chunk['kaiwa_sent_at'] = 0; // last key: stampSentAt fills it in when the chunk is written
    }
    out.push(JSON.stringify(chunk));
  };
  const delta = (o: { content?: string; reasoning?: string; role?: string; tool_calls?: unknown }) => {
    switch (flavor) {
      case 'modelscope':
        return { content: o.content ?? '', reasoning_content: o.reasoning ?? '', role: o.role ?? null, tool_calls: o.tool_calls ?? null };
      case 'dashscope': {
        const d: Record<string, unknown> = { content: o.content ?? '', function_call: null, role: o.role ?? null, tool_calls: o.tool_calls ?? null };
        if (o.reasoning !== undefined) d['reasoning_content'] = o.reasoning;
        return d;
      }
      case 'wandb': {
        const d: Record<string, unknown> = {};
        if (o.role) d['role'] = o.role;
        if (o.content !== undefined) d['content'] = o.content;
        if (o.reasoning !== undefined) d['reasoning'] = o.reasoning;
        if (o.tool_calls) d['tool_calls'] = o.tool_calls;
        return d;
      }
      default: {
        const d: Record<string, unknown> = {};
        if (o.role) d['role'] = o.role;
        if (o.content !== undefined) d['content'] = o.content;
        if (o.reasoning !== undefined) d['reasoning_content'] = o.reasoning;
        if (o.tool_calls) d['tool_calls'] = o.tool_calls;
        return d;
      }
    }
  };

  emit(delta({ role: 'assistant', content: '' }), null);
  for (const r of s.reasoning ?? []) emit(delta({ reasoning: r }), null);
  let contentChunks = 0;
  for (const c of s.content ?? []) {
    if (s.errorAfter && contentChunks >= s.errorAfter.chunks) break;
    emit(delta({ content: c }), null);
    contentChunks++;
  }
  if (s.errorAfter) {
    out.push(JSON.stringify({ error: s.errorAfter.error, request_id: 'req-fake-stream' }));
    return out;
  }
  s.toolCalls?.forEach((tc, index) => {
    emit(delta({ tool_calls: [{ index, id: tc.id, type: 'function', function: { name: tc.name, arguments: '' } }] }), null);
    for (const a of tc.args) emit(delta({ tool_calls: [{ index, id: '', type: 'function', function: { arguments: a } }] }), null);
  });
  const finish = s.finishReason === undefined ? (s.toolCalls?.length ? 'tool_calls' : 'stop') : s.finishReason;
  if (finish !== null) emit(delta({ content: '' }), finish);
  if (includeUsage && s.usage !== null) {
    const u = s.usage ?? { prompt: 12, completion: (s.content ?? []).length + (s.reasoning ?? []).length };
    out.push(
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [],
        usage: { prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion },
        system_fingerprint: null,
      }),
    );
  }
  return out;
}
