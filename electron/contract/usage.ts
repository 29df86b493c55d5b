// Usage: recorded upstream calls summed per range, provider, model and day, and their CSV export.
import { z } from 'zod';
import { call } from './call.ts';
import { TimeZone } from './schemas.ts';

export const UsageRange = z.enum(['today', '7d', '30d']);
export type UsageRange = z.infer<typeof UsageRange>;

export const UsageTotals = z.object({
  calls: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** USD, summed over priced calls only. */
  cost: z.number(),
  /** Calls that used tokens on a model without a price: their cost is unknown, not zero. */
  unpricedCalls: z.number(),
  avgLatencyMs: z.number().nullable(),
  avgTtftMs: z.number().nullable(),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const UsageSummary = z.object({
  range: UsageRange,
  timeZone: z.string(),
  from: z.number(),
  to: z.number(),
  totals: UsageTotals,
  byProvider: z.array(UsageTotals.extend({ providerId: z.string() })),
  byModel: z.array(UsageTotals.extend({ providerId: z.string(), modelId: z.string() })),
  /** Calls per day in the user's time zone, oldest first. */
  days: z.array(z.object({ day: z.string(), start: z.number(), calls: z.number(), errors: z.number() })),
});
export type UsageSummary = z.infer<typeof UsageSummary>;

export const usageCalls = {
  'usage.summary': call(z.strictObject({ range: UsageRange, timeZone: TimeZone }), UsageSummary),
  /** One CSV row per recorded upstream call in the range; the renderer saves it as a file. */
  'usage.exportCsv': call(z.strictObject({ range: UsageRange, timeZone: TimeZone }), z.object({ filename: z.string(), csv: z.string(), rows: z.number() })),
} as const;
