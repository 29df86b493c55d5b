// API keys (and secret header values) live only here, in the main process. The renderer gets
// `KeyView`s (masked, first 3 and last 4 characters); the only ways a secret enters are
// `providers.setKeys` and a provider's headers, and nothing sends one out.
//
// Each secret records the origin it was saved for (secrets/bound.ts: it is only ever sent there)
// and the cipher that sealed it: desktop and browser mode share one data folder but not one
// cipher, so a key the current mode cannot open is named for what it is ("saved by the desktop
// app"), not reported as damage. File length: keys and secret headers share the file, the cipher
// bookkeeping and the backup path; splitting them would duplicate that (~470 lines).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { KeyView } from '../../contract/index.ts';
import { newId } from '../util/ids.ts';
import { registerSecret, type Logger } from '../log.ts';
import type { SecretCipher } from '../platform.ts';
import { boundTo, originOf } from '../secrets/bound.ts';

/** Which mode's cipher a backend belongs to: the browser-mode file cipher, or the desktop OS store. */
export function cipherFamily(backend: string): 'file' | 'desktop' {
  return backend.startsWith('file') ? 'file' : 'desktop';
}

/** Why a sealed secret cannot be opened here: the other mode sealed it, or it is damaged. */
function openFailure(sealedBy: string, current: string): string {
  const from = cipherFamily(sealedBy);
  if (from === cipherFamily(current)) return 'undecryptable';
  return from === 'desktop' ? 'sealed_by_desktop' : 'sealed_by_browser';
}

const StoredKey = z.object({
  id: z.string(),
  data: z.string(),
  source: z.enum(['user', 'env']),
  envName: z.string().optional(),
  failure: z.object({ code: z.string(), at: z.number(), message: z.string().optional() }).optional(),
  /** The origin the key may be sent to; absent in vaults written before keys were bound (see bindUnbound). */
  origin: z.string().optional(),
  /** The cipher backend that sealed it; absent in older vaults, where the file's `backend` says. */
  sealedBy: z.string().optional(),
});
export type StoredKey = z.infer<typeof StoredKey>;

const StoredHeader = z.object({
  name: z.string(),
  data: z.string(),
  origin: z.string().optional(),
  sealedBy: z.string().optional(),
});
export type StoredHeader = z.infer<typeof StoredHeader>;

const VaultFile = z.object({
  version: z.literal(1),
  backend: z.string(),
  entries: z.record(z.string(), z.array(StoredKey)),
  /** Secret custom header values by provider. */
  headers: z.record(z.string(), z.array(StoredHeader)).optional(),
});
type VaultFile = z.infer<typeof VaultFile>;

export function maskKey(key: string): string {
  if (key.length < 12) return '•'.repeat(4) + key.slice(-2);
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

export interface PickedKey {
  id: string;
  key: string;
}

/** A key in plain text with what the settings page shows about it; only for passphrase-sealed backups. */
export const PlainKey = z.strictObject({
  /** Kept across a restore, so usage already recorded for the key stays attached to it. */
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/).optional(),
  key: z.string().min(1).max(4096),
  source: z.enum(['user', 'env']),
  envName: z.string().max(100).optional(),
  failure: z.strictObject({ code: z.string().max(100), at: z.number(), message: z.string().max(2000).optional() }).optional(),
  /** Absent in backups written before keys were bound: bound on first use to the provider's base URL then. */
  origin: z.string().max(2100).optional(),
});
export type PlainKey = z.infer<typeof PlainKey>;

/** A secret header in plain text (passphrase-sealed backups only). */
export const PlainHeader = z.strictObject({ name: z.string().min(1).max(200), value: z.string().max(4096), origin: z.string().max(2100).optional() });
export type PlainHeader = z.infer<typeof PlainHeader>;

/** A secret header as the settings page sees it: never the value. */
export interface SecretHeaderView {
  name: string;
  masked: string;
  /** Saved for another origin than the provider's base URL now: it is not sent. */
  detached?: true;
  /** Cannot be opened here (e.g. 'sealed_by_desktop'). */
  failure?: string;
}

/** A secret header ready to send (the registry only hands out the ones bound to the request's origin). */
export interface OpenHeader {
  name: string;
  value: string;
  origin: string | undefined;
}

export interface SetKeysOptions {
  /** Where the keys may be sent: the origin of the provider's base URL now. */
  origin: string | null;
  source?: 'user' | 'env';
  envName?: string | undefined;
  append?: boolean;
}

/**
 * Stored secrets this mode cannot open (sealed by the other mode, or damaged), as they are on disk.
 * A restore carries them across untouched: only the mode that sealed them can, and they are not ours to drop.
 */
export interface UnopenedSecrets {
  readonly keys: Readonly<Record<string, readonly StoredKey[]>>;
  readonly headers: Readonly<Record<string, readonly StoredHeader[]>>;
}

export class KeyVault {
  private file: VaultFile;
  private readonly path: string;
  /** Decrypted secrets by key id (or `h:<provider>:<name>` for headers), cached so a stream start does not pay a keychain round trip. */
  private plain = new Map<string, string>();
  /** Why a secret could not be opened at load, by the same ids. */
  private unopened = new Map<string, string>();
  readonly firstRun: boolean;
  readonly notices: { code: string; params?: Record<string, string> }[] = [];

  private readonly cipher: SecretCipher;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(dir: string, cipher: SecretCipher, log: Logger, now: () => number = Date.now) {
    this.cipher = cipher;
    this.now = now;
    this.log = log;
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'keys.json');
    this.firstRun = !existsSync(this.path);
    this.file = { version: 1, backend: cipher.backend, entries: {} };
    if (!this.firstRun) {
      try {
        this.file = VaultFile.parse(JSON.parse(readFileSync(this.path, 'utf8')));
      } catch (err) {
        const backup = `${this.path}.corrupt-${this.now()}`;
        try {
          renameSync(this.path, backup);
        } catch {
          /* keep going with an empty vault */
        }
        log.error('key vault unreadable; starting with no keys', err);
        this.notices.push({ code: 'vault_corrupt', params: { backup } });
      }
    }
    for (const keys of Object.values(this.file.entries)) {
      for (const k of keys) {
        const failure = this.open(k.id, k);
        // A key the other mode sealed is marked so (not as damage); a later open in that mode clears it.
        if (failure) k.failure = { code: failure, at: this.now() };
        else if (k.failure && /^(undecryptable|sealed_by_)/.test(k.failure.code)) delete k.failure;
      }
    }
    for (const [providerId, headers] of Object.entries(this.file.headers ?? {})) for (const h of headers) this.open(headerId(providerId, h.name), h);
  }

  /** Decrypts one sealed secret into the cache; returns why it could not be opened, or null. */
  private open(id: string, sealed: { data: string; sealedBy?: string | undefined }): string | null {
    try {
      const value = this.cipher.decrypt(Buffer.from(sealed.data, 'base64'));
      this.plain.set(id, value);
      registerSecret(value);
      return null;
    } catch (err) {
      const sealedBy = sealed.sealedBy ?? this.file.backend;
      this.log.warn(`a stored secret could not be decrypted (sealed by ${sealedBy}, this mode uses ${this.cipher.backend})`, err);
      const failure = openFailure(sealedBy, this.cipher.backend);
      this.unopened.set(id, failure);
      return failure;
    }
  }

  private seal(value: string): { data: string; sealedBy: string } {
    registerSecret(value);
    return { data: this.cipher.encrypt(value).toString('base64'), sealedBy: this.cipher.backend };
  }

  get info() {
    return { backend: this.cipher.backend, encrypted: this.cipher.encrypted, weak: this.cipher.weak };
  }

  private save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.file), { mode: 0o600 });
    renameSync(tmp, this.path);
    try {
      chmodSync(this.path, 0o600);
    } catch {
      /* see file-cipher.ts */
    }
  }

  /** The keys as the settings page shows them; with `origin`, keys saved for another origin are marked detached. */
  list(providerId: string, origin?: string | null): KeyView[] {
    return (this.file.entries[providerId] ?? []).map((k) => ({
      id: k.id,
      masked: maskKey(this.plain.get(k.id) ?? ''),
      source: k.source,
      ...(k.envName ? { envName: k.envName } : {}),
      ...(k.failure ? { failure: k.failure } : {}),
      ...(k.origin ? { origin: k.origin } : {}),
      ...(origin !== undefined && k.origin !== origin ? { detached: true as const } : {}),
    }));
  }

  has(providerId: string): boolean {
    return (this.file.entries[providerId] ?? []).some((k) => this.plain.has(k.id));
  }

  /**
   * Replaces the keys with the lines of `text` (or, with `append`, adds the new ones after them),
   * bound to `o.origin`. Keys already stored keep their id and failure mark, so re-pasting a key
   * does not hide why it failed; pasting it here is what binds it to this origin.
   */
  setKeys(providerId: string, text: string, o: SetKeysOptions): void {
    const origin = o.origin ?? undefined;
    const lines = [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0))];
    const old = this.file.entries[providerId] ?? [];
    const fresh: StoredKey[] = lines.map((key) => {
      const kept = old.find((k) => this.plain.get(k.id) === key);
      if (kept) {
        if (origin) kept.origin = origin;
        return kept;
      }
      const id = newId('k');
      this.plain.set(id, key);
      return { id, ...this.seal(key), source: o.source ?? 'user', ...(o.envName ? { envName: o.envName } : {}), ...(origin ? { origin } : {}) };
    });
    const next = o.append ? [...old, ...fresh.filter((k) => !old.includes(k))] : fresh;
    for (const k of old) if (!next.includes(k)) this.plain.delete(k.id);
    if (next.length) this.file.entries[providerId] = next;
    else delete this.file.entries[providerId];
    this.save();
  }

  /** Binds secrets stored before binding existed to `origin` (the provider's base URL when first seen). */
  bindUnbound(providerId: string, origin: string | null): void {
    if (!origin) return;
    let changed = false;
    for (const s of [...(this.file.entries[providerId] ?? []), ...(this.file.headers?.[providerId] ?? [])]) {
      if (s.origin) continue;
      s.origin = origin;
      changed = true;
    }
    if (changed) this.save();
  }

  /** Removes one key; returns false when it was not there. */
  removeKey(providerId: string, keyId: string): boolean {
    const keys = this.file.entries[providerId] ?? [];
    const next = keys.filter((k) => k.id !== keyId);
    if (next.length === keys.length) return false;
    this.plain.delete(keyId);
    if (next.length) this.file.entries[providerId] = next;
    else delete this.file.entries[providerId];
    this.save();
    return true;
  }

  /** A specific key bound to `origin` (for "Check" on one key), or null when it is gone, detached or cannot be decrypted. */
  get(providerId: string, keyId: string, origin: string | null): PickedKey & { origin: string } | null {
    const k = boundTo(this.file.entries[providerId] ?? [], origin).find((x) => x.id === keyId);
    const key = k ? this.plain.get(k.id) : undefined;
    return k?.origin && key !== undefined ? { id: k.id, key, origin: k.origin } : null;
  }

  removeProvider(providerId: string): void {
    for (const k of this.file.entries[providerId] ?? []) this.plain.delete(k.id);
    delete this.file.entries[providerId];
    if (this.file.headers) delete this.file.headers[providerId];
    this.save();
  }

  /** The key to use next among those bound to `origin`: the first not marked failed, else the one that failed longest ago. */
  pick(providerId: string, origin: string | null): PickedKey & { origin: string } | null {
    const keys = boundTo(this.file.entries[providerId] ?? [], origin).filter((k) => this.plain.has(k.id));
    if (!keys.length) return null;
    const chosen = keys.find((k) => !k.failure) ?? [...keys].sort((a, b) => (a.failure?.at ?? 0) - (b.failure?.at ?? 0))[0]!;
    return { id: chosen.id, key: this.plain.get(chosen.id)!, origin: chosen.origin! };
  }

  markFailed(providerId: string, keyId: string, code: string, message?: string): void {
    const k = (this.file.entries[providerId] ?? []).find((x) => x.id === keyId);
    if (!k) return;
    k.failure = { code, at: this.now(), ...(message ? { message } : {}) };
    this.save();
  }

  markOk(providerId: string, keyId: string): void {
    const k = (this.file.entries[providerId] ?? []).find((x) => x.id === keyId);
    if (!k?.failure) return;
    delete k.failure;
    this.save();
  }

  // -- secret header values ------------------------------------------------------------------

  /** The secret headers as the settings page shows them (masked; detached relative to `origin`). */
  headerViews(providerId: string, origin: string | null): SecretHeaderView[] {
    return (this.file.headers?.[providerId] ?? []).map((h) => {
      const id = headerId(providerId, h.name);
      const failure = this.unopened.get(id);
      return { name: h.name, masked: maskKey(this.plain.get(id) ?? ''), ...(h.origin !== origin ? { detached: true as const } : {}), ...(failure ? { failure } : {}) };
    });
  }

  /** Secret header values bound to `origin`, ready to send there. */
  openHeaders(providerId: string, origin: string | null): OpenHeader[] {
    const out: OpenHeader[] = [];
    for (const h of boundTo(this.file.headers?.[providerId] ?? [], origin)) {
      const value = this.plain.get(headerId(providerId, h.name));
      if (value !== undefined) out.push({ name: h.name, value, origin: h.origin });
    }
    return out;
  }

  /**
   * The provider's secret headers become `set` (sealed, bound to `origin`) plus the stored ones
   * named in `keep`, which keep their value and binding; every other stored one is dropped.
   */
  setHeaders(providerId: string, set: Record<string, string>, keep: readonly string[], origin: string | null): void {
    const old = this.file.headers?.[providerId] ?? [];
    const next: StoredHeader[] = [];
    for (const h of old) if (keep.includes(h.name) && !(h.name in set)) next.push(h);
    for (const [name, value] of Object.entries(set)) {
      this.plain.set(headerId(providerId, name), value);
      this.unopened.delete(headerId(providerId, name));
      next.push({ name, ...this.seal(value), ...(origin ? { origin } : {}) });
    }
    for (const h of old) if (!next.some((n) => n.name === h.name)) this.plain.delete(headerId(providerId, h.name));
    const headers = { ...(this.file.headers ?? {}) };
    if (next.length) headers[providerId] = next;
    else delete headers[providerId];
    this.file.headers = headers;
    this.save();
  }

  // -- backup ----------------------------------------------------------------------------------

  /** Every key that can be decrypted here, by provider (backup with a passphrase). */
  exportAll(): Record<string, PlainKey[]> {
    const out: Record<string, PlainKey[]> = {};
    for (const [providerId, keys] of Object.entries(this.file.entries)) {
      const list: PlainKey[] = [];
      for (const k of keys) {
        const key = this.plain.get(k.id);
        if (key === undefined) continue;
        list.push({ id: k.id, key, source: k.source, ...(k.envName ? { envName: k.envName } : {}), ...(k.failure ? { failure: k.failure } : {}), ...(k.origin ? { origin: k.origin } : {}) });
      }
      if (list.length) out[providerId] = list;
    }
    return out;
  }

  /** Every secret header that can be decrypted here, by provider (backup with a passphrase). */
  exportHeaders(): Record<string, PlainHeader[]> {
    const out: Record<string, PlainHeader[]> = {};
    for (const [providerId, headers] of Object.entries(this.file.headers ?? {})) {
      const list: PlainHeader[] = [];
      for (const h of headers) {
        const value = this.plain.get(headerId(providerId, h.name));
        if (value !== undefined) list.push({ name: h.name, value, ...(h.origin ? { origin: h.origin } : {}) });
      }
      if (list.length) out[providerId] = list;
    }
    return out;
  }

  /**
   * Every stored secret this mode cannot open, by provider, as sealed (exportAll and exportHeaders leave these out);
   * each names the cipher that sealed it, since the file's own `backend` becomes this mode's once rewritten.
   */
  unopenedSecrets(): UnopenedSecrets {
    const keys: Record<string, StoredKey[]> = {};
    for (const [providerId, list] of Object.entries(this.file.entries)) {
      const sealed = list.filter((k) => !this.plain.has(k.id)).map((k) => ({ ...structuredClone(k), sealedBy: k.sealedBy ?? this.file.backend }));
      if (sealed.length) keys[providerId] = sealed;
    }
    const headers: Record<string, StoredHeader[]> = {};
    for (const [providerId, list] of Object.entries(this.file.headers ?? {})) {
      const sealed = list.filter((h) => !this.plain.has(headerId(providerId, h.name))).map((h) => ({ ...h, sealedBy: h.sealedBy ?? this.file.backend }));
      if (sealed.length) headers[providerId] = sealed;
    }
    return { keys, headers };
  }

  /**
   * Replaces every stored key (and, when given, every secret header) at once (restore); the file is rewritten atomically.
   * `unopened` (from `unopenedSecrets`) is kept as it is after the plain ones: a keyless restore in one mode must not
   * drop what the other mode sealed in the same data folder. Its headers count only when `headers` is given
   * (without it every stored header stays anyway); a plain secret wins over a sealed one of the same header name.
   */
  replaceAll(entries: Record<string, PlainKey[]>, headers?: Record<string, PlainHeader[]>, unopened?: UnopenedSecrets): void {
    const file: VaultFile = { version: 1, backend: this.cipher.backend, entries: {}, ...(this.file.headers ? { headers: this.file.headers } : {}) };
    const plain = new Map<string, string>();
    for (const [id, value] of this.plain) if (id.startsWith('h:')) plain.set(id, value);
    const sealedIds = new Set(Object.values(unopened?.keys ?? {}).flatMap((list) => list.map((k) => k.id)));
    for (const providerId of new Set([...Object.keys(entries), ...Object.keys(unopened?.keys ?? {})])) {
      const fresh = (entries[providerId] ?? []).map((k): StoredKey => {
        const id = k.id && !plain.has(k.id) && !sealedIds.has(k.id) ? k.id : newId('k');
        plain.set(id, k.key);
        return { id, ...this.seal(k.key), source: k.source, ...(k.envName ? { envName: k.envName } : {}), ...(k.failure ? { failure: k.failure } : {}), ...(k.origin ? { origin: k.origin } : {}) };
      });
      const list = [...fresh, ...(unopened?.keys[providerId] ?? []).map((k) => structuredClone(k))];
      if (list.length) file.entries[providerId] = list;
    }
    const reasons = new Map<string, string>();
    const carried = (id: string, sealedBy: string | undefined) => reasons.set(id, this.unopened.get(id) ?? openFailure(sealedBy ?? this.file.backend, this.cipher.backend));
    for (const list of Object.values(unopened?.keys ?? {})) for (const k of list) carried(k.id, k.sealedBy);
    if (headers) {
      for (const id of [...plain.keys()]) if (id.startsWith('h:')) plain.delete(id);
      file.headers = {};
      for (const providerId of new Set([...Object.keys(headers), ...Object.keys(unopened?.headers ?? {})])) {
        const fresh = (headers[providerId] ?? []).map((h): StoredHeader => {
          plain.set(headerId(providerId, h.name), h.value);
          return { name: h.name, ...this.seal(h.value), ...(h.origin ? { origin: h.origin } : {}) };
        });
        const sealed = (unopened?.headers[providerId] ?? []).filter((h) => !fresh.some((f) => f.name.toLowerCase() === h.name.toLowerCase()));
        for (const h of sealed) carried(headerId(providerId, h.name), h.sealedBy);
        const list = [...fresh, ...sealed.map((h) => structuredClone(h))];
        if (list.length) file.headers[providerId] = list;
      }
    } else for (const [id, why] of this.unopened) if (id.startsWith('h:')) reasons.set(id, why);
    const previous = this.file;
    this.file = file;
    try {
      this.save();
    } catch (err) {
      this.file = previous;
      throw err;
    }
    this.plain = plain;
    // Why a carried secret cannot be opened stays known; a secret replaced by a plain one has no reason left.
    this.unopened = reasons;
  }

  /** First run only: keys found in the environment are imported, shown as "from environment" and bound like pasted ones. */
  importFromEnv(env: Readonly<Record<string, string | undefined>>, map: { providerId: string; envKeys: string[]; baseUrl: string | null }[]): void {
    if (!this.firstRun) return;
    let changed = false;
    for (const { providerId, envKeys, baseUrl } of map) {
      if (this.has(providerId)) continue;
      for (const name of envKeys) {
        const value = env[name]?.trim();
        if (value) {
          this.setKeys(providerId, value, { origin: baseUrl ? originOf(baseUrl) : null, source: 'env', envName: name });
          changed = true;
          break;
        }
      }
    }
    if (!changed) this.save();
  }
}

const headerId = (providerId: string, name: string) => `h:${providerId}:${name.toLowerCase()}`;
