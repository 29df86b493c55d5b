// What the fake upstream can be told to do for one chat request. Scenarios are plain JSON so they
// can be scripted in-process (tests) or over the control endpoint (bench, `npm run dev:fake`).
//
// The wire details follow what the real providers send (see the Foundation issue):
//  - ModelScope: `reasoning_content` then `content`, empty strings "" where unused, role/tool_calls
//    null, a final `choices: []` chunk with `usage`, `modelscope-ratelimit-*` headers.
//  - DashScope: first chunk role "assistant" with content "", `function_call: null`, errors as
//    `{"error":{message,type,param,code},"request_id"}`.
//  - W&B: reasoning in `delta.reasoning`.

export type Flavor = 'modelscope' | 'dashscope' | 'wandb' | 'openai';

export interface ToolCallScript {
  id: string;
  name: string;
  /** Argument pieces, one per chunk. */
  args: string[];
}

export interface StreamScenario {
  kind: 'stream';
  flavor?: Flavor;
  /** Reasoning pieces, one per chunk, sent before the content. */
  reasoning?: string[];
  /** Content pieces, one per chunk. */
  content?: string[];
  toolCalls?: ToolCallScript[];
  /** null = never send a finish_reason. Default "stop" ("tool_calls" when toolCalls are set). */
  finishReason?: string | null;
  /** Sent as the last chunk when the request asked for include_usage. null = never. */
  usage?: { prompt: number; completion: number } | null;
  /** Send `data: [DONE]` at the end (default true). */
  done?: boolean;
  headers?: Record<string, string>;
  /** Delay before the response headers. */
  headerDelayMs?: number;
  /** Hold the response (no headers yet) until this many chat requests have arrived: concurrency tests. */
  startAfterRequests?: number;
  /** Delay between chunks (default 5 ms). */
  delayMs?: number;
  /**
   * Pace on the clock: chunk i is due `i × delayMs` after the first (fractions allowed) and every
   * chunk due is written at once, so neither timer granularity nor a slow reader slows the feed.
   */
  clock?: boolean;
  /** Fixed chunk `id` and `created` (the bench sends identical bytes to every renderer). */
  id?: string;
  created?: number;
  /** Use \r\n line endings. */
  crlf?: boolean;
  /** Send `: ping` before every n-th chunk. */
  pingEvery?: number;
  /** Split every event across two network writes, mid-JSON. */
  splitWrites?: boolean;
  /** Write several events per network write. */
  eventsPerWrite?: number;
  /** After this many chunks: stall (send nothing more, keep the connection open). */
  stallAfter?: number;
  /** After this many chunks: destroy the socket (connection reset). */
  resetAfter?: number;
  /** Replace the chunk at this index with a line that is not JSON. */
  malformedAt?: number;
  /** After this many content chunks, send `data: {"error":…}` and end. */
  errorAfter?: { chunks: number; error: Record<string, unknown> };
  /**
   * Add `kaiwa_seq` (0, 1, 2… per chunk) and `kaiwa_sent_at` (epoch ms, 3 decimals, taken when the
   * chunk is written) to each chunk: the bench detects the end by the last sequence number and
   * measures latency from them.
   */
  stamp?: boolean;
  /** Close the connection right after the last chunk instead of ending cleanly (no [DONE] either). */
  abruptEnd?: boolean;
}

export interface ErrorScenario {
  kind: 'error';
  status: number;
  /** A JSON body (object) or raw text (HTML page from a proxy…). */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A plain JSON chat.completion in answer to a stream request. */
export interface JsonScenario {
  kind: 'json';
  content: string;
  headers?: Record<string, string>;
}

/** Accept the request and never answer (headers never come). */
export interface HangScenario {
  kind: 'hang';
}

/** Send one SSE answer a byte at a time. */
export interface DripScenario {
  kind: 'drip';
  content: string;
  bytesPerSecond: number;
  /** Byte offsets [from, to) of the SSE body that drip; the bytes around them are sent at once. */
  range?: [number, number];
}

/** Only `: ping` comments for a while, then optionally a normal stream. */
export interface PingsScenario {
  kind: 'pings';
  count: number;
  intervalMs: number;
  then?: StreamScenario;
}

/**
 * SSE events exactly as given: wire shapes the stream builder does not make (an `event: error`
 * line, usage in every chunk, several tool calls in one delta without `index`).
 */
export interface RawScenario {
  kind: 'raw';
  /** `data` objects are JSON-encoded; strings go out as they are. */
  events: { event?: string; data: unknown }[];
  /** After the events: `data: [DONE]` and a clean end (default), a clean end only, or a reset socket. */
  end?: 'done' | 'close' | 'reset';
  delayMs?: number;
  headers?: Record<string, string>;
}

export type Scenario = StreamScenario | ErrorScenario | JsonScenario | HangScenario | DripScenario | PingsScenario | RawScenario;

// -- ready-made scenarios (documented provider behaviour) ---------------------------------------

export const providerErrors = {
  modelscopeBadToken: (): ErrorScenario => ({
    kind: 'error',
    status: 401,
    body: { error: { message: 'Authentication failed, please make sure that a valid ModelScope token is supplied.' } },
  }),
  modelscopeUnbound: (): ErrorScenario => ({
    kind: 'error',
    status: 401,
    body: { error: { message: 'Please bind your Alibaba Cloud account before use.' } },
  }),
  modelscopeQuota: (headers?: Record<string, string>): ErrorScenario => ({
    kind: 'error',
    status: 429,
    body: { errors: { message: 'Request limit exceeded.', request_id: 'req-fake-quota' } },
    ...(headers ? { headers } : {}),
  }),
  modelscopeThinkingNoStream: (): ErrorScenario => ({
    kind: 'error',
    status: 400,
    body: { error: { code: 'invalid_parameter_error', message: 'enable thinking can not be support when `stream=False`.', type: 'invalid_request_error' } },
  }),
  dashscope: (status: number, code: string, message: string): ErrorScenario => ({
    kind: 'error',
    status,
    body: { error: { message, type: 'invalid_request_error', param: null, code }, request_id: 'req-fake-ds' },
  }),
  dashscopeInvalidKey: (): ErrorScenario => providerErrors.dashscope(401, 'invalid_api_key', 'Incorrect API key provided.'),
  wandbQuota: (): ErrorScenario => ({
    kind: 'error',
    status: 402,
    body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.' } },
  }),
  wandbConcurrency: (retryAfterSeconds?: number): ErrorScenario => ({
    kind: 'error',
    status: 429,
    body: { error: { message: 'Concurrency limit reached for requests' } },
    ...(retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(retryAfterSeconds) } } : {}),
  }),
  wandbOverloaded: (): ErrorScenario => ({
    kind: 'error',
    status: 503,
    body: { error: { message: 'The engine is currently overloaded, please try again later' } },
  }),
  /** DashScope's answer to a parameter out of range (the upstream text is what the user needs to see). */
  dashscopeBadParameter: (): ErrorScenario =>
    providerErrors.dashscope(400, 'InvalidParameter', 'Range of max_tokens should be [1, 8192]'),
  dashscopeAccessDenied: (): ErrorScenario => providerErrors.dashscope(403, 'AccessDenied', 'Access denied.'),
  dashscopeModelNotFound: (model = 'fake-model'): ErrorScenario =>
    providerErrors.dashscope(404, 'model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`),
  serverError: (): ErrorScenario => ({ kind: 'error', status: 500, body: { error: { message: 'Internal server error' } } }),
  /** DashScope's per-minute allocation (tokens or requests per minute), not a daily quota. */
  dashscopeAllocationQuota: (retryAfterSeconds?: number): ErrorScenario => ({
    ...providerErrors.dashscope(429, 'Throttling.AllocationQuota', 'Allocated quota exceeded, please increase your quota limit.'),
    ...(retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(retryAfterSeconds) } } : {}),
  }),
  /** ModelScope's burst limit: the request rate rose faster than allowed. */
  modelscopeBurst: (): ErrorScenario => ({
    kind: 'error',
    status: 429,
    body: { errors: { message: 'Request rate increased too quickly. To ensure system stability, please adjust your client logic to scale requests more smoothly over time.', request_id: 'req-fake-burst' } },
  }),
  /** A proxy's or captive portal's login page, served with status 200. */
  loginPage200: (): ErrorScenario => ({
    kind: 'error',
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><html><head><title>Sign in to the corporate proxy</title></head><body><form><input name="user"></form></body></html>',
  }),
  proxyHtml502: (): ErrorScenario => ({
    kind: 'error',
    status: 502,
    contentType: 'text/html',
    body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
  }),
};

/** A normal streamed answer split into pieces of about `size` characters. */
export function streamOf(text: string, opts: Partial<StreamScenario> & { size?: number } = {}): StreamScenario {
  const size = opts.size ?? 8;
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  const { size: _s, ...rest } = opts;
  return { kind: 'stream', content: pieces, ...rest };
}
