import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { SettingsError } from './SettingsError.tsx';
import { previewRequestUrl } from './format.ts';
import { baseUrlProblem } from '../../../../electron/contract/base-url.ts';

/** A custom OpenAI-compatible provider: name and base URL; key, headers and models come next, on its page. */
export function AddProviderForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [error, setError] = useState<KaiwaError | null>(null);
  const preview = previewRequestUrl(baseUrl);
  const urlProblem = baseUrlProblem(baseUrl);

  const add = async () => {
    setError(null);
    try {
      const p = await call('providers.add', { name: name.trim(), baseUrl: baseUrl.trim() });
      useApp.setState((s) => ({ providers: [...s.providers, p], settingsProviderId: p.id }));
      onDone();
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  return (
    <form
      className="provider-form add-provider"
      aria-label={t('settings.addProviderTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h2>{t('settings.addProviderTitle')}</h2>
      <p className="muted">{t('settings.addProviderHint')}</p>
      <label className="field">
        <span>{t('settings.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('settings.placeholders.name')} maxLength={200} required />
      </label>
      <label className="field">
        <span>{t('settings.baseUrl')}</span>
        <input type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="http://localhost:11434/v1" spellCheck={false} required />
      </label>
      <p className="muted request-preview">
        {t('settings.requestUrl')} <code>{preview ?? t('settings.invalidUrl')}</code>
      </p>
      {urlProblem && <p className="field-problem">{t(`settings.baseUrlProblem.${urlProblem}`)}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!name.trim() || !preview || urlProblem !== null}>
          {t('settings.addProviderSubmit')}
        </button>
        <button type="button" onClick={onDone}>
          {t('settings.cancel')}
        </button>
      </div>
      {error && <SettingsError error={error} />}
    </form>
  );
}
