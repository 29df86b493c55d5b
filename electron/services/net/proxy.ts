// The proxy setting, turned into the transport every upstream call uses (`Upstream.setTransport`):
// for each URL, the route it takes (which proxy, or direct) and the fetch that sends it that way.
//
// - custom: the user's proxy for http and https, except the hosts in their NO_PROXY-style list.
// - system: the desktop app asks the OS through `resolveProxy` (Electron's session.resolveProxy:
//   system settings, PAC, GNOME/KDE); where that says DIRECT, or in browser mode, the environment's
//   HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply.
// - none: a direct connection.
import { ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { ProxySettings } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { FetchLike } from '../providers/upstream.ts';

export type Env = Readonly<Record<string, string | undefined>>;
/** Chromium's answer for a URL, e.g. "PROXY proxy.corp:8080; DIRECT". */
export type ResolveProxy = (url: string) => Promise<string>;

/** Checks a proxy URL typed by the user; returns it normalised or throws `invalid_proxy`. */
export function checkProxyUrl(raw: string): string {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new ServiceError('invalid_proxy', 'The proxy address is not a valid URL.', { params: { reason: 'url' } });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ServiceError('invalid_proxy', 'Only HTTP and HTTPS proxies are supported.', { params: { reason: 'protocol' } });
  }
  // Settings are a plain file shown in the window: a proxy password does not belong there.
  if (u.username || u.password) {
    throw new ServiceError('invalid_proxy', 'Proxy user names and passwords are not supported.', { params: { reason: 'credentials' } });
  }
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    throw new ServiceError('invalid_proxy', 'A proxy address has no path.', { params: { reason: 'path' } });
  }
  return `${u.protocol}//${u.host}`;
}

/** The proxy the environment asks for (lower-case names win, like curl), credentials removed for display. */
export function envProxy(env: Env): { http: string; https: string; noProxy: string; display: string | null } {
  const http = env['http_proxy'] ?? env['HTTP_PROXY'] ?? '';
  const https = env['https_proxy'] ?? env['HTTPS_PROXY'] ?? '';
  const noProxy = env['no_proxy'] ?? env['NO_PROXY'] ?? '';
  const shown = https || http;
  let display: string | null = null;
  if (shown) {
    try {
      const u = new URL(shown);
      u.username = '';
      u.password = '';
      display = u.toString().replace(/\/$/, '');
    } catch {
      display = '(invalid)';
    }
  }
  return { http, https, noProxy, display };
}

/** The first usable entry of a PAC-style answer, as a proxy URL; null for DIRECT (or nothing usable). */
export function parsePacResult(result: string): string | null {
  for (const part of result.split(';')) {
    const [kind, hostPort] = part.trim().split(/\s+/);
    if (!kind) continue;
    const k = kind.toUpperCase();
    if (k === 'DIRECT') return null;
    if (!hostPort) continue;
    if (k === 'PROXY') return `http://${hostPort}`;
    if (k === 'HTTPS') return `https://${hostPort}`;
    if (k === 'SOCKS' || k === 'SOCKS5') return `socks5://${hostPort}`;
  }
  return null;
}

/**
 * Where a request to one URL goes: `proxy` is the proxy it passes through (credentials removed), or
 * null for a direct connection; `fetch` sends it that way. The upstream client asks for the route,
 * checks it (a secret never crosses a proxy in plain text), then sends on that same route, so the
 * check and the routing can never disagree.
 */
export interface Route {
  proxy: string | null;
  /** Whose proxy: the user's own (Settings) or the system's (OS or environment). */
  via: 'custom' | 'system' | null;
  fetch: FetchLike;
}

export interface Transport {
  route(url: string): Promise<Route>;
  close(): Promise<void>;
}

const direct: FetchLike = (input, init) => fetch(input, init);
const DIRECT: Route = { proxy: null, via: null, fetch: direct };
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function through(dispatcher: Dispatcher): FetchLike {
  return (input, init) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}

/** A proxy URL as it may be shown and logged: scheme, host and port only. */
function shownProxy(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid)';
  }
}

/**
 * NO_PROXY matching, the semantics of undici's EnvHttpProxyAgent (entries split on commas and
 * spaces, `*` for all, `.example.com`/`*.example.com`/`example.com` for a host and its subdomains,
 * `host:port` for one port) plus bracket-less IPv6 literals (`::1`), which undici misreads as a port.
 * By hand because undici keeps its decision private, and the secret check must know the route a
 * request takes before it is sent.
 */
export function bypassesProxy(noProxy: string, url: URL): boolean {
  const entries = noProxy.split(/[,\s]+/).filter(Boolean);
  if (entries.length === 0) return false;
  if (entries.includes('*')) return true;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  return entries.some((raw) => {
    let entry = raw.toLowerCase();
    let entryPort = 0;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const hostPort = /^([^:]+):(\d+)$/.exec(entry);
    if (bracketed) [entry, entryPort] = [bracketed[1]!, Number(bracketed[2] ?? 0)];
    else if (hostPort) [entry, entryPort] = [hostPort[1]!, Number(hostPort[2])];
    entry = entry.replace(/^\*?\./, '');
    if (entryPort && entryPort !== port) return false;
    return host === entry || host.endsWith(`.${entry}`);
  });
}

/** Builds the transport for a proxy configuration. `close` releases its connections. */
export function createTransport(cfg: ProxySettings, env: Env, resolveProxy?: ResolveProxy): Transport {
  const byProxy = new Map<string, FetchLike>();
  const agents: Dispatcher[] = [];
  const via = (proxyUrl: string, who: 'custom' | 'system'): Route => {
    let f = byProxy.get(proxyUrl);
    if (!f) {
      // proxyTunnel false: http:// targets go as absolute-form requests (what curl and most
      // corporate proxies expect); https:// targets are always tunnelled with CONNECT.
      const agent = new ProxyAgent({ uri: proxyUrl, proxyTunnel: false });
      agents.push(agent);
      byProxy.set(proxyUrl, (f = through(agent)));
    }
    return { proxy: shownProxy(proxyUrl), via: who, fetch: f };
  };
  const close = async () => {
    await Promise.allSettled(agents.map((d) => d.close()));
  };
  /** A proxy URL for one URL from an http/https pair and a bypass list (the NO_PROXY rules). */
  const pick = (u: URL, http: string, https: string, noProxy: string) => {
    const proxyUrl = u.protocol === 'https:' ? https || http : http;
    return proxyUrl && !bypassesProxy(noProxy, u) ? proxyUrl : null;
  };

  if (cfg.mode === 'none') return { route: async () => DIRECT, close };
  if (cfg.mode === 'custom') {
    const proxyUrl = checkProxyUrl(cfg.url);
    return { route: async (url) => (pick(new URL(url), proxyUrl, proxyUrl, cfg.noProxy) ? via(proxyUrl, 'custom') : DIRECT), close };
  }

  // system: explicit values, so process.env cannot leak in where the host passed its own env.
  const e = envProxy(env);
  const fromEnv = (u: URL): Route => {
    const proxyUrl = pick(u, e.http, e.https, e.noProxy);
    return proxyUrl ? via(proxyUrl, 'system') : DIRECT;
  };
  const route = async (url: string): Promise<Route> => {
    const u = new URL(url);
    if (!resolveProxy) return fromEnv(u);
    let proxyUrl: string | null = null;
    try {
      proxyUrl = parsePacResult(await resolveProxy(url));
    } catch {
      // The OS could not answer (no session yet, PAC script failed): fall back to the environment.
    }
    return proxyUrl ? via(proxyUrl, 'system') : fromEnv(u);
  };
  return { route, close };
}

/** The stored proxy setting after a change from the settings page (checked; throws `invalid_proxy`). */
export function nextProxySettings(current: ProxySettings, patch: { mode: ProxySettings['mode']; url?: string | undefined; noProxy?: string | undefined }): ProxySettings {
  const url = patch.url !== undefined ? (patch.url.trim() ? checkProxyUrl(patch.url) : '') : current.url;
  if (patch.mode === 'custom' && !url) throw new ServiceError('invalid_proxy', 'Enter the address of the proxy.', { params: { reason: 'missing' } });
  const noProxy = patch.noProxy !== undefined ? patch.noProxy.split(/[\s,]+/).filter(Boolean).join(', ') : current.noProxy;
  return { mode: patch.mode, url, noProxy };
}

interface ProxySource {
  get(): { proxy: ProxySettings };
  onChange(listener: (s: { proxy: ProxySettings }) => void): () => void;
}

/**
 * Keeps the upstream fetch in step with the proxy setting (at start, after a change, after a
 * restore). Connections of the previous setting close once their requests are done.
 */
export function followProxySetting(
  upstream: { setTransport(t: Transport): void },
  settings: ProxySource,
  env: Env,
  resolveProxy: ResolveProxy | undefined,
  log: { warn(msg: string, extra?: unknown): void },
): () => void {
  let current: Transport | null = null;
  let applied = '';
  const apply = (p: ProxySettings) => {
    const key = JSON.stringify(p);
    if (key === applied) return;
    applied = key;
    let next: Transport;
    try {
      next = createTransport(p, env, resolveProxy);
    } catch (err) {
      // Only a hand-edited settings file gets here (the settings page checks the address).
      log.warn('the proxy setting cannot be used; using the system proxy instead', err);
      next = createTransport({ ...p, mode: 'system' }, env, resolveProxy);
    }
    upstream.setTransport(next);
    const old = current;
    current = next;
    void old?.close();
  };
  apply(settings.get().proxy);
  const off = settings.onChange((s) => apply(s.proxy));
  return () => {
    off();
    void current?.close();
  };
}
