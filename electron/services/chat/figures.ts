// The figures of an answer (usage, cost, timings): summed over tool rounds and over a Continue,
// and never guessed — an unknown part makes the sum unknown.
import type { Usage } from '../../contract/index.ts';

/** The answer so far, when Continue resumes a stored message instead of starting a new one. */
export interface Continuation {
  content: string;
  reasoning: string;
  usage?: Usage;
  ttftMs?: number;
  durationMs?: number;
  reasoningMs?: number;
  cost?: number | null;
}

export function computeCost(usage: Usage | null | undefined, price: { inputPrice?: number | null | undefined; outputPrice?: number | null | undefined } | undefined): number | null {
  if (!usage || !price || price.inputPrice == null || price.outputPrice == null) return null;
  return (usage.promptTokens * price.inputPrice + usage.completionTokens * price.outputPrice) / 1_000_000;
}

export function addUsage(sum: Usage | null, u: Usage): Usage {
  if (!sum) return { ...u };
  const out: Usage = { promptTokens: sum.promptTokens + u.promptTokens, completionTokens: sum.completionTokens + u.completionTokens };
  if (sum.reasoningTokens !== undefined || u.reasoningTokens !== undefined) out.reasoningTokens = (sum.reasoningTokens ?? 0) + (u.reasoningTokens ?? 0);
  return out;
}

export interface Figures {
  usage: Usage | null;
  ttftMs: number | undefined;
  durationMs: number;
  reasoningMs: number | undefined;
  cost: number | null;
}

/**
 * Figures of a continued answer cover both calls. When the first call's usage or cost is not known
 * (an interrupted stream has no usage chunk), the sum is not known either: nothing is guessed.
 */
export function mergeContinuation(prev: Continuation, own: Figures, produced: boolean): Figures {
  // A continuation that failed before its first token added nothing: the first call's figures stand.
  if (!produced && !own.usage) return { usage: prev.usage ?? null, ttftMs: prev.ttftMs, durationMs: prev.durationMs ?? own.durationMs, reasoningMs: prev.reasoningMs, cost: prev.cost ?? null };
  const usage =
    prev.usage && own.usage
      ? {
          promptTokens: prev.usage.promptTokens + own.usage.promptTokens,
          completionTokens: prev.usage.completionTokens + own.usage.completionTokens,
          ...(prev.usage.reasoningTokens !== undefined || own.usage.reasoningTokens !== undefined
            ? { reasoningTokens: (prev.usage.reasoningTokens ?? 0) + (own.usage.reasoningTokens ?? 0) }
            : {}),
        }
      : null;
  return {
    usage,
    ttftMs: prev.ttftMs ?? own.ttftMs,
    durationMs: (prev.durationMs ?? 0) + own.durationMs,
    reasoningMs: prev.reasoningMs !== undefined || own.reasoningMs !== undefined ? (prev.reasoningMs ?? 0) + (own.reasoningMs ?? 0) : undefined,
    cost: prev.cost != null && own.cost != null ? prev.cost + own.cost : null,
  };
}

