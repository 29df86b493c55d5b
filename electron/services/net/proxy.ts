// The proxy setting, turned into the fetch every upstream call uses (`Upstream.setFetch`).
//
// - custom: undici's EnvHttpProxyAgent with the user's proxy for http and https and their NO_PROXY
//   list. `proxyTunnel: false` makes http:// targets go as absolute-form requests (what curl and
//   most corporate proxies expect); https:// targets are tunnelled with CONNECT.
// - system: the desktop app asks the OS through `resolveProxy` (Electron's session.resolveProxy:
//   system settings, PAC, GNOME/KDE); where that says DIRECT, or in browser mode, the environment's
//   HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply.
// - none: a direct connection.
import { EnvHttpProxyAgent, ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
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

export interface ProxiedFetch {
  fetch: FetchLike;
  close(): Promise<void>;
}

const direct: FetchLike = (input, init) => fetch(input, init);

function through(dispatcher: Dispatcher): FetchLike {
  return (input, init) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}

/** Builds the fetch for a proxy configuration. `close` releases its connections. */
export function createProxiedFetch(cfg: ProxySettings, env: Env, resolveProxy?: ResolveProxy): ProxiedFetch {
  const dispatchers: Dispatcher[] = [];
  const keep = <D extends Dispatcher>(d: D): D => {
    dispatchers.push(d);
    return d;
  };
  const close = async () => {
    await Promise.allSettled(dispatchers.map((d) => d.close()));
  };

  if (cfg.mode === 'none') return { fetch: direct, close };
  if (cfg.mode === 'custom') {
    const url = checkProxyUrl(cfg.url);
    const agent = keep(new EnvHttpProxyAgent({ httpProxy: url, httpsProxy: url, noProxy: cfg.noProxy, proxyTunnel: false }));
    return { fetch: through(agent), close };
  }

  // system: explicit values, so process.env cannot leak in where the host passed its own env.
  const e = envProxy(env);
  const fromEnv: FetchLike = e.http || e.https ? through(keep(new EnvHttpProxyAgent({ httpProxy: e.http, httpsProxy: e.https, noProxy: e.noProxy, proxyTunnel: false }))) : direct;
  if (!resolveProxy) return { fetch: fromEnv, close };

  const byProxy = new Map<string, FetchLike>();
  const fetchFor = (proxyUrl: string): FetchLike => {
    let f = byProxy.get(proxyUrl);
    if (!f) byProxy.set(proxyUrl, (f = through(keep(new ProxyAgent({ uri: proxyUrl, proxyTunnel: false })))));
    return f;
  };
  const viaOs: FetchLike = async (input, init) => {
    const target = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    let proxyUrl: string | null = null;
    try {
      proxyUrl = parsePacResult(await resolveProxy(target));
    } catch {
      // The OS could not answer (no session yet, PAC script failed): fall back to the environment.
    }
    return (proxyUrl ? fetchFor(proxyUrl) : fromEnv)(input, init);
  };
  return { fetch: viaOs, close };
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
  upstream: { setFetch(f: FetchLike): void },
  settings: ProxySource,
  env: Env,
  resolveProxy: ResolveProxy | undefined,
  log: { warn(msg: string, extra?: unknown): void },
): () => void {
  let current: ProxiedFetch | null = null;
  let applied = '';
  const apply = (p: ProxySettings) => {
    const key = JSON.stringify(p);
    if (key === applied) return;
    applied = key;
    let next: ProxiedFetch;
    try {
      next = createProxiedFetch(p, env, resolveProxy);
    } catch (err) {
      // Only a hand-edited settings file gets here (the settings page checks the address).
      log.warn('the proxy setting cannot be used; using the system proxy instead', err);
      next = createProxiedFetch({ ...p, mode: 'system' }, env, resolveProxy);
    }
    upstream.setFetch(next.fetch);
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
