// The quota meter's main-side half. It watches every upstream attempt (ChatService.observe), keeps
// per-key records of what ModelScope reported and of quota errors (persisted in quota-state.json,
// keyed by the vault's random key id, never the key), counts calls in the usage table (history/tables/calls.ts) for the
// estimate, and tells the renderer when a view may have changed — after each call, at the daily
// reset (by the platform clock, so tests can move it), and when the estimate's settings change.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { QuotaSettingsView, QuotaView } from '../../contract/index.ts';
import type { CallObservation } from '../chat/service.ts';
import type { CallLog } from '../history/tables/calls.ts';
import type { Logger } from '../log.ts';
import type { Clock, EventSink } from '../platform.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { SettingsStore } from '../settings/store.ts';
import { applyObservation, emptyRecord, pruneRecord, QUOTA_COUNTED_SQL, quotaView, readQuotaHeaders, resetWindow, type KeyRecord } from './compute.ts';

export const QUOTA_STATE_FILE = 'quota-state.json';
const TICK_MS = 1000;

const Stamped = z.object({ limit: z.number(), remaining: z.number(), at: z.number() });
const KeyRecordSchema = z.object({
  account: Stamped.optional(),
  models: z.record(z.string(), Stamped),
  bareAt: z.number().optional(),
  bareModelAt: z.record(z.string(), z.number()),
  exhausted: z.object({ at: z.number(), modelId: z.string(), scope: z.enum(['account', 'model']) }).optional(),
});
const StateFile = z.object({ version: z.literal(1), keys: z.record(z.string(), KeyRecordSchema) });

export interface QuotaServiceDeps {
  /** The usage table the estimate counts calls in. */
  calls: CallLog;
  registry: ProviderRegistry;
  settings: SettingsStore;
  clock: Clock;
  emit: EventSink;
  log: Logger;
  dataDir: string;
}

const recordKey = (providerId: string, keyId: string | null) => `${providerId}\u0000${keyId ?? ''}`;

export class QuotaService {
  private records = new Map<string, KeyRecord>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private periodStart: number;
  private readonly d: QuotaServiceDeps;
  private readonly path: string;

  constructor(deps: QuotaServiceDeps) {
    this.d = deps;
    this.path = join(deps.dataDir, QUOTA_STATE_FILE);
    this.periodStart = this.window().start;
    this.load();
  }

  private window() {
    return resetWindow(this.d.clock.now(), this.d.settings.get().quota.modelscopeResetUtcOffsetHours);
  }

  private load(): void {
    if (!existsSync(this.path)) return;
    try {
      const parsed = StateFile.parse(JSON.parse(readFileSync(this.path, 'utf8')));
      for (const [k, r] of Object.entries(parsed.keys)) this.records.set(k, r as KeyRecord);
    } catch (err) {
      // Only a cache of the last reports: starting empty just means "estimated" until the next call.
      this.d.log.warn('quota state unreadable; starting from the call log', err);
    }
  }

  private save(): void {
    const keys: Record<string, KeyRecord> = {};
    for (const [k, r] of this.records) keys[k] = r;
    const tmp = `${this.path}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ version: 1, keys }), { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch (err) {
      this.d.log.warn('could not save the quota state', err);
    }
  }

  /** Starts the reset watcher. Main's clock decides when a day ends, not the page's. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Emits a reset when the quota day changed since the last look. */
  tick(): void {
    const { start } = this.window();
    if (start === this.periodStart) return;
    this.periodStart = start;
    for (const [k, r] of this.records) {
      // Only ModelScope has a daily reset; other providers' "credit gone" lasts until a call works.
      if (this.d.registry.stored(k.split('\u0000')[0]!)?.kind === 'modelscope') this.records.set(k, pruneRecord(r, start));
    }
    this.save();
    this.d.emit('quota.changed', { providerId: null, keyId: null, reason: 'reset' });
  }

  observe(o: CallObservation): void {
    const k = recordKey(o.target.providerId, o.target.keyId);
    const next = applyObservation(this.records.get(k) ?? emptyRecord(), {
      at: o.startedAt,
      modelId: o.modelId,
      kind: o.kind,
      status: o.status,
      httpStatus: o.httpStatus,
      quotaError: !!o.error?.quota,
      headers: readQuotaHeaders(o.headers),
    });
    this.records.set(k, o.target.kind === 'modelscope' ? pruneRecord(next, Math.min(this.window().start, o.startedAt)) : next);
    this.save();
    this.d.emit('quota.changed', { providerId: o.target.providerId, keyId: o.target.keyId, reason: 'call' });
  }

  private count(providerId: string, keyId: string | null, modelId: string, from: number, to: number): { account: number; model: number } {
    return this.d.calls.count({ providerId, keyId, modelId, from, to, countedSql: QUOTA_COUNTED_SQL });
  }

  /**
   * With several ModelScope keys (separate accounts), the key the next call should use: the first,
   * in the vault's order, that is not marked failed and still has calls left today by what
   * ModelScope reported or Kaiwa counted. null = let the vault pick (one key, or none has any left).
   * Only keys that may be sent to the base URL now are candidates: a key saved for another origin
   * (the other site, an old base URL) is never chosen, so it is never sent there.
   */
  preferredKey(providerId: string, modelId: string): string | null {
    const stored = this.d.registry.stored(providerId);
    if (stored?.kind !== 'modelscope') return null;
    const keys = this.d.registry.get(providerId).keys.filter((k) => !k.detached);
    if (keys.length < 2) return null;
    const usable = keys.filter((k) => !k.failure);
    for (const k of usable.length ? usable : keys) {
      const v = this.viewFor(providerId, modelId, k.id);
      if (v && !v.exhausted) return k.id;
    }
    return null;
  }

  view(providerId: string, modelId: string): QuotaView | null {
    const { registry } = this.d;
    if (!registry.stored(providerId)) return null;
    let keyId: string | null;
    try {
      // The key the next call will use: one with quota left, else the vault's choice.
      keyId = this.preferredKey(providerId, modelId) ?? registry.target(providerId).keyId;
    } catch {
      return null; // disabled or no key: the chat shows why when the user sends
    }
    const v = this.viewFor(providerId, modelId, keyId);
    const keys = registry.get(providerId).keys;
    if (!v || keys.length < 2 || v.kind !== 'modelscope') return v;
    const perKey = keys.map((k) => {
      const kv = this.viewFor(providerId, modelId, k.id);
      return { keyId: k.id, keyMasked: k.masked, source: kv?.source ?? 'estimated', account: kv?.account ?? null, exhausted: !!kv?.exhausted, next: k.id === keyId };
    });
    return { ...v, keys: perKey };
  }

  private viewFor(providerId: string, modelId: string, keyId: string | null): QuotaView | null {
    const { registry, settings, clock } = this.d;
    const stored = registry.stored(providerId);
    if (!stored) return null;
    const keys = registry.get(providerId).keys;
    const now = clock.now();
    const q = settings.get().quota;
    const win = resetWindow(now, q.modelscopeResetUtcOffsetHours);
    return quotaView({
      providerId,
      kind: stored.kind,
      modelId,
      keyId,
      keyMasked: keys.find((k) => k.id === keyId)?.masked ?? null,
      keyCount: keys.length,
      now,
      settings: { dailyLimit: q.modelscopeDailyLimit, perModelLimit: q.modelscopePerModelLimit, resetUtcOffsetHours: q.modelscopeResetUtcOffsetHours },
      record: this.records.get(recordKey(providerId, keyId)),
      counted: stored.kind === 'modelscope' ? this.count(providerId, keyId, modelId, win.start, win.next) : { account: 0, model: 0 },
    });
  }

  getSettings(): QuotaSettingsView {
    const q = this.d.settings.get().quota;
    return { dailyLimit: q.modelscopeDailyLimit, perModelLimit: q.modelscopePerModelLimit, resetUtcOffsetHours: q.modelscopeResetUtcOffsetHours };
  }

  updateSettings(patch: { dailyLimit?: number | undefined; perModelLimit?: number | null | undefined; resetUtcOffsetHours?: number | undefined }): QuotaSettingsView {
    this.d.settings.update((s) => {
      if (patch.dailyLimit !== undefined) s.quota.modelscopeDailyLimit = patch.dailyLimit;
      if (patch.perModelLimit !== undefined) s.quota.modelscopePerModelLimit = patch.perModelLimit;
      if (patch.resetUtcOffsetHours !== undefined) s.quota.modelscopeResetUtcOffsetHours = patch.resetUtcOffsetHours;
    });
    this.periodStart = this.window().start;
    this.d.emit('quota.changed', { providerId: null, keyId: null, reason: 'settings' });
    return this.getSettings();
  }
}
