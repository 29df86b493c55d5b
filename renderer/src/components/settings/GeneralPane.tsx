import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, KaiwaError } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { ModelOptionGroups, modelValue, parseModelValue } from '../ModelOptions.tsx';
import { ProxySettings } from './ProxySettings.tsx';
import { SettingsError } from './SettingsError.tsx';

/** App-wide settings: the default model for new chats, language, theme, stream idle limit, proxy. */
export function GeneralPane() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const providers = useApp((s) => s.providers);
  const [error, setError] = useState<KaiwaError | null>(null);
  const [idle, setIdle] = useState(String(settings?.idleTimeoutSec ?? 60));
  // The selects are named by their label text alone (a wrapping label would add the chosen option to the name).
  const ids = { model: useId(), language: useId(), theme: useId() };
  if (!settings) return null;

  const update = async (patch: CallInput<'settings.update'>) => {
    setError(null);
    try {
      useApp.getState().setSettings(await call('settings.update', patch));
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  return (
    <div className="provider-form general-pane">
      <h2>{t('settings.general')}</h2>
      <label className="field">
        <span id={ids.model}>{t('settings.defaultModelForNew')}</span>
        <select
          aria-labelledby={ids.model}
          value={modelValue(settings.defaultModel)}
          onChange={(e) => void update({ defaultModel: e.target.value ? parseModelValue(e.target.value) : null })}
        >
          <option value="">{t('settings.noDefaultModel')}</option>
          <ModelOptionGroups providers={providers} groupLabel={(p) => (p.enabled ? p.name : `${p.name} (${t('settings.disabled')})`)} />
        </select>
      </label>
      <label className="field">
        <span id={ids.language}>{t('settings.language')}</span>
        <select aria-labelledby={ids.language} value={settings.language} onChange={(e) => void update({ language: e.target.value as 'system' })}>
          <option value="system">{t('settings.languages.system')}</option>
          {/* Each language in its own words, so a reader of it finds it whatever the UI language is. */}
          <option value="en">English</option>
          <option value="ja">日本語</option>
          <option value="zh">简体中文</option>
        </select>
      </label>
      <label className="field">
        <span id={ids.theme}>{t('settings.theme')}</span>
        <select aria-labelledby={ids.theme} value={settings.theme} onChange={(e) => void update({ theme: e.target.value as 'system' })}>
          <option value="system">{t('settings.themes.system')}</option>
          <option value="light">{t('settings.themes.light')}</option>
          <option value="dark">{t('settings.themes.dark')}</option>
        </select>
      </label>
      <label className="field small">
        <span>{t('settings.idleTimeout')}</span>
        <input
          type="number"
          min={5}
          max={3600}
          value={idle}
          onChange={(e) => setIdle(e.target.value)}
          onBlur={() => {
            const n = Number(idle);
            if (Number.isInteger(n) && n >= 5 && n <= 3600) void update({ idleTimeoutSec: n });
            else setIdle(String(settings.idleTimeoutSec));
          }}
        />
      </label>
      <p className="muted">{t('settings.idleTimeoutHint')}</p>
      {error && <SettingsError error={error} />}
      <ProxySettings />
    </div>
  );
}
