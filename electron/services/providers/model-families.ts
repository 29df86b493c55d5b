// How each model family thinks, as data: the one place that decides whether a model reasons at
// all, whether thinking can be switched per request, how large a thinking budget it takes, and
// whether its reasoning may arrive inline as `<think>…</think>` in the content. Everything that
// treats a model specially asks `familyOf` instead of testing model ids itself, so a snapshot that
// behaves differently (peers shipped "thinking cannot be turned off" bugs for single Qwen ids) is
// one row here, with a test.
//
// Sources: Alibaba Cloud Model Studio "deep thinking" page (enable_thinking / thinking_budget,
// maximum budgets per model), ModelScope API-Inference docs (enable_thinking top-level, thinking
// models refuse stream=false), model cards of the families (Qwen3 hybrid vs -Instruct/-Thinking
// 2507, DeepSeek-R1, MiniMax-M2 inline <think>).
import type { ModelInfo, ProviderKind } from '../../contract/index.ts';

export type ThinkingMode = 'none' | 'hybrid' | 'always';

export interface ModelFamily {
  family: string;
  thinking: ThinkingMode;
  /**
   * Reasoning may come inline in `content` (`<think>…</think>`, or only the closing tag because the
   * chat template already opened it). Only for these models is a lone `</think>` read as the end of
   * reasoning; for every other model it is just text of the answer.
   */
  inlineThink: boolean;
  /** Largest `thinking_budget` the family accepts; absent = no budget parameter. */
  budgetMax?: number;
  /** What a hybrid model does when `enable_thinking` is not sent. */
  thinkingDefault?: boolean;
}

interface Row extends ModelFamily {
  match: RegExp;
}

// First match wins: specific snapshots before their family.
const TABLE: Row[] = [
  { match: /qwen3[^/]*-thinking(-\d+)?$/i, family: 'qwen3-thinking', thinking: 'always', inlineThink: true, budgetMax: 81920 },
  { match: /qwen3[^/]*-(instruct|coder)[^/]*$|qwen3-coder/i, family: 'qwen3-instruct', thinking: 'none', inlineThink: false },
  { match: /qwen3\.5/i, family: 'qwen3.5', thinking: 'hybrid', inlineThink: true, budgetMax: 81920, thinkingDefault: true },
  { match: /qwen3-max-preview/i, family: 'qwen3-max-preview', thinking: 'hybrid', inlineThink: false, budgetMax: 81920, thinkingDefault: false },
  { match: /qwen3-max/i, family: 'qwen3-max', thinking: 'none', inlineThink: false },
  { match: /(^|\/)qwen3-(\d+(\.\d+)?b|\d+b-a\d+b)$/i, family: 'qwen3', thinking: 'hybrid', inlineThink: true, budgetMax: 38912, thinkingDefault: true },
  { match: /^qwen-(plus|flash|turbo)(-latest|-us)?$/i, family: 'qwen-commercial', thinking: 'hybrid', inlineThink: false, budgetMax: 38912, thinkingDefault: false },
  { match: /qwq/i, family: 'qwq', thinking: 'always', inlineThink: true },
  { match: /deepseek-r1/i, family: 'deepseek-r1', thinking: 'always', inlineThink: true },
  { match: /deepseek-v3\.[1-9]|deepseek-v4/i, family: 'deepseek-hybrid', thinking: 'hybrid', inlineThink: false, thinkingDefault: false },
  { match: /glm-(4\.[5-9]|5)/i, family: 'glm', thinking: 'hybrid', inlineThink: false, thinkingDefault: true },
  { match: /kimi-k2-thinking/i, family: 'kimi-thinking', thinking: 'always', inlineThink: false },
  { match: /kimi-k2\.5/i, family: 'kimi-k2.5', thinking: 'hybrid', inlineThink: false, thinkingDefault: true },
  { match: /minimax-m2/i, family: 'minimax-m2', thinking: 'always', inlineThink: true },
  { match: /gpt-oss/i, family: 'gpt-oss', thinking: 'always', inlineThink: false },
];

const NONE: ModelFamily = { family: 'other', thinking: 'none', inlineThink: false };

/** Model Studio models with web search (`enable_search`): the Qwen commercial line and Qwen3 open models. */
const SEARCH_MODELS = /^(qwen3?(\.5)?-(max|plus|turbo|flash)|qwq-plus|qwen3-\d)/i;

export function supportsSearch(kind: ProviderKind, modelId: string): boolean {
  return kind === 'dashscope' && SEARCH_MODELS.test(modelId);
}

export function familyOf(modelId: string): ModelFamily {
  const row = TABLE.find((r) => r.match.test(modelId));
  if (!row) return NONE;
  const { match: _m, ...family } = row;
  return family;
}

/** The family's row, overridden by what the user set on the model (capability flags). */
export function thinkingOf(modelId: string, info?: { reasoning?: boolean | undefined; hybridThinking?: boolean | undefined }): ModelFamily {
  const f = familyOf(modelId);
  if (info?.hybridThinking) return { ...f, thinking: 'hybrid', thinkingDefault: f.thinkingDefault ?? false };
  // The user said thinking cannot be switched for this model: it reasons, so treat it as thinking-only.
  if (info?.hybridThinking === false && f.thinking === 'hybrid' && info.reasoning !== false) return { ...f, thinking: 'always' };
  if (info?.reasoning === false && f.thinking !== 'none') return { ...f, thinking: 'none', inlineThink: false };
  return f;
}

/** What the settings and composer show of a model's thinking (the family table under the user's flags). */
export function withThinking(m: ModelInfo): ModelInfo {
  const f = thinkingOf(m.id, m);
  if (f.thinking === 'none') return m;
  const out: ModelInfo = { ...m, thinking: f.thinking, reasoning: true };
  if (f.thinking === 'hybrid') {
    out.hybridThinking = true;
    out.thinkingDefault = f.thinkingDefault ?? false;
  }
  if (f.budgetMax) out.thinkingBudgetMax = f.budgetMax;
  return out;
}
