// Backup and restore of everything Kaiwa keeps: settings, the history database, and (only with a
// passphrase) the API keys.
//
// Restore never half-applies:
//  1. The whole file is checked first — format, version, checksums, the database (written to a
//     temp file, opened, integrity-checked and migrated there), the settings against their schema,
//     and the keys against the passphrase. Any failure ends here and nothing has been touched.
//  2. Running answers are stopped, then the live database is refilled from the checked copy inside
//     one transaction (ATTACH + DELETE/INSERT per table). Settings and keys are written (each
//     atomically: temp file + rename) before that transaction commits; if anything fails, the
//     transaction rolls back and the old settings and keys are written back.
// The services keep their open database connection, so the app goes on working without a restart.
import { randomBytes, createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import { ServiceError } from '../errors.ts';
import { MIGRATIONS } from '../history/db.ts';
import { checkCopy } from '../history/snapshot.ts';
import type { HistoryStore } from '../history/store.ts';
import { registerSecret, type Logger } from '../log.ts';
import { SETTINGS_SCHEMA_VERSION, StoredSettings, defaultSettings, type SettingsStore } from '../settings/store.ts';
import { PlainHeader, PlainKey, type KeyVault, type UnopenedSecrets } from '../vault/vault.ts';
import { BACKUP_FORMAT, BACKUP_VERSION, BackupFile, HISTORY_ENCODING, MAX_BACKUP_CHARS, MAX_HISTORY_BYTES, backupChecksum, compareVersions } from './format.ts';
import { WrongPassphraseError, seal, unseal } from './seal.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

interface VaultContents {
  keys: Record<string, PlainKey[]>;
  /** Undefined: leave the secret headers as they are. */
  headers: Record<string, PlainHeader[]> | undefined;
  /** Secrets the current mode cannot open (the other mode sealed them), carried across as they are. */
  unopened?: UnopenedSecrets | undefined;
}

/** Keys and, since headers are secret by default, secret header values: only ever inside the passphrase-sealed part. */
const KeysPayload = z.strictObject({
  version: z.literal(1),
  providers: z.record(z.string().min(1).max(64), z.array(PlainKey).max(100)),
  headers: z.record(z.string().min(1).max(64), z.array(PlainHeader).max(64)).optional(),
});

const TEMP_FILE = /^(backup|restore)-[0-9a-f]{12}\.sqlite(-wal|-shm|-journal)?$/;

/** Settings that describe this machine, not the user's choices: never taken from a backup. */
const LOCAL_ONLY = ['window', 'dismissedNotices'] as const;

export interface BackupDeps {
  dataDir: string;
  history: HistoryStore;
  settings: SettingsStore;
  vault: KeyVault;
  /** Stops every running answer (their rows are about to be replaced). */
  stopStreams(): Promise<void>;
  log: Logger;
  now(): number;
  appVersion: string;
  /** Largest history a restore unpacks (default MAX_HISTORY_BYTES; tests use less). */
  maxHistoryBytes?: number;
  /** A restore finished: say so now and after the reload that follows it. */
  onRestored?(result: { conversations: number; keys: number }): void;
}

/** The backup as written; where it goes is deliver.ts's decision (a file with keys never reaches the window). */
export interface BackupText {
  filename: string;
  mime: 'application/json';
  text: string;
  includesKeys: boolean;
  conversations: number;
}

function damaged(message: string, details?: string): ServiceError {
  return new ServiceError('backup_damaged', message, details ? { details } : {});
}

function removeDbFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

/**
 * Unpacks the history, stopping at `declared` bytes: zlib's maxOutputLength ends the inflate as soon
 * as the output would pass it, so a bomb costs at most that much memory.
 */
async function inflateHistory(data: string, declared: number, limit: number): Promise<Buffer> {
  if (declared > limit) {
    const mb = `${Math.floor(limit / (1024 * 1024))} MB`;
    throw new ServiceError('backup_too_large', `The backup's history is larger than Kaiwa restores (${mb}).`, { params: { limit: mb } });
  }
  try {
    return await gunzipAsync(Buffer.from(data, 'base64'), { maxOutputLength: declared });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw damaged('The backup is damaged: its history is larger than the backup says.');
    throw damaged('The backup is damaged: the history cannot be unpacked.');
  }
}

export class BackupService {
  private readonly d: BackupDeps;
  /** One backup or restore at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(deps: BackupDeps) {
    this.d = deps;
    // Temp copies left behind by a backup or restore the app did not live to finish.
    try {
      for (const f of readdirSync(deps.dataDir)) if (TEMP_FILE.test(f)) rmSync(join(deps.dataDir, f), { force: true });
    } catch (err) {
      deps.log.warn('could not remove leftover backup temp files', err);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private tempPath(kind: string): string {
    return join(this.d.dataDir, `${kind}-${randomBytes(6).toString('hex')}.sqlite`);
  }

  create(passphrase?: string): Promise<BackupText> {
    return this.serial(() => this.createNow(passphrase));
  }

  restore(text: string, passphrase?: string): Promise<{ conversations: number; keys: number }> {
    return this.serial(async () => {
      const result = await this.restoreNow(text, passphrase);
      this.d.onRestored?.(result);
      return result;
    });
  }

  /** A consistent copy of the history without conversations waiting for their undo to expire. */
  private snapshotHistory(): { bytes: Buffer; schemaVersion: number; conversations: number } {
    const tmp = this.tempPath('backup');
    try {
      const { schemaVersion, conversations } = this.d.history.snapshotInto(tmp);
      return { bytes: readFileSync(tmp), schemaVersion, conversations };
    } finally {
      removeDbFiles(tmp);
    }
  }

  private async createNow(passphrase?: string): Promise<BackupText> {
    const { bytes, schemaVersion, conversations } = this.snapshotHistory();
    const data: Record<string, unknown> = { ...this.d.settings.get() };
    for (const k of LOCAL_ONLY) delete data[k];
    let keys = null;
    if (passphrase !== undefined) {
      registerSecret(passphrase);
      keys = await seal(JSON.stringify({ version: 1, providers: this.d.vault.exportAll(), headers: this.d.vault.exportHeaders() }), passphrase);
    }
    const created = new Date(this.d.now());
    const body = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: created.toISOString(),
      app: { name: 'Kaiwa', version: this.d.appVersion },
      checksum: '',
      settings: { schemaVersion: SETTINGS_SCHEMA_VERSION, data },
      keys,
      history: {
        encoding: HISTORY_ENCODING,
        schemaVersion,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        data: (await gzipAsync(bytes)).toString('base64'),
      },
    };
    body.checksum = backupChecksum(body);
    const stamp = created.toISOString().slice(0, 16).replace(/[T:]/g, '-');
    return { filename: `kaiwa-backup-${stamp}.json`, mime: 'application/json', text: JSON.stringify(body), includesKeys: keys !== null, conversations };
  }

  /** Everything a restore will write, checked; throws a ServiceError saying what is wrong. */
  private async check(text: string) {
    if (text.length > MAX_BACKUP_CHARS) throw new ServiceError('too_large', 'The backup is too large.');
    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new ServiceError('backup_invalid', 'This is not a Kaiwa backup file, or it is damaged beyond reading.');
    }
    const head = z.object({ format: z.string(), version: z.number() }).safeParse(raw);
    if (!head.success || head.data.format !== BACKUP_FORMAT) throw new ServiceError('backup_invalid', 'This is not a Kaiwa backup file.');
    if (head.data.version > BACKUP_VERSION) throw new ServiceError('backup_too_new', 'This backup was made by a newer Kaiwa.');
    const checksum = (raw as { checksum?: unknown }).checksum;
    if (typeof checksum !== 'string' || checksum !== backupChecksum(raw as Record<string, unknown>)) {
      throw damaged('The backup is damaged: its checksum does not match its contents.');
    }
    const parsed = BackupFile.safeParse(raw);
    if (!parsed.success) {
      throw damaged('The backup is damaged.', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    }
    const file = parsed.data;

    if (file.history.schemaVersion > MIGRATIONS.length) throw new ServiceError('backup_too_new', 'This backup was made by a newer Kaiwa.');
    const bytes = await inflateHistory(file.history.data, file.history.bytes, this.d.maxHistoryBytes ?? MAX_HISTORY_BYTES);
    if (bytes.length !== file.history.bytes || createHash('sha256').update(bytes).digest('hex') !== file.history.sha256) {
      throw damaged('The backup is damaged: the history does not match its checksum.');
    }

    if (compareVersions(file.settings.schemaVersion, SETTINGS_SCHEMA_VERSION) > 0) throw new ServiceError('backup_too_new', 'This backup was made by a newer Kaiwa.');
    const settings = StoredSettings.safeParse({ ...defaultSettings(), ...file.settings.data });
    if (!settings.success) throw damaged('The backup is damaged: its settings are not valid.', settings.error.issues.slice(0, 5).map((i) => i.path.join('.')).join('\n'));

    return { file, bytes, settings: settings.data };
  }

  /** The keys in the backup (null when it has none); asked last, once the file is known to be sound. */
  private async openKeys(file: BackupFile, passphrase: string | undefined): Promise<{ keys: Record<string, PlainKey[]>; headers: Record<string, PlainHeader[]> | undefined } | null> {
    if (!file.keys) return null;
    if (!passphrase) throw new ServiceError('backup_needs_passphrase', 'This backup contains keys: enter the passphrase it was made with.');
    registerSecret(passphrase);
    let plain: string;
    try {
      plain = await unseal(file.keys, passphrase);
    } catch (err) {
      if (err instanceof WrongPassphraseError) throw new ServiceError('backup_wrong_passphrase', 'The passphrase does not open this backup.');
      throw err;
    }
    let payload;
    try {
      payload = KeysPayload.safeParse(JSON.parse(plain));
    } catch {
      payload = null;
    }
    if (!payload?.success) throw damaged('The backup is damaged: its keys cannot be read.');
    const keys = payload.data.providers;
    for (const list of Object.values(keys)) for (const k of list) registerSecret(k.key);
    for (const list of Object.values(payload.data.headers ?? {})) for (const h of list) registerSecret(h.value);
    return { keys, headers: payload.data.headers };
  }

  /** Writes the database copy to a temp file and makes it current (migrated, checked); returns its path. */
  private prepareDb(bytes: Buffer): { path: string; conversations: number } {
    const path = this.tempPath('restore');
    try {
      writeFileSync(path, bytes, { mode: 0o600 });
      const checked = checkCopy(path);
      if ('conversations' in checked) return { path, conversations: checked.conversations };
      const p = checked.problem;
      if (p.kind === 'too_new') throw new ServiceError('backup_too_new', 'This backup was made by a newer Kaiwa.');
      if (p.kind === 'unreadable') throw damaged('The backup is damaged: its history is not a readable database.', p.details);
      if (p.kind === 'integrity') throw damaged('The backup is damaged: its history fails the integrity check.');
      throw damaged('The backup is damaged: its history has broken links between messages.');
    } catch (err) {
      removeDbFiles(path);
      throw err;
    }
  }

  private async restoreNow(text: string, passphrase?: string): Promise<{ conversations: number; keys: number }> {
    const checked = await this.check(text);
    const prepared = this.prepareDb(checked.bytes);
    try {
      const restored = await this.openKeys(checked.file, passphrase);
      const restoredKeys = restored?.keys ?? null;
      await this.d.stopStreams();
      const providers = new Set(checked.settings.providers.map((p) => p.id));
      const current = this.d.vault.exportAll();
      // exportAll has only what this mode can open; what the other mode sealed in this data folder is kept as it is.
      const unopened = this.d.vault.unopenedSecrets();
      const stays = <T>(byProvider: Readonly<Record<string, T>>) => Object.fromEntries(Object.entries(byProvider).filter(([id]) => providers.has(id)));
      // Without keys in the backup, this machine's keys stay for the providers that still exist.
      const nextKeys = restoredKeys ?? stays(current);
      const nextUnopened = restoredKeys ? undefined : { keys: stays(unopened.keys), headers: unopened.headers };
      // Secret headers travel only in sealed backups; without them this machine's stay, like keys.
      const next = { keys: nextKeys, headers: restored?.headers, unopened: nextUnopened };
      this.apply(prepared.path, checked.settings, next, { keys: current, headers: this.d.vault.exportHeaders(), unopened });
      const keys = Object.values(nextKeys).reduce((n, list) => n + list.length, 0);
      this.d.log.info(`backup restored: ${prepared.conversations} conversation(s), ${keys} key(s)`);
      return { conversations: prepared.conversations, keys };
    } finally {
      removeDbFiles(prepared.path);
    }
  }

  private apply(path: string, settings: StoredSettings, next: VaultContents, previous: VaultContents): void {
    const previousSettings = structuredClone(this.d.settings.get());
    let settingsWritten = false;
    let keysWritten = false;
    try {
      this.d.history.replaceFromCopy(path, {
        mismatch: (table) => damaged(`The backup's history does not have the expected table ${table}.`),
        alongside: () => {
          this.d.settings.update((draft) => {
            const local = { window: draft.window, dismissedNotices: draft.dismissedNotices };
            Object.assign(draft, settings);
            if (local.window) draft.window = local.window;
            else delete draft.window;
            draft.dismissedNotices = local.dismissedNotices;
          });
          settingsWritten = true;
          this.d.vault.replaceAll(next.keys, next.headers, next.unopened);
          keysWritten = true;
        },
      });
    } catch (err) {
      // Put back what was written outside the database.
      try {
        if (settingsWritten) this.d.settings.update((draft) => void Object.assign(draft, previousSettings));
        if (keysWritten) this.d.vault.replaceAll(previous.keys, previous.headers, previous.unopened);
      } catch (undoErr) {
        this.d.log.error('restore failed and the previous settings or keys could not be written back', undoErr);
      }
      throw err;
    }
  }
}
