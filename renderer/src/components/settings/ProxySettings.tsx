import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError, ProxySettings as Proxy } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { TransferError } from '../TransferError.tsx';

/** How provider requests reach the internet: the system's proxy, none, or one the user names. */
export function ProxySettings() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings)!;
  const [mode, setMode] = useState<Proxy['mode']>(settings.proxy.mode);
  const [url, setUrl] = useState(settings.proxy.url);
  const [noProxy, setNoProxy] = useState(settings.proxy.noProxy);
  const [error, setError] = useState<KaiwaError | null>(null);
  const [saved, setSaved] = useState(false);
  const changed = mode !== settings.proxy.mode || url !== settings.proxy.url || noProxy !== settings.proxy.noProxy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const next = await call('settings.update', { proxy: { mode, url, noProxy } });
      useApp.getState().setSettings(next);
      setUrl(next.proxy.url);
      setNoProxy(next.proxy.noProxy);
      setSaved(true);
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  const sys = settings.systemProxy;
  return (
    <form className="proxy-form" aria-label={t('proxy.title')} onSubmit={(e) => void submit(e)}>
      <h3>{t('proxy.title')}</h3>
      <fieldset>
        <legend>{t('proxy.mode')}</legend>
        {(['system', 'none', 'custom'] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name="proxy-mode" value={m} checked={mode === m} onChange={() => (setMode(m), setSaved(false))} />
            {t(`proxy.modes.${m}`)}
          </label>
        ))}
      </fieldset>
      {mode === 'system' && (
        <>
          <p className="muted">{sys.source === 'os' ? t('proxy.systemOs') : t('proxy.systemEnv')}</p>
          <p className="muted">{sys.envProxy ? t('proxy.envCurrent', { proxy: sys.envProxy }) : t('proxy.envNone')}</p>
        </>
      )}
      {mode === 'custom' && (
        <>
          <label className="field">
            <span>{t('proxy.url')}</span>
            <input type="text" inputMode="url" spellCheck={false} value={url} placeholder={t('proxy.urlPlaceholder')} onChange={(e) => (setUrl(e.target.value), setSaved(false))} />
          </label>
          <label className="field">
            <span>{t('proxy.noProxy')}</span>
            <input type="text" spellCheck={false} value={noProxy} onChange={(e) => (setNoProxy(e.target.value), setSaved(false))} />
          </label>
          <p className="muted">{t('proxy.noProxyHint')}</p>
        </>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!changed}>
          {t('proxy.apply')}
        </button>
        {saved && (
          <span role="status" className="ok">
            {t('proxy.applied')}
          </span>
        )}
      </div>
      {error && <TransferError error={error} />}
    </form>
  );
}
