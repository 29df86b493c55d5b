import type { ModelRef, ProviderView } from '../../../electron/contract/index.ts';

// A model as one <select> value. Ids may hold '/', ':' and the like but never a control character
// (ModelId in the contract), so NUL separates the two.
const SEP = '\u0000';

export const modelValue = (ref: ModelRef | null | undefined): string => (ref ? `${ref.providerId}${SEP}${ref.modelId}` : '');

export function parseModelValue(value: string): ModelRef {
  const [providerId, modelId] = value.split(SEP) as [string, string];
  return { providerId, modelId };
}

/** The models of these providers as <option>s of a select, one <optgroup> per provider. */
export function ModelOptionGroups({ providers, groupLabel }: { providers: ProviderView[]; groupLabel: (p: ProviderView) => string }) {
  return providers.map((p) => (
    <optgroup key={p.id} label={groupLabel(p)}>
      {p.models.map((m) => (
        <option key={m.id} value={modelValue({ providerId: p.id, modelId: m.id })}>
          {m.label ?? m.id}
        </option>
      ))}
    </optgroup>
  ));
}
