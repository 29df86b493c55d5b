// Provider configuration as the rest of the services see it: presets merged with the user's
// settings, keys from the vault, and the one place that turns "provider id" into a request target.
import type { ModelInfo, ProviderView } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { SettingsStore, StoredProvider } from '../settings/store.ts';
import type { KeyVault } from '../vault/vault.ts';
import { DASHSCOPE_MODELS, DASHSCOPE_REGIONS, presetFor, PRESETS } from './presets.ts';
import type { Target } from './upstream.ts';

export function defaultBaseUrl(p: StoredProvider): string | null {
  if (p.kind === 'dashscope') return DASHSCOPE_REGIONS[p.region ?? 'singapore'].baseUrl;
  return presetFor(p.kind)?.defaultBaseUrl ?? null;
}

export function effectiveBaseUrl(p: StoredProvider): string {
  return (p.baseUrl ?? defaultBaseUrl(p) ?? '').replace(/\/+$/, '');
}

function presetModels(p: StoredProvider): ModelInfo[] {
  if (p.kind === 'dashscope') return DASHSCOPE_MODELS[p.region ?? 'singapore'];
  return presetFor(p.kind)?.models ?? [];
}

export class ProviderRegistry {
  private readonly settings: SettingsStore;
  private readonly vault: KeyVault;

  constructor(settings: SettingsStore, vault: KeyVault) {
    this.settings = settings;
    this.vault = vault;
  }

  /** Imports keys from MODELSCOPE_API_KEY etc. on the very first run. */
  importEnvKeys(env: Readonly<Record<string, string | undefined>>): void {
    this.vault.importFromEnv(
      env,
      PRESETS.map((p) => ({ providerId: p.id, envKeys: p.envKeys })),
    );
  }

  stored(id: string): StoredProvider | undefined {
    return this.settings.get().providers.find((p) => p.id === id);
  }

  models(p: StoredProvider): ModelInfo[] {
    const out: ModelInfo[] = [];
    const seen = new Set<string>();
    for (const m of [...presetModels(p), ...p.extraModels]) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      out.push({ ...m, ...(p.modelOverrides[m.id] ?? {}) });
    }
    return out;
  }

  model(providerId: string, modelId: string): ModelInfo | undefined {
    const p = this.stored(providerId);
    return p ? this.models(p).find((m) => m.id === modelId) : undefined;
  }

  view(p: StoredProvider): ProviderView {
    const preset = presetFor(p.kind);
    const base = effectiveBaseUrl(p);
    const v: ProviderView = {
      id: p.id,
      kind: p.kind,
      name: p.name,
      enabled: p.enabled,
      baseUrl: base,
      defaultBaseUrl: defaultBaseUrl(p),
      headers: { ...p.headers },
      timeoutSec: p.timeoutSec,
      maxRetries: p.maxRetries,
      models: this.models(p),
      keys: this.vault.list(p.id),
      requestUrlPreview: `${base}/chat/completions`,
    };
    if (p.region) v.region = p.region;
    if (p.project !== undefined) v.project = p.project;
    if (preset?.tokenUrl) v.tokenUrl = preset.tokenUrl;
    if (preset?.docsUrl) v.docsUrl = preset.docsUrl;
    return v;
  }

  list(): ProviderView[] {
    return this.settings.get().providers.map((p) => this.view(p));
  }

  get(id: string): ProviderView {
    const p = this.stored(id);
    if (!p) throw new ServiceError('not_found', `No provider "${id}".`);
    return this.view(p);
  }

  update(id: string, mutate: (p: StoredProvider) => void): ProviderView {
    if (!this.stored(id)) throw new ServiceError('not_found', `No provider "${id}".`);
    this.settings.update((s) => {
      const p = s.providers.find((x) => x.id === id)!;
      mutate(p);
    });
    return this.get(id);
  }

  setKeys(id: string, text: string): ProviderView {
    if (!this.stored(id)) throw new ServiceError('not_found', `No provider "${id}".`);
    this.vault.setKeys(id, text);
    return this.get(id);
  }

  /**
   * Everything needed for one upstream request with the key to use now. Throws a ServiceError the
   * UI can act on when the provider is missing, disabled or has no key.
   */
  target(providerId: string): Target {
    const p = this.stored(providerId);
    if (!p) throw new ServiceError('no_provider', `The provider "${providerId}" is not configured.`, { actions: ['open_settings'] });
    if (!p.enabled) {
      throw new ServiceError('no_provider', `${p.name} is disabled in settings.`, { actions: ['open_settings', 'switch_model'], providerId, params: { provider: p.name } });
    }
    const picked = this.vault.pick(p.id);
    if (!picked && p.kind !== 'custom') {
      throw new ServiceError('no_key', `No API key is set for ${p.name}.`, { actions: ['open_settings'], providerId, params: { provider: p.name } });
    }
    const t: Target = {
      providerId: p.id,
      kind: p.kind,
      name: p.name,
      baseUrl: effectiveBaseUrl(p),
      apiKey: picked?.key ?? null,
      keyId: picked?.id ?? null,
      headers: { ...p.headers },
      timeoutMs: p.timeoutSec * 1000,
    };
    if (p.kind === 'wandb' && p.project) t.project = p.project;
    return t;
  }

  maxRetries(providerId: string): number {
    return this.stored(providerId)?.maxRetries ?? 2;
  }

  markKeyFailed(providerId: string, keyId: string | null, code: string, message?: string): void {
    if (keyId) this.vault.markFailed(providerId, keyId, code, message);
  }

  markKeyOk(providerId: string, keyId: string | null): void {
    if (keyId) this.vault.markOk(providerId, keyId);
  }
}
