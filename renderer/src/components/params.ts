// The parameters form: text fields in, validated ChatParams out. The ranges are the ones the Model
// Studio page states (main checks them again with the contract's schema); an invalid field yields
// an error key for an inline message and is never sent.
import type { ChatParams } from '../../../electron/contract/index.ts';

export interface ParamsForm {
  temperature: string;
  topP: string;
  maxTokens: string;
  presencePenalty: string;
  seed: string;
  /** One stop sequence per line. */
  stop: string;
  enableThinking: 'default' | 'on' | 'off';
  thinkingBudget: string;
  responseFormat: 'text' | 'json_object' | 'json_schema';
  /** The schema object as JSON text (json_schema only). */
  jsonSchema: string;
}

export type ParamField = Exclude<keyof ParamsForm, 'enableThinking' | 'responseFormat'>;

/** i18n keys under chat.params.errors. */
export type ParamError = 'number' | 'temperature' | 'topP' | 'maxTokens' | 'maxTokensModel' | 'presencePenalty' | 'seed' | 'stopCount' | 'stopLength' | 'thinkingBudget' | 'jsonSchema';

export const MAX_STOP = 4;

export function formOf(p: ChatParams): ParamsForm {
  const str = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    temperature: str(p.temperature),
    topP: str(p.topP),
    maxTokens: str(p.maxTokens),
    presencePenalty: str(p.presencePenalty),
    seed: str(p.seed),
    stop: (p.stop ?? []).join('\n'),
    enableThinking: p.enableThinking === undefined ? 'default' : p.enableThinking ? 'on' : 'off',
    thinkingBudget: str(p.thinkingBudget),
    responseFormat: p.responseFormat ?? 'text',
    jsonSchema: p.jsonSchema ?? '',
  };
}

function isJsonObject(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return !!v && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

function num(text: string): number | null | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  // Number('') is 0 and Number('0x10') is 16: only plain decimal notation is a number here.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function validateParams(
  f: ParamsForm,
  model?: { maxOutput?: number | undefined; thinkingBudgetMax?: number | undefined },
): { params: ChatParams; errors: Partial<Record<ParamField, ParamError>> } {
  const params: ChatParams = {};
  const errors: Partial<Record<ParamField, ParamError>> = {};

  const temperature = num(f.temperature);
  if (temperature === null) errors.temperature = 'number';
  else if (temperature !== undefined) {
    if (temperature >= 0 && temperature < 2) params.temperature = temperature;
    else errors.temperature = 'temperature';
  }

  const topP = num(f.topP);
  if (topP === null) errors.topP = 'number';
  else if (topP !== undefined) {
    if (topP > 0 && topP <= 1) params.topP = topP;
    else errors.topP = 'topP';
  }

  const maxTokens = num(f.maxTokens);
  if (maxTokens === null) errors.maxTokens = 'number';
  else if (maxTokens !== undefined) {
    if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 1_000_000) errors.maxTokens = 'maxTokens';
    else if (model?.maxOutput && maxTokens > model.maxOutput) errors.maxTokens = 'maxTokensModel';
    else params.maxTokens = maxTokens;
  }

  const presencePenalty = num(f.presencePenalty);
  if (presencePenalty === null) errors.presencePenalty = 'number';
  else if (presencePenalty !== undefined) {
    if (presencePenalty >= -2 && presencePenalty <= 2) params.presencePenalty = presencePenalty;
    else errors.presencePenalty = 'presencePenalty';
  }

  const seed = num(f.seed);
  if (seed === null) errors.seed = 'number';
  else if (seed !== undefined) {
    if (Number.isSafeInteger(seed) && seed >= 0) params.seed = seed;
    else errors.seed = 'seed';
  }

  const stop = f.stop.split('\n').filter((s) => s.trim() !== '');
  if (stop.length > MAX_STOP) errors.stop = 'stopCount';
  else if (stop.some((s) => s.length > 200)) errors.stop = 'stopLength';
  else if (stop.length) params.stop = stop;

  if (f.enableThinking !== 'default') params.enableThinking = f.enableThinking === 'on';

  // Only models with a documented maximum take a budget (the family table in main says which).
  const budget = num(f.thinkingBudget);
  if (budget === null) errors.thinkingBudget = 'number';
  else if (budget !== undefined && model?.thinkingBudgetMax) {
    if (Number.isInteger(budget) && budget >= 1 && budget <= model.thinkingBudgetMax) params.thinkingBudget = budget;
    else errors.thinkingBudget = 'thinkingBudget';
  }
  if (f.responseFormat === 'json_object') params.responseFormat = 'json_object';
  else if (f.responseFormat === 'json_schema') {
    if (isJsonObject(f.jsonSchema)) Object.assign(params, { responseFormat: 'json_schema', jsonSchema: f.jsonSchema.trim() });
    else errors.jsonSchema = 'jsonSchema';
  }
  return { params, errors };
}
