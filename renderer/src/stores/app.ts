// App-wide state: app info, settings, providers, the current page, notices.
import { create } from 'zustand';
import type { AppInfo, Notice, ProviderView, SettingsView } from '../../../electron/contract/index.ts';
import { call, on } from '../bridge/index.ts';
import { setLanguage } from '../i18n/index.ts';

/** 'usage': the page of token use and cost by provider and model. */
export type Page = 'chat' | 'settings' | 'usage';

interface AppState {
  ready: boolean;
  info: AppInfo | null;
  settings: SettingsView | null;
  providers: ProviderView[];
  page: Page;
  settingsProviderId: string | null;
  notices: Notice[];
  init(): Promise<void>;
  go(page: Page, opts?: { providerId?: string }): void;
  refreshProviders(): Promise<void>;
  setProvider(p: ProviderView): void;
  setSettings(s: SettingsView): void;
  dismissNotice(id: string): Promise<void>;
}

function applyLanguage(info: AppInfo | null, settings: SettingsView | null): void {
  if (!info || !settings) return;
  setLanguage(settings.language === 'system' ? info.systemLanguage : settings.language);
}

function applyTheme(settings: SettingsView | null): void {
  document.documentElement.dataset['theme'] = settings?.theme ?? 'system';
}

export const useApp = create<AppState>((set, get) => ({
  ready: false,
  info: null,
  settings: null,
  providers: [],
  page: 'chat',
  settingsProviderId: null,
  notices: [],
  async init() {
    const [info, settings, providers] = await Promise.all([call('app.info', {}), call('settings.get', {}), call('providers.list', {})]);
    applyLanguage(info, settings);
    applyTheme(settings);
    set({ info, settings, providers, notices: info.notices, ready: true });
    on('app.notice', (n) => set({ notices: [...get().notices, n] }));
  },
  go(page, opts) {
    set({ page, ...(opts?.providerId ? { settingsProviderId: opts.providerId } : {}) });
  },
  async refreshProviders() {
    set({ providers: await call('providers.list', {}) });
  },
  setProvider(p) {
    set({ providers: get().providers.map((x) => (x.id === p.id ? p : x)) });
  },
  setSettings(s) {
    applyLanguage(get().info, s);
    applyTheme(s);
    set({ settings: s });
  },
  async dismissNotice(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
    await call('app.dismissNotice', { id });
  },
}));
