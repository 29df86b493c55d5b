// Quota: the daily allowance meter, its settings and the event that says it changed.
import { z } from 'zod';
import { call, Empty } from './call.ts';
import { Id, ProviderKind } from './schemas.ts';

/** One daily allowance: null limit/remaining = not known (no per-model limit configured, not reported). */
export const QuotaFigure = z.object({ limit: z.number().nullable(), remaining: z.number().nullable(), used: z.number() });
export type QuotaFigure = z.infer<typeof QuotaFigure>;

/** What the quota meter shows for one provider, model and the key the next call will use. */
export const QuotaView = z.object({
  providerId: z.string(),
  kind: ProviderKind,
  modelId: z.string(),
  /** The vault's random key id, never the key. */
  keyId: z.string().nullable(),
  /** Masked key (first 3 + last 4), only when the provider has several keys. */
  keyMasked: z.string().nullable(),
  /** 'reported' = ModelScope's response headers; 'estimated' = local count against the settings. */
  source: z.enum(['reported', 'estimated']),
  account: QuotaFigure.nullable(),
  model: QuotaFigure.nullable(),
  level: z.enum(['ok', 'warning', 'critical', 'exhausted']),
  exhausted: z.boolean(),
  /** Next reset (epoch ms); null when the provider has no daily reset. */
  resetAt: z.number().nullable(),
  reportedAt: z.number().nullable(),
  /** Main's clock when this view was computed: countdowns are relative to it, not the page's clock. */
  now: z.number(),
  /** Several keys (separate ModelScope accounts): each key's own figures, in the vault's order. */
  keys: z
    .array(z.object({ keyId: z.string(), keyMasked: z.string(), source: z.enum(['reported', 'estimated']), account: QuotaFigure.nullable(), exhausted: z.boolean(), next: z.boolean() }))
    .optional(),
});
export type QuotaView = z.infer<typeof QuotaView>;

export const QuotaSettingsView = z.object({
  dailyLimit: z.number(),
  perModelLimit: z.number().nullable(),
  resetUtcOffsetHours: z.number(),
});
export type QuotaSettingsView = z.infer<typeof QuotaSettingsView>;

export const quotaCalls = {
  /** The quota meter for a provider/model (null: nothing to show, e.g. no key or not ModelScope). */
  'quota.get': call(z.strictObject({ providerId: Id, modelId: z.string().min(1).max(200) }), QuotaView.nullable()),
  'quota.getSettings': call(Empty, QuotaSettingsView),
  /** The local estimate's free tier; ModelScope changes its rules, so the user can correct them. */
  'quota.updateSettings': call(
    z.strictObject({
      dailyLimit: z.number().int().min(1).max(100_000_000).optional(),
      perModelLimit: z.number().int().min(1).max(100_000_000).nullable().optional(),
      resetUtcOffsetHours: z.number().min(-12).max(14).multipleOf(0.25).optional(),
    }),
    QuotaSettingsView,
  ),
} as const;

export const quotaEvents = {
  /** A quota view may have changed (a call with this provider's key, a reset, settings): fetch it again. */
  'quota.changed': z.object({ providerId: z.string().nullable(), keyId: z.string().nullable(), reason: z.enum(['call', 'reset', 'settings']) }),
} as const;
