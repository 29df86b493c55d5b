// A secret belongs to the place it was saved for: the origin (scheme, host, port) of the address it
// was meant to be sent to. An API key pasted for https://api-inference.modelscope.cn is never sent
// anywhere else, whatever later happens to the provider's base URL — a renderer taken over by model
// output could otherwise re-point the provider at its own listener and collect the key. The same
// rule serves every kind of stored secret (API keys, secret header values, later MCP secrets):
// store the origin next to the secret, and ask `mayReceive` at the moment of sending.

/** The origin a URL's requests go to ("https://host:port", default ports dropped), or null when it is no http(s) URL. */
export function originOf(url: string | URL): string | null {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

export interface BoundSecret {
  /** Where the secret may be sent; absent only in data written before secrets were bound. */
  origin?: string | undefined;
}

/** True when a request to `url` may carry a secret bound to `origin`. Fails closed on anything unclear. */
export function mayReceive(origin: string | null | undefined, url: string | URL): boolean {
  if (!origin) return false;
  const target = originOf(url);
  return target !== null && target === origin;
}

/** The secrets of a list bound to `origin` (detached ones stay stored, unused); none for no origin. */
export function boundTo<T extends BoundSecret>(secrets: readonly T[], origin: string | null): T[] {
  return origin ? secrets.filter((s) => s.origin === origin) : [];
}
