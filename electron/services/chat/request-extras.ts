// Provider- and model-specific request fields, decided from data (the model-family table and the
// provider kind) rather than from checks spread through the chat service. Also the checks that
// refuse a request before it is sent, so an invalid value never costs a call or quota.
//
// Sources: Model Studio "deep thinking" (enable_thinking and thinking_budget are top-level fields
// in the OpenAI-compatible API; the budget's maximum depends on the model), ModelScope
// API-Inference (enable_thinking top-level for hybrid models). Thinking is never switched by
// prompt text such as "/no_think": only by the documented parameter.
import type { ChatParams, ModelInfo, ProviderKind } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { thinkingOf } from '../providers/model-families.ts';

/** Providers whose OpenAI-compatible API takes `enable_thinking` / `thinking_budget` top-level. */
const TOP_LEVEL_THINKING: ReadonlySet<ProviderKind> = new Set(['modelscope', 'dashscope', 'custom']);

export function thinkingFields(kind: ProviderKind, modelId: string, info: ModelInfo | undefined, params: ChatParams): Record<string, unknown> {
  const f = thinkingOf(modelId, info);
  const out: Record<string, unknown> = {};
  if (!TOP_LEVEL_THINKING.has(kind) || f.thinking === 'none') return out;
  if (f.thinking === 'hybrid' && params.enableThinking !== undefined) out['enable_thinking'] = params.enableThinking;
  const thinks = f.thinking === 'always' || (params.enableThinking ?? f.thinkingDefault ?? false);
  if (thinks && params.thinkingBudget !== undefined && f.budgetMax) out['thinking_budget'] = params.thinkingBudget;
  return out;
}

/** Refuses, before anything is sent, values the model is documented not to accept. */
export function checkForModel(modelId: string, info: ModelInfo | undefined, params: ChatParams): void {
  const f = thinkingOf(modelId, info);
  const budget = params.thinkingBudget;
  if (budget !== undefined && f.thinking !== 'none') {
    if (!f.budgetMax || budget > f.budgetMax) {
      throw new ServiceError('thinking_budget_range', `The thinking budget must be between 1 and ${f.budgetMax ?? 0} tokens for ${modelId}.`, {
        params: { max: f.budgetMax ?? 0, model: modelId },
      });
    }
  }
}
