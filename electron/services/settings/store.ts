// Settings live in one JSON file managed by `conf` (electron-store is `conf` plus Electron paths;
// the desktop adapter passes an electron-store factory, browser mode and tests use `conf` with an
// explicit directory). The file is small and rewritten atomically; history is NOT kept here.
//
// A corrupt or schema-violating file never stops the app: it is moved aside as a backup, defaults
// are loaded, and a notice tells the user where the backup is.
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf, { type Options as ConfOptions } from 'conf';
import { z } from 'zod';
import { ChatParams, DashscopeRegion, ModelInfo, ModelscopeSite, ProviderKind, type Notice } from '../../contract/index.ts';
import type { Logger } from '../log.ts';

export const SETTINGS_FILE = 'settings';
/** Bump together with a new entry in `migrations` below. */
export const SETTINGS_SCHEMA_VERSION = '1.0.0';

export const StoredProvider = z.object({
  id: z.string().min(1).max(64),
  kind: ProviderKind,
  name: z.string().max(200),
  enabled: z.boolean(),
  /** null = the preset's default (or, for DashScope, the region's). */
  baseUrl: z.string().max(2048).nullable(),
  region: DashscopeRegion.optional(),
  /** ModelScope only; absent = the China site. */
  site: ModelscopeSite.optional(),
  project: z.string().max(200).optional(),
  /** Custom headers the user marked "not secret"; secret ones are sealed in the vault. */
  headers: z.record(z.string(), z.string()),
  /** Set once the headers of settings written before headers were secret by default have moved to the vault. */
  headersSealed: z.boolean().optional(),
  timeoutSec: z.number().int().min(1).max(3600),
  maxRetries: z.number().int().min(0).max(10),
  /** Models added by hand or by "Fetch models". Preset models are not copied here. */
  extraModels: z.array(ModelInfo),
  /** Ids the last "Fetch models" no longer listed (shown as gone, never deleted). */
  goneModels: z.array(z.string().max(200)).max(2000).optional(),
  /** Per-model edits on top of presets (prices, flags, isNew cleared…). */
  modelOverrides: z.record(z.string(), ModelInfo.partial()),
});
export type StoredProvider = z.infer<typeof StoredProvider>;

export const QuotaSettings = z.object({
  /** ModelScope free tier as documented in the seeds; editable because ModelScope changes it. */
  modelscopeDailyLimit: z.number().int().positive(),
  modelscopePerModelLimit: z.number().int().positive().nullable(),
  /** Reset time as a UTC offset in hours at local midnight (seeds: 00:00 UTC+8). */
  modelscopeResetUtcOffsetHours: z.number().min(-12).max(14),
});

export const StoredSettings = z.object({
  language: z.enum(['system', 'en', 'ja', 'zh']),
  theme: z.enum(['system', 'light', 'dark']),
  defaultModel: z.object({ providerId: z.string(), modelId: z.string() }).nullable(),
  idleTimeoutSec: z.number().int().min(5).max(3600),
  defaultParams: ChatParams,
  providers: z.array(StoredProvider),
  quota: QuotaSettings,
  window: z
    .object({ x: z.number().optional(), y: z.number().optional(), width: z.number(), height: z.number(), maximized: z.boolean() })
    .optional(),
  dismissedNotices: z.array(z.string()),
  proxy: z.object({ mode: z.enum(['system', 'none', 'custom']), url: z.string().max(2048), noProxy: z.string().max(4000) }),
});
export type StoredSettings = z.infer<typeof StoredSettings>;

export function defaultProviders(): StoredProvider[] {
  const base = { enabled: true, baseUrl: null, headers: {}, timeoutSec: 60, maxRetries: 2, extraModels: [], modelOverrides: {} };
  return [
    { ...base, id: 'modelscope', kind: 'modelscope', name: 'ModelScope' },
    { ...base, id: 'wandb', kind: 'wandb', name: 'W&B Inference', project: '' },
    { ...base, id: 'dashscope', kind: 'dashscope', name: 'Alibaba Cloud Model Studio', region: 'singapore' },
  ];
}

export function defaultSettings(): StoredSettings {
  return {
    language: 'system',
    theme: 'system',
    defaultModel: { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' },
    idleTimeoutSec: 60,
    defaultParams: {},
    providers: defaultProviders(),
    quota: { modelscopeDailyLimit: 2000, modelscopePerModelLimit: null, modelscopeResetUtcOffsetHours: 8 },
    dismissedNotices: [],
    // Loopback stays direct by default so local model servers keep working behind a custom proxy.
    proxy: { mode: 'system', url: '', noProxy: 'localhost, 127.0.0.1, ::1' },
  };
}

/** Top-level JSON schema handed to conf (it validates on every write); zod checks the details on read. */
const confSchema: ConfOptions<StoredSettings>['schema'] = {
  language: { type: 'string', enum: ['system', 'en', 'ja', 'zh'] },
  theme: { type: 'string', enum: ['system', 'light', 'dark'] },
  defaultModel: { type: ['object', 'null'] },
  idleTimeoutSec: { type: 'number', minimum: 5, maximum: 3600 },
  defaultParams: { type: 'object' },
  providers: { type: 'array' },
  quota: { type: 'object' },
  window: { type: 'object' },
  dismissedNotices: { type: 'array' },
  proxy: { type: 'object' },
};

/** Versioned migrations, keyed by settings schema version. */
const migrations: ConfOptions<StoredSettings>['migrations'] = {
  '1.0.0': () => {
    // First schema; files written before versioning do not exist.
  },
};

export type StoreFactory = (options: ConfOptions<StoredSettings>) => Conf<StoredSettings>;

export const confFactory: StoreFactory = (options) => new Conf<StoredSettings>(options);

export class SettingsStore {
  private conf: Conf<StoredSettings>;
  private cache: StoredSettings;
  readonly notices: Notice[] = [];
  private listeners = new Set<(s: StoredSettings) => void>();

  private readonly dir: string;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(dir: string, log: Logger, factory: StoreFactory = confFactory, now: () => number = Date.now) {
    this.dir = dir;
    this.log = log;
    this.now = now;
    const options: ConfOptions<StoredSettings> = {
      cwd: dir,
      configName: SETTINGS_FILE,
      projectVersion: SETTINGS_SCHEMA_VERSION,
      migrations,
      schema: confSchema,
      defaults: defaultSettings(),
      configFileMode: 0o600,
      clearInvalidConfig: false,
    };
    this.preflight();
    let conf: Conf<StoredSettings>;
    try {
      conf = factory(options);
    } catch (err) {
      // Schema violation or a migration failure: keep the file as a backup and start fresh.
      this.quarantine('settings_invalid', err);
      conf = factory(options);
    }
    this.conf = conf;
    const parsed = StoredSettings.safeParse({ ...defaultSettings(), ...conf.store });
    if (parsed.success) {
      this.cache = parsed.data;
    } else {
      this.quarantine('settings_invalid', parsed.error);
      this.conf.store = defaultSettings();
      this.cache = defaultSettings();
    }
  }

  get path(): string {
    return join(this.dir, `${SETTINGS_FILE}.json`);
  }

  /** Detects a file that is not JSON at all before conf sees it (conf would throw or wipe it). */
  private preflight(): void {
    if (!existsSync(this.path)) return;
    try {
      // An empty file is damage too (conf would refuse it): the user's settings are gone, say so.
      JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      this.quarantine('settings_corrupt', err);
    }
  }

  private quarantine(code: 'settings_corrupt' | 'settings_invalid', err: unknown): void {
    const backup = join(this.dir, `${SETTINGS_FILE}.corrupt-${this.now()}.json`);
    try {
      if (existsSync(this.path)) {
        copyFileSync(this.path, backup);
        renameSync(this.path, `${this.path}.discarded`);
      }
    } catch (copyErr) {
      this.log.error('could not back up the corrupt settings file', copyErr);
    }
    this.log.warn(`settings file unreadable (${code}); defaults loaded, backup at ${backup}`, err instanceof Error ? err : undefined);
    this.notices.push({ id: `${code}-${this.now()}`, level: 'warning', code, params: { backup } });
  }

  get(): StoredSettings {
    return this.cache;
  }

  /** Applies a change and writes the file atomically (conf writes a temp file and renames it). */
  update(mutate: (draft: StoredSettings) => void): StoredSettings {
    const draft = structuredClone(this.cache);
    mutate(draft);
    const next = StoredSettings.parse(draft);
    this.conf.store = next;
    this.cache = next;
    for (const l of this.listeners) l(next);
    return next;
  }

  onChange(listener: (s: StoredSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
