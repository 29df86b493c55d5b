// The built-in tools: what the model is told (name, description, JSON Schema parameters) and what
// running one does. Descriptions are English: the model reads them, the user never does (the UI
// has translated labels).
import type { BuiltinToolName } from '../../contract/index.ts';
import { calculateInWorker, type ComputeLimits } from './compute.ts';
import { currentTime } from './current-time.ts';
import { ToolError } from './errors.ts';
import { fetchPage, type FetchLimits, type RedirectConfirm } from './fetch-url.ts';

/** One entry of the request's `tools` array (OpenAI function-calling format). */
export interface ToolDefinition {
  type: 'function';
  function: { name: BuiltinToolName; description: string; parameters: Record<string, unknown> };
}

export interface ToolContext {
  now: number;
  timeZone: string | undefined;
  fetchLimits: FetchLimits;
  /** Deadline and size limits of work done on the worker thread (compute.ts). */
  compute: ComputeLimits;
  /** Asks the user before a fetch follows a redirect to another host. */
  confirmRedirect: RedirectConfirm;
  /** Aborted by Stop and by the call's time limit. */
  signal: AbortSignal;
}

export interface BuiltinTool {
  definition: ToolDefinition;
  /** Asks the user before every call (shows the URL). */
  confirm: boolean;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<unknown>;
}

export const BUILTIN_TOOLS: Record<BuiltinToolName, BuiltinTool> = {
  get_current_time: {
    confirm: false,
    definition: {
      type: 'function',
      function: {
        name: 'get_current_time',
        description: "Returns the current date, time and weekday in the user's time zone. Use it whenever the answer depends on today's date or the time.",
        parameters: { type: 'object', properties: {} },
      },
    },
    run: async (_args, ctx) => currentTime(ctx.now, ctx.timeZone),
  },
  calculate: {
    confirm: false,
    definition: {
      type: 'function',
      function: {
        name: 'calculate',
        description:
          'Evaluates an arithmetic expression exactly (rational arithmetic, no rounding): + - * / ^ (integer powers), parentheses, unary minus, decimals, scientific notation (1.5e3) and x% (= x/100). Returns the exact result as a decimal or a fraction, with a 20-digit approximation for fractions. Numbers, intermediate results included, are limited to about 1,200 digits.',
        parameters: {
          type: 'object',
          properties: { expression: { type: 'string', description: 'For example "(0.1 + 0.2) * 3" or "2^64 / 7".' } },
          required: ['expression'],
        },
      },
    },
    run: async (args, ctx) => {
      const e = args['expression'];
      if (typeof e !== 'string') throw new ToolError('bad_arguments', 'The "expression" parameter (a string) is required.');
      return { expression: e, ...(await calculateInWorker(e, ctx.compute, ctx.signal)) };
    },
  },
  fetch_url: {
    confirm: true,
    definition: {
      type: 'function',
      function: {
        name: 'fetch_url',
        description:
          'Downloads a public web page (http or https) and returns its readable text (no HTML), truncated to about 20,000 characters. The user is asked to allow each fetch and may refuse.',
        parameters: {
          type: 'object',
          properties: { url: { type: 'string', description: 'Absolute http(s) URL.' } },
          required: ['url'],
        },
      },
    },
    run: (args, ctx) => fetchPage(args['url'], ctx.fetchLimits, ctx.signal, { compute: ctx.compute, confirmRedirect: ctx.confirmRedirect }),
  },
};

export function isBuiltin(name: string): name is BuiltinToolName {
  return Object.prototype.hasOwnProperty.call(BUILTIN_TOOLS, name);
}
