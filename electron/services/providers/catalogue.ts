// A provider's model list as pure functions over its stored settings: the preset catalogue, models
// added by hand or fetched, the user's edits on top, and what "Fetch models" found new or gone.
// The registry reads and writes settings; everything here only computes.
import { supportsSearch, withThinking } from './model-families.ts';
import type { ModelInfo } from '../../contract/index.ts';
import type { StoredProvider } from '../settings/store.ts';
import { DASHSCOPE_MODELS, presetFor } from './presets.ts';

/** Upper bound on models kept from one "Fetch models" (an aggregator can list thousands). */
export const MAX_EXTRA_MODELS = 2000;

export function presetModels(p: StoredProvider): ModelInfo[] {
  if (p.kind === 'dashscope') return DASHSCOPE_MODELS[p.region ?? 'singapore'];
  return presetFor(p.kind)?.models ?? [];
}

/** Catalogue + extra models, each with the user's edits applied; first occurrence of an id wins. */
export function mergeModels(preset: ModelInfo[], extra: ModelInfo[], overrides: Record<string, Partial<ModelInfo>>): ModelInfo[] {
  const out: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const m of [...preset, ...extra]) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    const o = overrides[m.id];
    out.push(o && Object.keys(o).length ? { ...m, ...o, edited: true } : m);
  }
  return out;
}

/** Every model of a provider as the UI and the chat see it: edits applied, gone ones marked, thinking and search filled in. */
export function providerModels(p: StoredProvider): ModelInfo[] {
  const gone = new Set(p.goneModels ?? []);
  return mergeModels(presetModels(p), p.extraModels, p.modelOverrides).map((m) => {
    const out = withThinking(gone.has(m.id) ? { ...m, gone: true } : m);
    return supportsSearch(p.kind, m.id) ? { ...out, webSearch: true } : out;
  });
}

/**
 * Merges the ids a provider's GET /models returned into the extra models: ids not known yet are
 * added as `fetched` and marked new; known ones (catalogue, manual, fetched earlier) stay as they are.
 * Models that disappeared upstream are kept: the user may still have conversations on them.
 */
export function mergeFetched(known: ModelInfo[], extra: ModelInfo[], fetchedIds: string[]): { extra: ModelInfo[]; added: string[] } {
  const have = new Set([...known, ...extra].map((m) => m.id));
  const added: string[] = [];
  for (const raw of fetchedIds) {
    const id = raw.trim();
    if (!id || id.length > 200 || /[\s\p{Cc}]/u.test(id) || have.has(id)) continue;
    have.add(id);
    added.push(id);
  }
  const room = Math.max(0, MAX_EXTRA_MODELS - extra.length);
  const kept = added.slice(0, room);
  return { extra: [...extra, ...kept.map((id): ModelInfo => ({ id, source: 'fetched', isNew: true }))], added: kept };
}

/** A fetched list applied to a provider: new ids added, and known ones the list no longer has marked gone (an empty list marks nothing). */
export function applyFetched(p: StoredProvider, ids: string[]): { extra: ModelInfo[]; added: string[]; gone: string[] } {
  const merged = mergeFetched(presetModels(p), p.extraModels, ids);
  const listed = new Set(ids.map((x) => x.trim()));
  const gone = ids.length ? [...presetModels(p), ...merged.extra].map((m) => m.id).filter((m) => !listed.has(m)) : (p.goneModels ?? []);
  return { ...merged, gone };
}

export interface ModelPatch {
  inputPrice?: number | null | undefined;
  outputPrice?: number | null | undefined;
  reasoning?: boolean | undefined;
  hybridThinking?: boolean | undefined;
  toolUse?: boolean | undefined;
  imageInput?: boolean | undefined;
  reset?: boolean | undefined;
}

/** The user's edits of one model after `patch` (undefined after a reset): stored as overrides, so the catalogue can change under them. */
export function patchedOverride(current: Partial<ModelInfo> | undefined, patch: ModelPatch): Partial<ModelInfo> | undefined {
  if (patch.reset) return undefined;
  const o = { ...(current ?? {}) };
  if (patch.inputPrice !== undefined) o.inputPrice = patch.inputPrice;
  if (patch.outputPrice !== undefined) o.outputPrice = patch.outputPrice;
  for (const flag of ['reasoning', 'hybridThinking', 'toolUse', 'imageInput'] as const) if (patch[flag] !== undefined) o[flag] = patch[flag];
  return o;
}
