// The secrets of one provider (API keys, secret header values) and where they may go. Every secret
// is bound to the origin of the provider's base URL at the moment it was stored (secrets/bound.ts);
// this module keeps that true across the two ways data older than the rule reaches the vault —
// a first start after upgrading and a restored backup — and splits custom headers into the
// plain ones the user marked "not secret" and the sealed rest.
import { baseUrlProblem, headerProblem, type HeaderProblem } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { originOf } from '../secrets/bound.ts';
import type { SettingsStore, StoredProvider } from '../settings/store.ts';
import type { KeyVault } from '../vault/vault.ts';

/**
 * Binds secrets stored before binding existed to the provider's base URL as it is now, and moves
 * headers kept in plain settings by older versions into the vault (secret by default). Cheap when
 * there is nothing to do; called before anything reads or changes a provider's secrets.
 */
export function settleSecrets(settings: SettingsStore, vault: KeyVault, p: StoredProvider, baseUrl: string): void {
  const origin = originOf(baseUrl);
  vault.bindUnbound(p.id, origin);
  if (p.headersSealed || !Object.keys(p.headers).length) return;
  vault.setHeaders(p.id, p.headers, vault.headerViews(p.id, origin).map((h) => h.name), origin);
  settings.update((s) => {
    const x = s.providers.find((q) => q.id === p.id);
    if (!x) return;
    x.headers = {};
    x.headersSealed = true;
  });
}

export interface HeaderPatch {
  headers: Record<string, string>;
  /** Names the user marked "not secret". */
  publicHeaders?: readonly string[] | undefined;
  /** Stored secret headers kept as they are. */
  keepSecretHeaders?: readonly string[] | undefined;
}

/** Splits a header patch into plain and secret values, refusing any header that cannot be used (as the form would). */
export function splitHeaders(patch: HeaderPatch, stored: readonly string[]): { plain: Record<string, string>; secret: Record<string, string>; keep: string[] } {
  const publicNames = new Set((patch.publicHeaders ?? []).map((n) => n.toLowerCase()));
  const keep = (patch.keepSecretHeaders ?? []).filter((n) => stored.includes(n) && !(n in patch.headers));
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of [...Object.entries(patch.headers), ...keep.map((n) => [n, ''] as const)]) {
    const lower = name.toLowerCase();
    const isPublic = publicNames.has(lower);
    const kept = keep.includes(name) && !(name in patch.headers);
    const problem: HeaderProblem | null = seen.has(lower) ? 'duplicate' : kept ? null : headerProblem(name, value, !isPublic);
    seen.add(lower);
    if (problem) {
      throw new ServiceError('invalid_header', `The header "${name}" cannot be used (${problem}).`, { params: { header: name, reason: problem } });
    }
    if (kept) continue;
    if (isPublic) plain[name] = value;
    else secret[name] = value;
  }
  return { plain, secret, keep };
}

/** Throws a ServiceError the settings page can show when custom headers cannot be used. */
export function validateHeaders(headers: Record<string, string>): void {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const problem = seen.has(lower) ? 'duplicate' : headerProblem(name, value);
    seen.add(lower);
    if (problem) {
      throw new ServiceError('invalid_header', `The header "${name}" cannot be used (${problem}).`, { params: { header: name, reason: problem } });
    }
  }
}

/**
 * Throws when a base URL carries credentials: it is stored in plain settings, shown in the window
 * and written into every backup. The message points at the key field and secret headers.
 */
export function validateBaseUrl(url: string): void {
  const problem = baseUrlProblem(url);
  if (problem) {
    throw new ServiceError('invalid_base_url', 'A base URL cannot carry credentials: put the key in the API key field, or in a header.', { params: { reason: problem } });
  }
}
