// Provider configuration as the rest of the services see it: presets merged with the user's
// settings, keys from the vault, and the one place that turns "provider id" into a request target.
// The model list itself is computed in catalogue.ts; this class stores what it returns.
import { applyFetched, patchedOverride, providerModels, type ModelPatch } from './catalogue.ts';
import { type DashscopeRegion, type ModelInfo, type ModelscopeSite, type ProviderView } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { SettingsStore, StoredProvider } from '../settings/store.ts';
import { newId } from '../util/ids.ts';
import type { KeyVault } from '../vault/vault.ts';
import { originOf } from '../secrets/bound.ts';
import { settleSecrets, splitHeaders, validateBaseUrl } from './secrets.ts';
export { validateBaseUrl, validateHeaders } from './secrets.ts';
import { DASHSCOPE_REGIONS, MODELSCOPE_SITES, presetFor, PRESETS, regionOfWorkspaceHost } from './presets.ts';
import type { Target } from './upstream.ts';

export function defaultBaseUrl(p: Pick<StoredProvider, 'kind' | 'region' | 'site'>): string | null {
  if (p.kind === 'dashscope') return DASHSCOPE_REGIONS[p.region ?? 'singapore'].baseUrl;
  if (p.kind === 'modelscope') return MODELSCOPE_SITES[p.site ?? 'cn'].baseUrl;
  return presetFor(p.kind)?.defaultBaseUrl ?? null;
}

export function effectiveBaseUrl(p: StoredProvider): string {
  return (p.baseUrl ?? defaultBaseUrl(p) ?? '').replace(/\/+$/, '');
}

/** What the SDK will POST to: base URL without trailing slashes + /chat/completions. */
export function requestUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/chat/completions`;
}

/** W&B's project is "team/project"; empty means none (no OpenAI-Project header). */
export function validateProject(project: string): string {
  const p = project.trim();
  if (p !== '' && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(p)) {
    throw new ServiceError('invalid_project', 'The project must look like team/project.', { params: { project: p.slice(0, 100) } });
  }
  return p;
}

export interface TargetOptions {
  /** Use this key instead of the next one in rotation ("Check" on one key). */
  keyId?: string;
  /** GET /models on ModelScope answers without a token, so fetching models needs no key. */
  requireKey?: boolean;
  /** Settings actions (Check, Fetch models) work on a provider before it is enabled. */
  allowDisabled?: boolean;
}

export class ProviderRegistry {
  private readonly settings: SettingsStore;
  private readonly vault: KeyVault;

  constructor(settings: SettingsStore, vault: KeyVault) {
    this.settings = settings;
    this.vault = vault;
    // Keys stored before keys were bound belong to where their provider points at the first start that knows the rule.
    for (const p of settings.get().providers) this.settle(p);
  }

  private settle(p: StoredProvider): void {
    settleSecrets(this.settings, this.vault, p, effectiveBaseUrl(p));
  }

  /** Imports keys from MODELSCOPE_API_KEY etc. on the very first run, bound to the provider's base URL then. */
  importEnvKeys(env: Readonly<Record<string, string | undefined>>): void {
    this.vault.importFromEnv(
      env,
      PRESETS.map((p) => {
        const stored = this.stored(p.id);
        return { providerId: p.id, envKeys: p.envKeys, baseUrl: stored ? effectiveBaseUrl(stored) : p.defaultBaseUrl };
      }),
    );
  }

  stored(id: string): StoredProvider | undefined {
    return this.settings.get().providers.find((p) => p.id === id);
  }

  private require(id: string): StoredProvider {
    const p = this.stored(id);
    if (!p) throw new ServiceError('not_found', `No provider "${id}".`);
    return p;
  }

  models(p: StoredProvider): ModelInfo[] {
    return providerModels(p);
  }

  model(providerId: string, modelId: string): ModelInfo | undefined {
    const p = this.stored(providerId);
    return p ? this.models(p).find((m) => m.id === modelId) : undefined;
  }

  view(stored: StoredProvider): ProviderView {
    this.settle(stored);
    // Settling may have moved legacy headers out of settings: read the provider again.
    const p = this.stored(stored.id) ?? stored;
    const preset = presetFor(p.kind);
    const base = effectiveBaseUrl(p);
    const origin = originOf(base);
    const v: ProviderView = {
      id: p.id,
      kind: p.kind,
      name: p.name,
      enabled: p.enabled,
      baseUrl: base,
      defaultBaseUrl: defaultBaseUrl(p),
      headers: { ...p.headers },
      secretHeaders: this.vault.headerViews(p.id, origin),
      timeoutSec: p.timeoutSec,
      maxRetries: p.maxRetries,
      models: this.models(p),
      keys: this.vault.list(p.id, origin),
      requestUrlPreview: requestUrl(base),
    };
    if (p.region) v.region = p.region;
    if (p.kind === 'dashscope') v.regionBaseUrls = { singapore: DASHSCOPE_REGIONS.singapore.baseUrl, us: DASHSCOPE_REGIONS.us.baseUrl, beijing: DASHSCOPE_REGIONS.beijing.baseUrl };
    if (p.project !== undefined) v.project = p.project;
    if (preset?.tokenUrl) v.tokenUrl = preset.tokenUrl;
    if (preset?.docsUrl) v.docsUrl = preset.docsUrl;
    if (p.kind === 'modelscope') {
      const site = MODELSCOPE_SITES[p.site ?? 'cn'];
      Object.assign(v, { site: p.site ?? 'cn', siteBaseUrls: { cn: MODELSCOPE_SITES.cn.baseUrl, intl: MODELSCOPE_SITES.intl.baseUrl }, tokenUrl: site.tokenUrl, docsUrl: site.docsUrl });
    }
    return v;
  }

  list(): ProviderView[] {
    return this.settings.get().providers.map((p) => this.view(p));
  }

  get(id: string): ProviderView {
    return this.view(this.require(id));
  }

  update(id: string, mutate: (p: StoredProvider) => void): ProviderView {
    this.require(id);
    this.settings.update((s) => {
      const p = s.providers.find((x) => x.id === id)!;
      mutate(p);
    });
    return this.get(id);
  }

  /** The settings form's fields, checked; a region change drops a base URL that only named the old region. */
  configure(
    id: string,
    patch: {
      name?: string | undefined;
      enabled?: boolean | undefined;
      baseUrl?: string | null | undefined;
      region?: DashscopeRegion | undefined;
      site?: ModelscopeSite | undefined;
      project?: string | undefined;
      headers?: Record<string, string> | undefined;
      publicHeaders?: string[] | undefined;
      keepSecretHeaders?: string[] | undefined;
      timeoutSec?: number | undefined;
      maxRetries?: number | undefined;
    },
  ): ProviderView {
    const before = this.require(id);
    // Secrets stored before binding get the origin they were saved under, not the new one.
    this.settle(before);
    if (patch.baseUrl) validateBaseUrl(patch.baseUrl);
    const split = patch.headers ? splitHeaders({ headers: patch.headers, publicHeaders: patch.publicHeaders, keepSecretHeaders: patch.keepSecretHeaders }, this.vault.headerViews(id, null).map((h) => h.name)) : null;
    const project = patch.project !== undefined ? validateProject(patch.project) : undefined;
    this.update(id, (p) => {
      if (patch.name !== undefined && patch.name.trim()) p.name = patch.name.trim();
      if (patch.enabled !== undefined) p.enabled = patch.enabled;
      if (patch.region !== undefined && p.kind === 'dashscope' && patch.region !== p.region) {
        p.region = patch.region;
        const regionUrls = Object.values(DASHSCOPE_REGIONS).map((r) => r.baseUrl);
        if (p.baseUrl && regionUrls.includes(p.baseUrl.replace(/\/+$/, ''))) p.baseUrl = null;
        // Fetched models belong to the region they were listed in.
        p.extraModels = p.extraModels.filter((m) => m.source !== 'fetched');
      }
      if (patch.site !== undefined && p.kind === 'modelscope' && patch.site !== (p.site ?? 'cn')) {
        p.site = patch.site;
        // A base URL that only named the other site follows the site; a proxy or mirror stays.
        if (p.baseUrl && Object.values(MODELSCOPE_SITES).some((s) => s.baseUrl === p.baseUrl!.replace(/\/+$/, ''))) p.baseUrl = null;
      }
      // A workspace host names its region: show that region's catalogue (keys stay bound to it).
      const wsRegion = p.kind === 'dashscope' && patch.baseUrl ? regionOfWorkspaceHost(patch.baseUrl) : null;
      if (wsRegion && wsRegion !== p.region) {
        p.region = wsRegion;
        p.extraModels = p.extraModels.filter((m) => m.source !== 'fetched');
      }
      if (patch.baseUrl !== undefined) {
        const url = patch.baseUrl?.trim().replace(/\/+$/, '') ?? null;
        // A custom provider has no default to fall back to; keep its URL.
        if (url === null && p.kind === 'custom') {
          /* keep */
        } else p.baseUrl = url !== null && url === defaultBaseUrl(p) ? null : url;
      }
      if (project !== undefined && p.kind === 'wandb') p.project = project;
      if (split) {
        p.headers = split.plain;
        p.headersSealed = true;
      }
      if (patch.timeoutSec !== undefined) p.timeoutSec = patch.timeoutSec;
      if (patch.maxRetries !== undefined) p.maxRetries = patch.maxRetries;
    });
    // New secret values are bound to where the provider points after this change; kept ones keep their binding.
    if (split) this.vault.setHeaders(id, split.secret, split.keep, originOf(effectiveBaseUrl(this.require(id))));
    return this.get(id);
  }

  /** A custom OpenAI-compatible provider; http://localhost is fine (local servers). */
  addCustom(o: { name: string; baseUrl: string; headers?: Record<string, string> | undefined; publicHeaders?: string[] | undefined }): ProviderView {
    validateBaseUrl(o.baseUrl);
    const split = splitHeaders({ headers: o.headers ?? {}, publicHeaders: o.publicHeaders }, []);
    const id = newId('custom-');
    this.settings.update((s) => {
      s.providers.push({
        id,
        kind: 'custom',
        name: o.name.trim() || 'Custom',
        enabled: true,
        baseUrl: o.baseUrl.trim().replace(/\/+$/, ''),
        headers: split.plain,
        headersSealed: true,
        timeoutSec: 60,
        maxRetries: 2,
        extraModels: [],
        modelOverrides: {},
      });
    });
    this.vault.setHeaders(id, split.secret, [], originOf(o.baseUrl));
    return this.get(id);
  }

  /** Removes a custom provider, its keys, and the default model if it pointed there. */
  removeCustom(id: string): void {
    const p = this.require(id);
    if (p.kind !== 'custom') throw new ServiceError('invalid_request', 'Built-in providers can be disabled, not removed.');
    this.settings.update((s) => {
      s.providers = s.providers.filter((x) => x.id !== id);
      if (s.defaultModel?.providerId === id) s.defaultModel = null;
    });
    this.vault.removeProvider(id);
  }

  /** Keys pasted now are bound to where the provider points now. */
  setKeys(id: string, text: string, mode: 'replace' | 'append' = 'replace'): ProviderView {
    const p = this.require(id);
    this.settle(p);
    const origin = originOf(effectiveBaseUrl(p));
    // A key with nowhere to belong would be bound to whatever URL came next: refuse it instead.
    if (!origin) throw new ServiceError('invalid_request', `${p.name} has no base URL to bind keys to.`);
    this.vault.setKeys(id, text, { origin, append: mode === 'append' });
    return this.get(id);
  }

  removeKey(id: string, keyId: string): ProviderView {
    this.require(id);
    if (!this.vault.removeKey(id, keyId)) throw new ServiceError('not_found', 'This key is no longer stored.');
    return this.get(id);
  }

  addModel(id: string, modelId: string): ProviderView {
    const p = this.require(id);
    if (this.models(p).some((m) => m.id === modelId)) return this.get(id);
    return this.update(id, (x) => {
      x.extraModels = [...x.extraModels, { id: modelId, source: 'manual' }];
    });
  }

  removeModel(id: string, modelId: string): ProviderView {
    const p = this.require(id);
    if (!p.extraModels.some((m) => m.id === modelId)) throw new ServiceError('invalid_request', 'Only models added by hand or fetched can be removed.');
    return this.update(id, (x) => {
      x.extraModels = x.extraModels.filter((m) => m.id !== modelId);
      delete x.modelOverrides[modelId];
    });
  }

  /** Price edits are stored as overrides, so the catalogue can change under them without losing them. */
  updateModel(id: string, modelId: string, patch: ModelPatch): ProviderView {
    const p = this.require(id);
    if (!this.models(p).some((m) => m.id === modelId)) throw new ServiceError('not_found', `No model "${modelId}".`);
    return this.update(id, (x) => {
      const o = patchedOverride(x.modelOverrides[modelId], patch);
      if (o) x.modelOverrides = { ...x.modelOverrides, [modelId]: o };
      else delete x.modelOverrides[modelId];
    });
  }

  /** New ids are added and marked new; known ones the list no longer has are marked gone (an empty list marks nothing). */
  mergeFetched(id: string, ids: string[]): { provider: ProviderView; added: string[]; gone: string[] } {
    const { extra, added, gone } = applyFetched(this.require(id), ids);
    const provider = this.update(id, (x) => {
      x.extraModels = extra;
      x.goneModels = gone;
    });
    return { provider, added, gone };
  }

  markModelsSeen(id: string): ProviderView {
    return this.update(id, (x) => {
      x.extraModels = x.extraModels.map(({ isNew: _n, ...m }) => m);
    });
  }

  /**
   * Everything needed for one upstream request with the key to use now. Throws a ServiceError the
   * UI can act on when the provider is missing, disabled or has no key.
   */
  target(providerId: string, o: TargetOptions = {}): Target {
    const p = this.stored(providerId);
    if (!p) throw new ServiceError('no_provider', `The provider "${providerId}" is not configured.`, { actions: ['open_settings'] });
    if (!p.enabled && !o.allowDisabled) {
      throw new ServiceError('no_provider', `${p.name} is disabled in settings.`, { actions: ['open_settings', 'switch_model'], providerId, params: { provider: p.name } });
    }
    this.settle(p);
    const baseUrl = effectiveBaseUrl(p);
    const origin = originOf(baseUrl);
    const picked = o.keyId ? this.vault.get(p.id, o.keyId, origin) : this.vault.pick(p.id, origin);
    if (o.keyId && !picked) {
      const stored = this.vault.list(p.id, origin).find((k) => k.id === o.keyId);
      if (stored?.detached) throw this.detached(p, stored.origin);
      throw new ServiceError('not_found', 'This key is no longer stored.');
    }
    // Keys saved for another address: say so (a keyless custom provider too, rather than calling without its key).
    const detached = picked || o.requireKey === false ? undefined : this.vault.list(p.id, origin).find((k) => k.detached);
    if (detached) throw this.detached(p, detached.origin);
    const otherMode = picked || o.requireKey === false ? undefined : this.vault.list(p.id, origin).find((k) => k.failure?.code.startsWith('sealed_by_'));
    if (otherMode) {
      throw new ServiceError('key_other_mode', `The key of ${p.name} was saved by the other mode of Kaiwa; paste it again here.`, { actions: ['open_settings'], providerId, params: { provider: p.name } });
    }
    if (!picked && p.kind !== 'custom' && o.requireKey !== false) {
      throw new ServiceError('no_key', `No API key is set for ${p.name}.`, { actions: ['open_settings'], providerId, params: { provider: p.name } });
    }
    const t: Target = {
      providerId: p.id,
      kind: p.kind,
      name: p.name,
      baseUrl,
      apiKey: picked?.key ?? null,
      keyId: picked?.id ?? null,
      keyOrigin: picked?.origin ?? null,
      headers: { ...p.headers },
      secretHeaders: this.vault.openHeaders(p.id, origin),
      timeoutMs: p.timeoutSec * 1000,
    };
    if (p.kind === 'wandb' && p.project) t.project = p.project;
    return t;
  }

  private detached(p: StoredProvider, origin: string | undefined): ServiceError {
    return new ServiceError('keys_detached', `The keys of ${p.name} were saved for ${origin ?? 'another address'}; paste them again for its new base URL.`, {
      actions: ['open_settings'],
      providerId: p.id,
      params: { provider: p.name, origin: origin ?? '' },
    });
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
