// Built-in tools: which exist, a conversation's tool settings, a call and its outcome, confirmations.
import { z } from 'zod';
import { call, Empty } from './call.ts';
import { Id, TimeZone } from './schemas.ts';

/** The built-in tools, by the name the model sees. */
export const BuiltinToolName = z.enum(['get_current_time', 'calculate', 'fetch_url']);
export type BuiltinToolName = z.infer<typeof BuiltinToolName>;

/** Function calling for one conversation. */
export const ToolSettings = z.strictObject({
  /** Tools turned on; none by default. */
  enabled: z
    .array(BuiltinToolName)
    .max(3)
    .refine((a) => new Set(a).size === a.length, 'duplicate tool')
    .optional(),
  /** auto (default): only to models whose metadata lists tool use; always / never: the user's override. */
  send: z.enum(['auto', 'always', 'never']).optional(),
  /** Requests to the model per answer (tool rounds and the final answer); default 5. */
  maxRounds: z.number().int().min(1).max(20).optional(),
  /** The user's time zone for the date/time tool (the renderer's `Intl` time zone). */
  timeZone: TimeZone.optional(),
});
export type ToolSettings = z.infer<typeof ToolSettings>;

/** Why a tool call did not give a result; the UI translates it, the model gets the English message. */
export const ToolErrorCode = z.enum([
  'bad_arguments', // not JSON, or a parameter missing or of the wrong type
  'unknown_tool',
  'timeout',
  'denied', // the user said no
  'confirm_timeout', // nobody answered the confirmation in time
  'cancelled', // Stop, or the app closed, before it ran
  'round_limit', // the answer already used its rounds: not run
  'syntax',
  'division_by_zero',
  'too_large',
  'blocked_url',
  'http_error',
  'unsupported_content',
  'network',
  'failed',
]);
export type ToolErrorCode = z.infer<typeof ToolErrorCode>;

export const ToolCall = z.object({
  index: z.number().int(),
  id: z.string(),
  name: z.string(),
  arguments: z.string(),
  /** 0-based request round that asked for it. Absent: the call was shown, never run (tools off). */
  round: z.number().int().optional(),
  state: z.enum(['pending', 'confirming', 'running', 'done', 'error']).optional(),
  /** What the model was sent back (JSON text), for a call that ran. */
  result: z.string().optional(),
  error: z.object({ code: ToolErrorCode, message: z.string() }).optional(),
  durationMs: z.number().optional(),
});
export type ToolCall = z.infer<typeof ToolCall>;

/** fetch_url asks before every fetch: main waits for `tools.confirm` (or the timeout, which denies). */
export const ToolConfirmRequest = z.object({
  requestId: z.string(),
  streamId: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
  tool: BuiltinToolName,
  url: z.string(),
  /** Set when `url` is where another site redirected the fetch: the user allowed that site, not this one. */
  redirectedFrom: z.string().optional(),
  /** Time left to answer, ms (the page's and main's clocks need not agree). */
  timeoutMs: z.number(),
});
export type ToolConfirmRequest = z.infer<typeof ToolConfirmRequest>;

export const toolsCalls = {
  /** The user's answer to a tool confirmation (`tools.confirmRequest`). Late answers are ignored. */
  'tools.confirm': call(z.strictObject({ requestId: Id, allow: z.boolean() }), z.object({ ok: z.literal(true), accepted: z.boolean() })),
  /** Confirmations still waiting (after a page reload). */
  'tools.pending': call(Empty, z.array(ToolConfirmRequest)),
} as const;

export const toolsEvents = {
  'tools.confirmRequest': ToolConfirmRequest,
  /** A confirmation is over (answered here or in another window, timed out, or the answer stopped). */
  'tools.confirmSettled': z.object({ requestId: z.string(), outcome: z.enum(['allowed', 'denied', 'timeout', 'stopped']) }),
} as const;
