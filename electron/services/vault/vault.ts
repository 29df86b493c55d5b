// API keys live only here, in the main process. The renderer gets `KeyView`s (masked, first 3 and
// last 4 characters); the only way a key enters is `providers.setKeys`, and nothing sends one out.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { KeyView } from '../../contract/index.ts';
import { newId } from '../util/ids.ts';
import { registerSecret, type Logger } from '../log.ts';
import type { SecretCipher } from '../platform.ts';

const StoredKey = z.object({
  id: z.string(),
  data: z.string(),
  source: z.enum(['user', 'env']),
  envName: z.string().optional(),
  failure: z.object({ code: z.string(), at: z.number(), message: z.string().optional() }).optional(),
});
type StoredKey = z.infer<typeof StoredKey>;

const VaultFile = z.object({
  version: z.literal(1),
  backend: z.string(),
  entries: z.record(z.string(), z.array(StoredKey)),
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
});
export type PlainKey = z.infer<typeof PlainKey>;

export class KeyVault {
  private file: VaultFile;
  private readonly path: string;
  /** Decrypted keys, cached so a stream start does not pay a keychain round trip. */
  private plain = new Map<string, string>();
  readonly firstRun: boolean;
  readonly notices: { code: string; params?: Record<string, string> }[] = [];

  private readonly cipher: SecretCipher;
  private readonly now: () => number;

  constructor(dir: string, cipher: SecretCipher, log: Logger, now: () => number = Date.now) {
    this.cipher = cipher;
    this.now = now;
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
    for (const [, keys] of Object.entries(this.file.entries)) {
      for (const k of keys) {
        try {
          const key = this.cipher.decrypt(Buffer.from(k.data, 'base64'));
          this.plain.set(k.id, key);
          registerSecret(key);
        } catch (err) {
          log.warn(`a stored key could not be decrypted (backend ${this.file.backend} → ${cipher.backend})`, err);
          k.failure = { code: 'undecryptable', at: this.now() };
        }
      }
    }
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

  list(providerId: string): KeyView[] {
    return (this.file.entries[providerId] ?? []).map((k) => ({
      id: k.id,
      masked: maskKey(this.plain.get(k.id) ?? ''),
      source: k.source,
      ...(k.envName ? { envName: k.envName } : {}),
      ...(k.failure ? { failure: k.failure } : {}),
    }));
  }

  has(providerId: string): boolean {
    return (this.file.entries[providerId] ?? []).some((k) => this.plain.has(k.id));
  }

  /**
   * Replaces the keys with the lines of `text` (or, with `append`, adds the new ones after them).
   * Keys already stored keep their id and failure mark, so re-pasting a key does not hide why it failed.
   */
  setKeys(providerId: string, text: string, source: 'user' | 'env' = 'user', envName?: string, append = false): void {
    const lines = [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0))];
    const old = this.file.entries[providerId] ?? [];
    const fresh: StoredKey[] = lines.map((key) => {
      const kept = old.find((k) => this.plain.get(k.id) === key);
      if (kept) return kept;
      const id = newId('k');
      this.plain.set(id, key);
      registerSecret(key);
      return { id, data: this.cipher.encrypt(key).toString('base64'), source, ...(envName ? { envName } : {}) };
    });
    const next = append ? [...old, ...fresh.filter((k) => !old.includes(k))] : fresh;
    for (const k of old) if (!next.includes(k)) this.plain.delete(k.id);
    if (next.length) this.file.entries[providerId] = next;
    else delete this.file.entries[providerId];
    this.save();
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

  /** A specific key (for "Check" on one key), or null when it is gone or cannot be decrypted. */
  get(providerId: string, keyId: string): PickedKey | null {
    const k = (this.file.entries[providerId] ?? []).find((x) => x.id === keyId);
    const key = k ? this.plain.get(k.id) : undefined;
    return k && key !== undefined ? { id: k.id, key } : null;
  }

  removeProvider(providerId: string): void {
    for (const k of this.file.entries[providerId] ?? []) this.plain.delete(k.id);
    delete this.file.entries[providerId];
    this.save();
  }

  /** The key to use next: the first one not marked failed, else the one that failed longest ago. */
  pick(providerId: string): PickedKey | null {
    const keys = (this.file.entries[providerId] ?? []).filter((k) => this.plain.has(k.id));
    if (!keys.length) return null;
    const chosen = keys.find((k) => !k.failure) ?? [...keys].sort((a, b) => (a.failure?.at ?? 0) - (b.failure?.at ?? 0))[0]!;
    return { id: chosen.id, key: this.plain.get(chosen.id)! };
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

  /** Every key that can be decrypted here, by provider (backup with a passphrase). */
  exportAll(): Record<string, PlainKey[]> {
    const out: Record<string, PlainKey[]> = {};
    for (const [providerId, keys] of Object.entries(this.file.entries)) {
      const list: PlainKey[] = [];
      for (const k of keys) {
        const key = this.plain.get(k.id);
        if (key === undefined) continue;
        list.push({ id: k.id, key, source: k.source, ...(k.envName ? { envName: k.envName } : {}), ...(k.failure ? { failure: k.failure } : {}) });
      }
      if (list.length) out[providerId] = list;
    }
    return out;
  }

  /** Replaces every stored key at once (restore); the file is rewritten atomically. */
  replaceAll(entries: Record<string, PlainKey[]>): void {
    const file: VaultFile = { version: 1, backend: this.cipher.backend, entries: {} };
    const plain = new Map<string, string>();
    for (const [providerId, keys] of Object.entries(entries)) {
      if (!keys.length) continue;
      file.entries[providerId] = keys.map((k) => {
        const id = k.id && !plain.has(k.id) ? k.id : newId('k');
        plain.set(id, k.key);
        registerSecret(k.key);
        return { id, data: this.cipher.encrypt(k.key).toString('base64'), source: k.source, ...(k.envName ? { envName: k.envName } : {}), ...(k.failure ? { failure: k.failure } : {}) };
      });
    }
    const previous = this.file;
    this.file = file;
    try {
      this.save();
    } catch (err) {
      this.file = previous;
      throw err;
    }
    this.plain = plain;
  }

  /** First run only: keys found in the environment are imported and shown as "from environment". */
  importFromEnv(env: Readonly<Record<string, string | undefined>>, map: { providerId: string; envKeys: string[] }[]): void {
    if (!this.firstRun) return;
    let changed = false;
    for (const { providerId, envKeys } of map) {
      if (this.has(providerId)) continue;
      for (const name of envKeys) {
        const value = env[name]?.trim();
        if (value) {
          this.setKeys(providerId, value, 'env', name);
          changed = true;
          break;
        }
      }
    }
    if (!changed) this.save();
  }
}
