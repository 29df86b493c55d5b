// The tool rounds of one answer. Design: one assistant message per user turn, as before; its rounds
// live on it: `toolCalls` (every call, tagged with the round that asked for it, with its result,
// error and duration) and `roundTexts` (what the model wrote in each finished round before its
// calls). The final round's text is the message's `content`. From that, the UI shows each round in
// order inside the answer, and `replayRounds` rebuilds the exact request sequence
// (assistant + tool_calls, then one `tool` message per call) for the next request of this answer
// and for every later turn of the conversation.
import type { BuiltinToolName, ProviderKind, ToolCall, ToolErrorCode, ToolSettings } from '../../contract/index.ts';
import type { ToolHost } from './host.ts';

export interface ToolState {
  toolCalls: ToolCall[];
  roundTexts: string[];
}

export type RequestMessage = Record<string, unknown>;

/**
 * Arguments as sent back to the provider: some re-validate the history and reject a request whose
 * earlier `arguments` are not JSON, which would break the whole conversation. The call's error
 * result already tells the model what it sent.
 */
function replayArgs(args: string): string {
  try {
    const v: unknown = JSON.parse(args);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? args : '{}';
  } catch {
    return '{}';
  }
}

/** The request messages of an answer's finished rounds `from` ≤ round < `to`, in order. */
export function replayRounds(state: Partial<ToolState>, kind: ProviderKind, from = 0, to = Infinity): RequestMessage[] {
  const out: RequestMessage[] = [];
  const calls = state.toolCalls ?? [];
  (state.roundTexts ?? []).forEach((text, round) => {
    if (round < from || round >= to) return;
    const cs = calls.filter((c) => c.round === round);
    if (!cs.length) {
      if (text) out.push({ role: 'assistant', content: text });
      return;
    }
    out.push({
      role: 'assistant',
      content: text,
      tool_calls: cs.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: replayArgs(c.arguments) } })),
    });
    for (const c of cs) {
      out.push({
        role: 'tool',
        tool_call_id: c.id,
        content: c.result ?? JSON.stringify({ error: 'The tool did not run (Kaiwa stopped before it finished).' }),
        // Model Studio's own function-calling walkthrough names the tool on its result message.
        ...(kind === 'dashscope' ? { name: c.name } : {}),
      });
    }
  });
  return out;
}

export interface SessionDeps {
  host: ToolHost;
  settings: ToolSettings | undefined;
  ids: { streamId: string; messageId: string; conversationId: string };
  /** Rounds already on the message (Continue of an answer that used tools). */
  existing?: Partial<ToolState> | undefined;
  /** Called on every change: the service saves it and tells the renderer. */
  publish(state: ToolState): void;
}

export class ToolSession {
  readonly maxRounds: number;
  private calls: ToolCall[];
  private texts: string[];
  private requests = 0;
  /** Rounds the message already had (Continue); this run's rounds come after them. */
  private readonly base: number;
  private readonly enabled: ReadonlySet<BuiltinToolName>;
  private readonly d: SessionDeps;

  constructor(d: SessionDeps) {
    this.d = d;
    this.maxRounds = d.host.maxRounds(d.settings);
    this.enabled = new Set(d.host.enabled(d.settings));
    this.texts = [...(d.existing?.roundTexts ?? [])];
    this.base = this.texts.length;
    // Calls of a round that never finished are not part of the state we continue from.
    this.calls = (d.existing?.toolCalls ?? []).filter((c) => c.round !== undefined && c.round < this.texts.length);
  }

  /** The round the next request answers (0-based). */
  get round(): number {
    return this.texts.length;
  }

  /** A request is about to be made; returns true when it is the last one this answer may make. */
  countRequest(): boolean {
    this.requests += 1;
    return this.requests >= this.maxRounds;
  }

  /** The finished rounds of this answer made before this run ('earlier', Continue) or in it. */
  replay(kind: ProviderKind, which: 'earlier' | 'this run'): RequestMessage[] {
    const state = { toolCalls: this.calls, roundTexts: this.texts };
    return which === 'earlier' ? replayRounds(state, kind, 0, this.base) : replayRounds(state, kind, this.base);
  }

  state(open: ToolCall[] = []): ToolState {
    return { toolCalls: [...this.calls.map((c) => ({ ...c })), ...open], roundTexts: [...this.texts] };
  }

  private publish(): void {
    this.d.publish(this.state());
  }

  /**
   * The model ended a round asking for `streamed` calls after writing `text`. Runs them one after
   * another (confirmations are asked one at a time) and returns 'stopped' if Stop came meanwhile.
   */
  async runRound(text: string, streamed: ToolCall[], signal: AbortSignal): Promise<'continue' | 'stopped'> {
    const round = this.texts.length;
    const calls: ToolCall[] = streamed.map((c) => ({
      ...c,
      // Without an id the result cannot be matched to its call; ours is unique within the answer.
      id: c.id || `call_kaiwa_${round}_${c.index}`,
      round,
      state: 'pending',
    }));
    this.texts.push(text);
    this.calls.push(...calls);
    this.publish();
    for (const c of calls) {
      const out = await this.d.host.run(c, {
        enabled: this.enabled,
        timeZone: this.d.settings?.timeZone,
        signal,
        ids: this.d.ids,
        onState: (s) => {
          c.state = s;
          this.publish();
        },
      });
      c.result = out.result;
      c.durationMs = out.durationMs;
      c.state = out.error ? 'error' : 'done';
      if (out.error) c.error = out.error;
      this.publish();
    }
    return signal.aborted ? 'stopped' : 'continue';
  }

  /** Calls of the last round that were never run (round limit, Stop or a failure while streaming). */
  unrun(streamed: ToolCall[], code: ToolErrorCode, message: string): ToolCall[] {
    const round = this.texts.length;
    return streamed.map((c) => ({ ...c, id: c.id || `call_kaiwa_${round}_${c.index}`, round, state: 'error' as const, error: { code, message } }));
  }
}
