// The backup file: one JSON document holding the settings, the history database (SQLite, gzipped,
// base64) and — only when the user chose a passphrase — the API keys sealed with it.
//
//   { format: "kaiwa.backup", version: 1, createdAt, app, checksum, settings, keys, history }
//
// `checksum` is the SHA-256 of the canonical JSON (sorted keys, no spaces) of everything else, so
// any changed byte is found before anything is restored; `history.sha256` covers the database bytes.
import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import { SealedBox } from './seal.ts';

export const BACKUP_FORMAT = 'kaiwa.backup';
export const BACKUP_VERSION = 1;
export const HISTORY_ENCODING = 'sqlite+gzip+base64';
/** Backups larger than this are refused (they are held in memory while checked). */
export const MAX_BACKUP_CHARS = 1024 * 1024 * 1024;
/**
 * The largest history a restore unpacks. gzip packs up to ~1000:1, so the file's size says little:
 * a 1.4 MB backup unpacked to 1 GB. Text chat history is a few hundred MB only after years of
 * heavy use (tens of thousands of long answers plus their search index), and the unpacked bytes
 * are held in memory, then written and integrity-checked, so 512 MB keeps a restore to what a
 * desktop can afford while leaving room for any real history. A history larger than the backup
 * declares is stopped at the declared size (and refused as damaged).
 */
export const MAX_HISTORY_BYTES = 512 * 1024 * 1024;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const BackupFile = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string().max(100),
  app: z.strictObject({ name: z.string().max(100), version: z.string().max(100) }),
  checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  settings: z.strictObject({
    schemaVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
    data: z.record(z.string(), z.unknown()),
  }),
  keys: SealedBox.nullable(),
  history: z.strictObject({
    encoding: z.literal(HISTORY_ENCODING),
    /** PRAGMA user_version of the database inside. */
    schemaVersion: z.number().int().nonnegative(),
    bytes: z.number().int().positive(),
    sha256: Hex64,
    data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
  }),
});
export type BackupFile = z.infer<typeof BackupFile>;

/** Feeds the canonical JSON of `v` to a hash, piece by piece (the history string can be large). */
function feed(h: Hash, v: unknown): void {
  if (v === null || typeof v !== 'object') {
    h.update(JSON.stringify(v) ?? 'null');
  } else if (Array.isArray(v)) {
    h.update('[');
    v.forEach((x, i) => {
      if (i) h.update(',');
      feed(h, x);
    });
    h.update(']');
  } else {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    h.update('{');
    keys.forEach((k, i) => {
      if (i) h.update(',');
      h.update(JSON.stringify(k));
      h.update(':');
      feed(h, o[k]);
    });
    h.update('}');
  }
}

/** `sha256:<hex>` over every field except `checksum` itself. */
export function backupChecksum(file: Record<string, unknown>): string {
  const h = createHash('sha256');
  const rest = { ...file };
  delete rest['checksum'];
  feed(h, rest);
  return `sha256:${h.digest('hex')}`;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}
