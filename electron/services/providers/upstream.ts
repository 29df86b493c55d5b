// Every upstream HTTP call goes through here, through the `openai` SDK (v7).
//
// Choices, and why:
//  - Every option is explicit (baseURL, apiKey, project, timeout, logLevel): the SDK would otherwise
//    read OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_PROJECT_ID / OPENAI_LOG from the environment. It
//    also merges OPENAI_CUSTOM_HEADERS unconditionally, so our fetch wrapper drops those headers.
//  - maxRetries is 0 on every call: retries are decided by the chat service, which must never retry
//    a quota error (each retry burns quota) and must show "retrying in 2 s…" to the user.
//  - Streams use `.asResponse()`: we read the raw bytes ourselves, which lets the idle watchdog see
//    every byte (keep-alive pings included), keeps non-standard fields (`reasoning_content`,
//    `reasoning`), tolerates a malformed line, and avoids a second parse of each event.
//  - The SDK drops error bodies it cannot fit its envelope (ModelScope's `{"errors":…}`); the fetch
//    wrapper keeps the raw error body and the response headers (quota headers come on errors too).
//  - Secrets are bound to an origin (secrets/bound.ts). The fetch wrapper is the one place that
//    sees every request as it leaves, so it is where a key or a secret header meets the URL it is
//    about to go to: a mismatch refuses the request before anything is sent, whoever built the target.
//    The same place asks the transport which route the request takes: a secret bound to a plain
//    http:// origin is refused when that route passes a proxy (custom or system), because the proxy
//    would read it in the clear; https:// is tunnelled (CONNECT, certificate checked end to end).
//    Both checks see only the URL handed to fetch, so a request that carries a secret never follows a
//    redirect (fetch would re-send custom headers such as X-Api-Key to the new origin): a 3xx ends
//    it, mapped to `upstream_redirect`.
import OpenAI from 'openai';
import type { ProviderKind } from '../../contract/index.ts';
import type { Route } from '../net/proxy.ts';
import { mayReceive } from '../secrets/bound.ts';
import { mapUpstreamError, type MappedError } from './errors.ts';

export interface Target {
  providerId: string;
  kind: ProviderKind;
  name: string;
  baseUrl: string;
  apiKey: string | null;
  keyId: string | null;
  /** The origin the key was saved for; the key goes nowhere else. */
  keyOrigin: string | null;
  /** Custom headers marked "not secret". */
  headers: Record<string, string>;
  /** Secret custom headers, each bound to the origin it was saved for. */
  secretHeaders: readonly { name: string; value: string; origin: string | undefined }[];
  project?: string;
  /** Time allowed until response headers arrive (the SDK's timeout). */
  timeoutMs: number;
}

/** What the fetch wrapper saw during one SDK call. */
interface Exchange {
  response?: Response;
  errorBody?: string;
  /** The origin a secret was about to be sent to without being bound to it. */
  refused?: string;
  /** A secret was about to go in plain text through this proxy. */
  cleartext?: { url: URL; route: Route };
  /** The URL of the last request sent (a relative redirect target is resolved against it). */
  url?: string;
}

export class UpstreamError extends Error {
  readonly mapped: MappedError;
  readonly response: Response | undefined;

  constructor(mapped: MappedError, response?: Response) {
    super(mapped.message);
    this.name = 'UpstreamError';
    this.mapped = mapped;
    this.response = response;
  }
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const MAX_ERROR_BODY = 64 * 1024;

function envCustomHeaderNames(): string[] {
  const raw = process.env['OPENAI_CUSTOM_HEADERS'];
  if (!raw) return [];
  return raw
    .split('\n')
    .map((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase())
    .filter((n) => n.length > 0);
}

/**
 * RFC 6761 §6.4: names under `.invalid` never resolve, and resolver libraries SHOULD answer that
 * at once. The system resolver does not (it asks the network's DNS server), so we do: such a base
 * URL fails locally and no query leaves the machine.
 */
function refuseInvalidName(input: string | URL | Request): void {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  let host: string;
  try {
    host = new URL(raw).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return;
  }
  if (host === 'invalid' || host.endsWith('.invalid')) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
  }
}

async function readCapped(res: Response): Promise<string> {
  const text = await res.text();
  return text.length > MAX_ERROR_BODY ? text.slice(0, MAX_ERROR_BODY) : text;
}

export class Upstream {
  private route: (url: string) => Promise<Route>;

  /** A direct `fetchImpl` (tests point it at loopback servers) until the proxy setting gives a transport. */
  constructor(fetchImpl: FetchLike = (i, init) => fetch(i, init)) {
    this.route = async () => ({ proxy: null, via: null, fetch: fetchImpl });
  }

  setTransport(transport: { route(url: string): Promise<Route> }): void {
    this.route = (url) => transport.route(url);
  }

  private client(t: Target, ex: Exchange): OpenAI {
    const userHeaders = new Set([...Object.keys(t.headers), ...t.secretHeaders.map((h) => h.name)].map((h) => h.toLowerCase()));
    const dropped = envCustomHeaderNames().filter((h) => !userHeaders.has(h));
    const hasKey = t.apiKey != null && t.apiKey !== '';
    const carriesSecret = hasKey || t.secretHeaders.length > 0;
    const wrapped: FetchLike = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if ((hasKey && !mayReceive(t.keyOrigin, url)) || t.secretHeaders.some((h) => !mayReceive(h.origin, url))) {
        ex.refused = new URL(url).origin;
        throw new Error('a secret is not bound to this origin');
      }
      refuseInvalidName(input);
      const route = await this.route(url);
      const target = new URL(url);
      if (route.proxy && target.protocol === 'http:' && carriesSecret) {
        ex.cleartext = { url: target, route };
        throw new Error('a secret would cross a proxy in plain text');
      }
      const headers = new Headers(init?.headers);
      for (const h of dropped) headers.delete(h);
      if (!hasKey) headers.delete('authorization');
      ex.url = url;
      const res = await route.fetch(input, { ...init, headers, ...(carriesSecret ? { redirect: 'manual' as const } : {}) });
      ex.response = res;
      if (!res.ok) ex.errorBody = await readCapped(res.clone());
      return res;
    };
    return new OpenAI({
      baseURL: t.baseUrl,
      // Keyless custom endpoints (local servers) still need a value here; the wrapper drops the header.
      apiKey: hasKey ? t.apiKey! : 'unused',
      organization: null,
      project: t.project ? t.project : null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: t.timeoutMs,
      logLevel: 'off',
      defaultHeaders: { ...t.headers, ...Object.fromEntries(t.secretHeaders.map((h) => [h.name, h.value])) },
      fetch: wrapped,
    });
  }

  private fail(t: Target, ex: Exchange, err: unknown, modelId?: string): UpstreamError {
    if (err instanceof UpstreamError) return err;
    if (ex.refused) {
      return new UpstreamError({
        code: 'secret_unbound',
        message: `A key or secret header of ${t.name} was not sent to ${ex.refused}: it was saved for another address.`,
        providerId: t.providerId,
        params: { provider: t.name, model: modelId ?? '', origin: ex.refused },
        actions: ['open_settings'],
        retryable: false,
        quota: false,
        keyRejected: false,
      });
    }
    if (ex.cleartext) {
      const { url, route } = ex.cleartext;
      return new UpstreamError({
        code: 'cleartext_proxy',
        message: `The key of ${t.name} was not sent: ${url.origin} is plain HTTP and the request would pass the proxy ${route.proxy}, which could read it. Use an https:// address, or let ${url.hostname} bypass the proxy.`,
        providerId: t.providerId,
        // `context` picks the translation that names the right place to add a proxy exception.
        params: { provider: t.name, model: modelId ?? '', origin: url.origin, host: url.hostname, proxy: route.proxy ?? '', context: route.via ?? 'system' },
        actions: ['open_settings'],
        retryable: false,
        quota: false,
        keyRejected: false,
      });
    }
    const apiErr = err as { status?: number; name?: string };
    const status = ex.response && !ex.response.ok ? ex.response.status : typeof apiErr.status === 'number' ? apiErr.status : undefined;
    const mapped = mapUpstreamError({
      kind: t.kind,
      providerId: t.providerId,
      providerName: t.name,
      ...(modelId ? { modelId } : {}),
      ...(ex.url ? { requestUrl: ex.url } : {}),
      ...(status !== undefined ? { status, bodyText: ex.errorBody ?? '', headers: ex.response?.headers } : { cause: err }),
    });
    return new UpstreamError(mapped, ex.response);
  }

  /**
   * Starts a streaming chat completion and returns as soon as headers arrive (2xx only). The body is
   * the caller's to read. Errors come back as UpstreamError with the mapped, user-facing error.
   */
  async openChatStream(t: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<Response> {
    const ex: Exchange = {};
    const modelId = typeof body['model'] === 'string' ? body['model'] : undefined;
    try {
      const client = this.client(t, ex);
      const params = { ...body, stream: true } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
      return await client.chat.completions.create(params, { signal, timeout: t.timeoutMs, maxRetries: 0 }).asResponse();
    } catch (err) {
      if (signal.aborted) throw err;
      throw this.fail(t, ex, err, modelId);
    }
  }

  /** GET /models. `withResponse()` so callers can read headers (quota) as well. */
  async listModels(t: Target, signal: AbortSignal): Promise<{ ids: string[]; response: Response }> {
    const ex: Exchange = {};
    try {
      const client = this.client(t, ex);
      const { data, response } = await client.models.list({ signal, timeout: t.timeoutMs, maxRetries: 0 }).withResponse();
      const ids: string[] = [];
      for (const m of data.data as { id?: unknown }[]) if (typeof m.id === 'string') ids.push(m.id);
      return { ids, response };
    } catch (err) {
      if (signal.aborted) throw err;
      throw this.fail(t, ex, err);
    }
  }
}
