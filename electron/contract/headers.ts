// Header rules shared by the settings form (inline hint) and main (the authority). Kept free of zod so
// the renderer can import it without pulling a validation library — and zod's eval probe, which the
// CSP reports as a violation — into the page.

/** Headers Kaiwa sets itself; Authorization comes from the key field (so it is bound and rotated like a key). */
const RESERVED_HEADERS = new Set([
  'host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect',
  'accept-encoding', 'authorization', 'proxy-authorization', 'cookie',
]);
const SECRET_HEADER = /api[-_]?key|token|secret|password|credential/i;

/** A value that is a credential whatever the header is called (`Bearer …`, `sk-…`, `Basic …`). */
const SECRET_VALUE = /^\s*(bearer|basic|token)\s+\S|\bsk-[A-Za-z0-9_-]{6,}|\bms-[0-9a-f]{8}-/i;

export type HeaderProblem = 'empty' | 'name' | 'value' | 'reserved' | 'secret' | 'looksSecret' | 'duplicate';

/**
 * Why a custom header cannot be used, or null. Shared by the settings form (inline hint) and main
 * (the authority). Header values are secret by default (sealed in the vault, shown masked, sent
 * only to the origin they were saved for); one the user marks "not secret" is kept in plain
 * settings, so it must not look like a credential by name or by value.
 */
export function headerProblem(name: string, value: string, secret = true): HeaderProblem | null {
  if (name.trim() === '') return 'empty';
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || name.length > 200) return 'name';
  if (/[\r\n\0]/.test(value) || value.length > 4096) return 'value';
  const lower = name.toLowerCase();
  if (RESERVED_HEADERS.has(lower)) return lower === 'authorization' || lower === 'proxy-authorization' || lower === 'cookie' ? 'secret' : 'reserved';
  if (!secret && (SECRET_HEADER.test(lower) || SECRET_VALUE.test(value))) return 'looksSecret';
  return null;
}
