// The settings as the window sees and changes them: the stored settings plus what the host says
// about itself (the vault's protection, what "system proxy" means here).
import type { CallInput, SettingsView } from '../../contract/index.ts';
import { envProxy, nextProxySettings } from '../net/proxy.ts';
import type { Platform } from '../platform.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { KeyVault } from '../vault/vault.ts';
import type { SettingsStore } from './store.ts';

export class SettingsService {
  private readonly d: { settings: SettingsStore; vault: KeyVault; registry: ProviderRegistry; platform: Platform };

  constructor(d: { settings: SettingsStore; vault: KeyVault; registry: ProviderRegistry; platform: Platform }) {
    this.d = d;
  }

  view(): SettingsView {
    const { settings, vault, platform } = this.d;
    const s = settings.get();
    return {
      language: s.language,
      theme: s.theme,
      defaultModel: s.defaultModel,
      idleTimeoutSec: s.idleTimeoutSec,
      vault: vault.info,
      proxy: s.proxy,
      systemProxy: { source: platform.resolveProxy ? 'os' : 'env', envProxy: envProxy(platform.env).display },
    };
  }

  update(patch: CallInput<'settings.update'>): SettingsView {
    const { settings, registry } = this.d;
    // A default model typed by hand becomes part of its provider's list, so the chat picker shows it.
    if (patch.defaultModel) registry.addModel(patch.defaultModel.providerId, patch.defaultModel.modelId);
    const proxy = patch.proxy ? nextProxySettings(settings.get().proxy, patch.proxy) : undefined;
    settings.update((s) => {
      if (patch.language !== undefined) s.language = patch.language;
      if (patch.theme !== undefined) s.theme = patch.theme;
      if (patch.defaultModel !== undefined) s.defaultModel = patch.defaultModel;
      if (patch.idleTimeoutSec !== undefined) s.idleTimeoutSec = patch.idleTimeoutSec;
      if (proxy) s.proxy = proxy;
    });
    return this.view();
  }
}
