// Provider- and model-specific request fields, decided from data (the model-family table and the
// provider-kind table `PROVIDER_QUIRKS` below) rather than from checks spread through the chat
// service: a new provider quirk is a column here or a row in providers/model-families.ts. Also the checks that
// refuse a request before it is sent, so an invalid value never costs a call or quota.
//
// Sources: Model Studio "deep thinking" (enable_thinking and thinking_budget are top-level fields
// in the OpenAI-compatible API; the budget's maximum depends on the model), ModelScope
// API-Inference (enable_thinking top-level for hybrid models). Thinking is never switched by
// prompt text such as "/no_think": only by the documented parameter. Model Studio web search:
// `enable_search` with `search_options.enable_source` so the sources come back. Structured output:
// Model Studio's page says JSON mode needs the word "JSON" in the prompt and that json_schema is
// not available while the model thinks.
import type { ChatParams, ModelInfo, ProviderKind } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { supportsSearch, thinkingOf } from '../providers/model-families.ts';

/** What each provider kind's OpenAI-compatible API takes beyond the common fields: one row per kind. */
interface ProviderQuirks {
  /** `enable_thinking` / `thinking_budget` as top-level request fields. */
  topLevelThinking: boolean;
  /** `response_format: json_schema` is documented (json_object is the common mode everywhere). */
  jsonSchema: boolean;
}

export const PROVIDER_QUIRKS: Readonly<Record<ProviderKind, ProviderQuirks>> = {
  modelscope: { topLevelThinking: true, jsonSchema: false },
  dashscope: { topLevelThinking: true, jsonSchema: true },
  // W&B takes no enable_thinking.
  wandb: { topLevelThinking: false, jsonSchema: false },
  custom: { topLevelThinking: true, jsonSchema: true },
};

export function searchFields(kind: ProviderKind, modelId: string, params: ChatParams): Record<string, unknown> {
  if (!params.enableSearch || !supportsSearch(kind, modelId)) return {};
  return { enable_search: true, search_options: { enable_source: true } };
}

export function responseFormatFields(params: ChatParams): Record<string, unknown> {
  if (params.responseFormat === 'json_object') return { response_format: { type: 'json_object' } };
  if (params.responseFormat === 'json_schema' && params.jsonSchema) {
    return { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: JSON.parse(params.jsonSchema) as unknown } } };
  }
  return {};
}

export function thinkingFields(kind: ProviderKind, modelId: string, info: ModelInfo | undefined, params: ChatParams): Record<string, unknown> {
  const f = thinkingOf(modelId, info);
  const out: Record<string, unknown> = {};
  if (!PROVIDER_QUIRKS[kind].topLevelThinking || f.thinking === 'none') return out;
  if (f.thinking === 'hybrid' && params.enableThinking !== undefined) out['enable_thinking'] = params.enableThinking;
  const thinks = f.thinking === 'always' || (params.enableThinking ?? f.thinkingDefault ?? false);
  if (thinks && params.thinkingBudget !== undefined && f.budgetMax) out['thinking_budget'] = params.thinkingBudget;
  return out;
}

const formatError = (reason: 'mention_json' | 'thinking' | 'provider' | 'schema', message: string) =>
  new ServiceError(reason === 'mention_json' ? 'json_mode_needs_json' : reason === 'schema' ? 'invalid_params' : 'response_format_unsupported', message, {
    params: { reason },
    ...(reason === 'schema' ? { details: 'jsonSchema: not a JSON object' } : {}),
  });

/** Structured output as Model Studio documents it; `prompt` is the system prompt and the question. */
function checkResponseFormat(kind: ProviderKind, thinks: boolean, params: ChatParams, prompt: string | undefined): void {
  if (params.responseFormat === 'json_object' && prompt !== undefined && !/json/i.test(prompt)) {
    throw formatError('mention_json', 'JSON mode needs the word "JSON" in the system prompt or the question.');
  }
  if (params.responseFormat !== 'json_schema') return;
  if (!PROVIDER_QUIRKS[kind].jsonSchema) throw formatError('provider', 'This provider does not document json_schema output.');
  if (thinks) throw formatError('thinking', 'A JSON schema cannot be used while the model thinks.');
  try {
    const v = JSON.parse(params.jsonSchema ?? '') as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
  } catch {
    throw formatError('schema', 'The JSON schema is not a JSON object.');
  }
}

/** Refuses, before anything is sent, values the model is documented not to accept. */
export function checkForModel(modelId: string, info: ModelInfo | undefined, params: ChatParams, kind: ProviderKind = 'custom', prompt?: string): void {
  const f = thinkingOf(modelId, info);
  const thinks = f.thinking === 'always' || (f.thinking === 'hybrid' && (params.enableThinking ?? f.thinkingDefault ?? false));
  checkResponseFormat(kind, thinks, params, prompt);
  const budget = params.thinkingBudget;
  if (budget !== undefined && f.thinking !== 'none') {
    if (!f.budgetMax || budget > f.budgetMax) {
      throw new ServiceError('thinking_budget_range', `The thinking budget must be between 1 and ${f.budgetMax ?? 0} tokens for ${modelId}.`, {
        params: { max: f.budgetMax ?? 0, model: modelId },
      });
    }
  }
}
