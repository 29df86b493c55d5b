// Base URL rules shared by the settings form (inline hint) and main (the authority). Kept free of
// zod for the same reason as headers.ts. A base URL is stored in plain settings, shown in the
// window and written into every backup, so it must not carry a credential: `user:pass@` or a key
// in the query string belongs in the key field or a (secret) header instead.

/** Query parameters that carry credentials in the wild (compared case-insensitively, `-` and `_` alike). */
const CREDENTIAL_PARAMS = new Set([
  'apikey', 'api_key', 'key', 'token', 'access_token', 'accesstoken', 'auth', 'auth_token', 'authorization', 'secret',
  'client_secret', 'password', 'passwd', 'pwd', 'sig', 'signature', 'x-api-key', 'subscription-key', 'code', 'session', 'sessionid',
].map((p) => p.replace(/-/g, '_')));

export type BaseUrlProblem = 'userinfo' | 'credentialParam';

/** Why a base URL cannot be stored, or null (an unparsable URL is the schema's business). */
export function baseUrlProblem(url: string): BaseUrlProblem | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.username !== '' || u.password !== '') return 'userinfo';
  for (const name of u.searchParams.keys()) {
    const n = name.toLowerCase().replace(/-/g, '_');
    if (CREDENTIAL_PARAMS.has(n) || /(^|_)(api_?key|token|secret|password)$/.test(n)) return 'credentialParam';
  }
  return null;
}
