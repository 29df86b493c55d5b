// What the chat service needs to offer tools: which definitions a request carries, how one call
// is run (arguments checked, confirmation asked, time limited, every failure turned into a result
// for the model), and the open confirmations. Electron-free; one instance per app.
import type { BuiltinToolName, ModelInfo, ToolCall, ToolErrorCode, ToolSettings } from '../../contract/index.ts';
import type { Logger } from '../log.ts';
import type { Clock, EventSink } from '../platform.ts';
import { BUILTIN_TOOLS, isBuiltin, type ToolDefinition } from './builtins.ts';
import type { CalcLimits } from './calculator.ts';
import { DEFAULT_COMPUTE_LIMITS, type ComputeLimits } from './compute.ts';
import { Confirmations, type ConfirmOutcome } from './confirm.ts';
import { ToolError } from './errors.ts';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from './fetch-url.ts';
import { checkUrl } from './url-policy.ts';

export const DEFAULT_MAX_ROUNDS = 5;

export interface ToolHostOptions {
  fetch?: Partial<FetchLimits>;
  /** How long a confirmation waits for the user before it counts as "no". */
  confirmTimeoutMs?: number;
  /** Upper bound for any one call (fetch has its own, shorter limit inside it). */
  callTimeoutMs?: number;
  /** Work on the worker thread: its deadline and the calculator's size limit. */
  compute?: { deadlineMs?: number; calc?: Partial<CalcLimits> };
}

/** The outcome of one call, as stored on the message and sent back to the model. */
export interface CallOutcome {
  result: string;
  error?: { code: ToolErrorCode; message: string };
  durationMs: number;
}

export interface RunContext {
  enabled: ReadonlySet<BuiltinToolName>;
  timeZone: string | undefined;
  signal: AbortSignal;
  ids: { streamId: string; messageId: string; conversationId: string };
  /** The call moved to a new state (confirming, running): show it. */
  onState(state: 'confirming' | 'running'): void;
}

const errorResult = (code: ToolErrorCode, message: string, durationMs = 0): CallOutcome => ({
  result: JSON.stringify({ error: message }),
  error: { code, message },
  durationMs,
});

export class ToolHost {
  readonly confirmations: Confirmations;
  readonly fetchLimits: FetchLimits;
  readonly confirmTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly compute: ComputeLimits;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(deps: { emit: EventSink; clock: Clock; log: Logger }, options: ToolHostOptions = {}) {
    this.clock = deps.clock;
    this.log = deps.log;
    this.confirmations = new Confirmations(deps.emit);
    this.fetchLimits = { ...DEFAULT_FETCH_LIMITS, ...options.fetch };
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 60_000;
    this.callTimeoutMs = options.callTimeoutMs ?? Math.max(15_000, this.fetchLimits.timeoutMs + 2_000);
    const c = options.compute;
    this.compute = { deadlineMs: c?.deadlineMs ?? DEFAULT_COMPUTE_LIMITS.deadlineMs, calc: { ...DEFAULT_COMPUTE_LIMITS.calc, ...c?.calc } };
  }

  /** Tools turned on for a conversation (known names only, in a stable order). */
  enabled(settings: ToolSettings | undefined): BuiltinToolName[] {
    const on = new Set(settings?.enabled ?? []);
    return (Object.keys(BUILTIN_TOOLS) as BuiltinToolName[]).filter((n) => on.has(n));
  }

  /**
   * The `tools` a request carries, or null for none: some tool is on and the model supports tools
   * (its metadata says so, or the user said "always").
   */
  definitionsFor(settings: ToolSettings | undefined, model: ModelInfo | undefined): ToolDefinition[] | null {
    const names = this.enabled(settings);
    const send = settings?.send ?? 'auto';
    if (!names.length || send === 'never' || (send === 'auto' && !model?.toolUse)) return null;
    return names.map((n) => BUILTIN_TOOLS[n].definition);
  }

  maxRounds(settings: ToolSettings | undefined): number {
    return settings?.maxRounds ?? DEFAULT_MAX_ROUNDS;
  }

  /** Runs one call the model asked for. Never throws: every failure is a result the model reads. */
  async run(call: ToolCall, ctx: RunContext): Promise<CallOutcome> {
    if (ctx.signal.aborted) return errorResult('cancelled', 'Stopped by the user before the tool ran.');
    if (!isBuiltin(call.name) || !ctx.enabled.has(call.name)) {
      const available = [...ctx.enabled].join(', ') || 'none';
      return errorResult('unknown_tool', `There is no tool named "${call.name.slice(0, 100)}". Available tools: ${available}.`);
    }
    let args: Record<string, unknown>;
    try {
      // Models send "" (not "{}") for a call without parameters.
      const parsed: unknown = call.arguments.trim() ? JSON.parse(call.arguments) : {};
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the arguments must be a JSON object');
      args = parsed as Record<string, unknown>;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return errorResult('bad_arguments', `The arguments are not a valid JSON object (${why}). Received: ${call.arguments.slice(0, 300)}`);
    }
    const tool = BUILTIN_TOOLS[call.name];

    if (tool.confirm) {
      let url: string;
      try {
        // A URL that would be refused anyway is refused without bothering the user.
        url = checkUrl(args['url'], this.fetchLimits).href;
      } catch (err) {
        const e = err as ToolError;
        return errorResult(e.code, e.message);
      }
      ctx.onState('confirming');
      try {
        this.fetchRefusal(await this.confirmations.ask({ ...ctx.ids, tool: call.name, url }, this.confirmTimeoutMs, ctx.signal), 'this fetch');
      } catch (err) {
        const e = err as ToolError;
        return errorResult(e.code, e.message);
      }
    }

    ctx.onState('running');
    const started = performance.now();
    const limit = new AbortController();
    const signal = AbortSignal.any([ctx.signal, limit.signal]);
    let expire: (e: ToolError) => void = () => {};
    const timedOut = new Promise<never>((_, reject) => (expire = reject));
    const timer = new CallTimer(this.callTimeoutMs, () => {
      limit.abort();
      expire(new ToolError('timeout', `The tool did not finish within ${Math.round(this.callTimeoutMs / 1000)} s.`));
    });
    // Time spent waiting for the user is not the tool's time.
    const confirmRedirect = async (to: URL, from: URL) => {
      timer.pause();
      ctx.onState('confirming');
      try {
        this.fetchRefusal(await this.confirmations.ask({ ...ctx.ids, tool: tool.definition.function.name, url: to.href, redirectedFrom: from.href }, this.confirmTimeoutMs, signal), `the redirect from ${from.host} to ${to.host}`);
      } finally {
        ctx.onState('running');
        timer.resume();
      }
    };
    try {
      const toolCtx = { now: this.clock.now(), timeZone: ctx.timeZone, fetchLimits: this.fetchLimits, compute: this.compute, confirmRedirect, signal };
      const value = await Promise.race([tool.run(args, toolCtx), timedOut]);
      return { result: JSON.stringify(value), durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      if (ctx.signal.aborted) return errorResult('cancelled', 'Stopped by the user while the tool ran.', ms);
      if (err instanceof ToolError) return errorResult(err.code, err.message, ms);
      this.log.warn(`tool ${call.name} failed`, err);
      return errorResult('failed', `The tool failed: ${err instanceof Error ? err.message : String(err)}`, ms);
    } finally {
      timer.pause();
    }
  }

  /** Throws the error the model reads when the user did not allow `what`. */
  private fetchRefusal(outcome: ConfirmOutcome, what: string): void {
    if (outcome === 'denied') throw new ToolError('denied', `The user did not allow ${what}. Do not retry it; answer without it or ask the user.`);
    if (outcome === 'timeout') throw new ToolError('confirm_timeout', `Nobody allowed ${what} within ${Math.round(this.confirmTimeoutMs / 1000)} s, so it was not made.`);
    if (outcome === 'stopped') throw new ToolError('cancelled', 'Stopped by the user before the tool ran.');
  }
}

/** A time limit that can be paused (while the user is asked) and resumed with the time it had left. */
class CallTimer {
  private left: number;
  private since = 0;
  private t: ReturnType<typeof setTimeout> | undefined;
  private readonly fire: () => void;

  constructor(ms: number, fire: () => void) {
    this.left = ms;
    this.fire = fire;
    this.resume();
  }

  pause(): void {
    if (this.t === undefined) return;
    clearTimeout(this.t);
    this.t = undefined;
    this.left -= performance.now() - this.since;
  }

  resume(): void {
    if (this.t !== undefined) return;
    this.since = performance.now();
    this.t = setTimeout(this.fire, Math.max(0, this.left));
  }
}
