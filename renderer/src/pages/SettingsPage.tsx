import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError, ProviderView } from '../../../electron/contract/index.ts';
import { call, errorInfo } from '../bridge/index.ts';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { QuotaSettings } from '../components/quota/QuotaSettings.tsx'; // quota (issue 5)
import { useApp } from '../stores/app.ts';

export function SettingsPage() {
  const { t } = useTranslation();
  const providers = useApp((s) => s.providers);
  const selectedId = useApp((s) => s.settingsProviderId) ?? providers[0]?.id ?? null;
  const selected = providers.find((p) => p.id === selectedId) ?? null;
  const settings = useApp((s) => s.settings);

  return (
    <section className="settings" aria-label={t('settings.title')}>
      <header className="chat-head">
        <h1>{t('settings.title')}</h1>
      </header>
      <div className="settings-body">
        <ul className="provider-list" aria-label={t('settings.providers')}>
          {providers.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className={p.id === selectedId ? 'conversation active' : 'conversation'}
                aria-current={p.id === selectedId ? 'true' : undefined}
                onClick={() => useApp.setState({ settingsProviderId: p.id })}
              >
                {p.name}
              </button>
            </li>
          ))}
        </ul>
        {selected && <ProviderForm key={selected.id} provider={selected} />}
      </div>
      {settings && (
        <p className={settings.vault.weak ? 'vault-note weak' : 'vault-note'}>
          {settings.vault.weak ? t('settings.vaultWeak', { backend: settings.vault.backend }) : t('settings.vaultOk', { backend: settings.vault.backend })}
        </p>
      )}
    </section>
  );
}

function ProviderForm({ provider }: { provider: ProviderView }) {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl);
  const [keys, setKeys] = useState('');
  const isDefault = settings?.defaultModel?.providerId === provider.id;
  const [modelId, setModelId] = useState(isDefault ? settings!.defaultModel!.modelId : (provider.models[0]?.id ?? ''));
  const [error, setError] = useState<KaiwaError | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async () => {
    setError(null);
    try {
      let p = provider;
      if (baseUrl.trim() !== provider.baseUrl) {
        p = await call('providers.update', { id: provider.id, baseUrl: baseUrl.trim() === '' ? null : baseUrl.trim() });
      }
      if (keys.trim()) {
        p = await call('providers.setKeys', { id: provider.id, keys });
        setKeys('');
      }
      useApp.getState().setProvider(p);
      if (modelId.trim()) {
        const s = await call('settings.update', { defaultModel: { providerId: provider.id, modelId: modelId.trim() } });
        useApp.getState().setSettings(s);
      }
      setBaseUrl(p.baseUrl);
      setSaved(true);
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  return (
    <form
      className="provider-form"
      aria-label={provider.name}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{provider.name}</h2>
      <label className="field">
        <span>{t('settings.baseUrl')}</span>
        <input type="url" value={baseUrl} onChange={(e) => {
            setBaseUrl(e.target.value);
            setSaved(false);
          }} spellCheck={false} />
      </label>
      {provider.defaultBaseUrl && (
        <button type="button" onClick={() => setBaseUrl(provider.defaultBaseUrl ?? '')}>
          {t('settings.resetBaseUrl')}
        </button>
      )}
      <p className="muted">
        {t('settings.requestUrl')} <code>{provider.requestUrlPreview}</code>
      </p>
      <label className="field">
        <span>{t('settings.apiKeys')}</span>
        <textarea
          value={keys}
          onChange={(e) => {
            setKeys(e.target.value);
            setSaved(false);
          }}
          rows={2}
          spellCheck={false}
          autoComplete="off"
          className="secret"
          placeholder={provider.keys.map((k) => k.masked).join('\n')}
        />
      </label>
      <p className="muted">
        {provider.keys.length ? t('settings.keysSet', { count: provider.keys.length }) : t('settings.noKeys')} — {t('settings.apiKeysHint')}
      </p>
      <label className="field">
        <span>{t('settings.defaultModel')}</span>
        <input list={`models-${provider.id}`} value={modelId} onChange={(e) => {
            setModelId(e.target.value);
            setSaved(false);
          }} spellCheck={false} />
        <datalist id={`models-${provider.id}`}>
          {provider.models.map((m) => (
            <option key={m.id} value={m.id} />
          ))}
        </datalist>
      </label>
      {provider.kind === 'modelscope' && <QuotaSettings />} {/* quota (issue 5) */}
      <div className="form-actions">
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
        {saved && (
          <span role="status" className="ok">
            {t('settings.saved')}
          </span>
        )}
      </div>
      {error && <ErrorBox error={error} />}
    </form>
  );
}
