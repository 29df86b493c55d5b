// Display helpers for the settings page. Pure functions; no strings the user reads beyond numbers.

/** 128000 → "128K", 131072 → "128K", 66536 → "66.5K": round thousands, else exact KiB, else decimal. */
export function formatTokens(n: number): string {
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}K`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}K`;
  if (n >= 1000) return `${Math.round(n / 100) / 10}K`;
  return String(n);
}

/** USD per 1M tokens, without trailing zeros: 1.35 → "$1.35", 4 → "$4", 0.08 → "$0.08". */
export function formatPrice(n: number): string {
  return `$${Number(n.toFixed(4))}`;
}

/**
 * The URL the main process will POST to for this base URL, or null when it is not an http(s) URL.
 * Same rule as main's `requestUrl` (trailing slashes dropped, then /chat/completions), kept here so
 * the preview follows every keystroke without a round trip.
 */
export function previewRequestUrl(base: string): string | null {
  const trimmed = base.trim();
  try {
    const u = new URL(trimmed);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  } catch {
    return null;
  }
  return `${trimmed.replace(/\/+$/, '')}/chat/completions`;
}

/** A number field's text → number, or undefined when empty/invalid. */
export function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export type VaultText = 'os' | 'basicText' | 'noOsEncryption' | 'browserFile' | 'weakOther';

/**
 * Which plain statement about key protection applies. Backends come from the host's cipher:
 * 'file' (browser mode), 'file (no OS encryption available)' (desktop without safeStorage),
 * 'basic_text' (Linux without a keyring), or an OS backend (keychain, dpapi, gnome_libsecret, kwallet…).
 */
export function vaultText(backend: string, weak: boolean, mode: 'desktop' | 'web'): VaultText {
  if (backend.startsWith('file')) return mode === 'web' ? 'browserFile' : 'noOsEncryption';
  if (backend === 'basic_text') return 'basicText';
  return weak ? 'weakOther' : 'os';
}

/** Why a stored key cannot be used here at all (the other mode sealed it, or it is damaged). */
const UNOPENED = new Set(['undecryptable', 'sealed_by_desktop', 'sealed_by_browser']);

/** Keys that can be sent where the provider points now: not detached, and openable in this mode. */
export function usableKeys<K extends { detached?: true | undefined; failure?: { code: string } | undefined }>(keys: readonly K[]): K[] {
  return keys.filter((k) => !k.detached && !(k.failure && UNOPENED.has(k.failure.code)));
}
