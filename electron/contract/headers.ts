// Header rules shared by the settings form (inline hint) and main (the authority). Kept free of zod so
// the renderer can import it without pulling a validation library — and zod's eval probe, which the
// CSP reports as a violation — into the page.

/** Headers Kaiwa sets itself, or that would carry a secret in plain settings (keys belong in the vault). */
const RESERVED_HEADERS = new Set([
  'host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect',
  'accept-encoding', 'authorization', 'proxy-authorization', 'cookie',
]);
const SECRET_HEADER = /api[-_]?key|token|secret|password|credential/i;

export type HeaderProblem = 'empty' | 'name' | 'value' | 'reserved' | 'secret' | 'duplicate';

/**
 * Why a custom header cannot be used, or null. Shared by the settings form (inline hint) and main
 * (the authority). Secrets are refused because headers live in plain settings and are shown in the
 * window; keys go into the key field, which is encrypted and never sent back.
 */
export function headerProblem(name: string, value: string): HeaderProblem | null {
  if (name.trim() === '') return 'empty';
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || name.length > 200) return 'name';
  if (/[\r\n\0]/.test(value) || value.length > 4096) return 'value';
  const lower = name.toLowerCase();
  if (RESERVED_HEADERS.has(lower)) return lower === 'authorization' || lower === 'proxy-authorization' || lower === 'cookie' ? 'secret' : 'reserved';
  if (SECRET_HEADER.test(lower)) return 'secret';
  return null;
}
