import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { KaiwaError, ProviderView } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { SettingsError } from './SettingsError.tsx';
import { CheckOutcome } from './CheckOutcome.tsx';
import { ModelList } from './ModelList.tsx';
import { ProviderForm } from './ProviderForm.tsx';
import { useCheck } from './useCheck.ts';

/** A link the main process opens in the system browser; the URL is shown so the user sees where it goes. */
function ExternalLink({ url, children }: { url: string; children: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="link" title={url} aria-label={`${children} (${t('settings.opensBrowser')})`} onClick={() => void call('app.openExternal', { url }).catch(() => undefined)}>
      {children} ↗
    </button>
  );
}

function ProviderNotes({ provider }: { provider: ProviderView }) {
  const { t } = useTranslation();
  const token = provider.tokenUrl ? <ExternalLink url={provider.tokenUrl}>{t('settings.getToken', { host: new URL(provider.tokenUrl).host })}</ExternalLink> : null;
  switch (provider.kind) {
    case 'modelscope':
      return (
        <div className="provider-notes">
          <p>
            {t('settings.notes.modelscopeToken')} {token}
          </p>
          <p className="note-warn">{t('settings.notes.modelscopeBind')}</p>
          <p className="muted">{t('settings.notes.modelscopeFree')}</p>
        </div>
      );
    case 'wandb':
      return (
        <div className="provider-notes">
          <p>
            {t('settings.notes.wandbKey')} {token}
          </p>
        </div>
      );
    case 'dashscope':
      return (
        <div className="provider-notes">
          <p>
            {t('settings.notes.dashscopeKey')} {token}
          </p>
          <p className="note-warn">{t('settings.notes.dashscopeRegion')}</p>
        </div>
      );
    default:
      return (
        <div className="provider-notes">
          <p>
            <Trans i18nKey="settings.notes.custom" components={{ code: <code /> }} />
          </p>
        </div>
      );
  }
}

/** One provider: enable/disable, Check, notes, the settings form and the model list. */
export function ProviderPane({ provider }: { provider: ProviderView }) {
  const { t } = useTranslation();
  const [check, runCheck] = useCheck(provider.id);
  const [error, setError] = useState<KaiwaError | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const toggle = async (enabled: boolean) => {
    setError(null);
    // Shown at once; put back if main refuses.
    useApp.getState().setProvider({ ...provider, enabled });
    try {
      useApp.getState().setProvider(await call('providers.update', { id: provider.id, enabled }));
    } catch (err) {
      useApp.getState().setProvider({ ...provider, enabled: !enabled });
      setError(errorInfo(err));
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await call('providers.remove', { id: provider.id });
      const [providers, settings] = await Promise.all([call('providers.list', {}), call('settings.get', {})]);
      useApp.setState({ providers, settingsProviderId: providers[0]?.id ?? null });
      useApp.getState().setSettings(settings);
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  return (
    <div className="provider-pane">
      <header className="pane-head">
        <h2>{provider.name}</h2>
        <label className="switch">
          <input type="checkbox" checked={provider.enabled} onChange={(e) => void toggle(e.target.checked)} />
          <span>{t('settings.enabled')}</span>
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => void runCheck()} disabled={check?.busy === true}>
          {t('settings.check')}
        </button>
        {provider.kind === 'custom' && !confirmRemove && (
          <button type="button" className="danger-outline" onClick={() => setConfirmRemove(true)}>
            {t('settings.removeProvider')}
          </button>
        )}
      </header>
      <p className="muted check-note">{provider.kind === 'modelscope' ? t('settings.checkNoteModelscope') : t('settings.checkNote')}</p>
      {confirmRemove && (
        <div className="confirm" role="alertdialog" aria-label={t('settings.removeProvider')}>
          <p>{t('settings.removeConfirm', { name: provider.name })}</p>
          <button type="button" className="danger" onClick={() => void remove()}>
            {t('settings.removeConfirmYes')}
          </button>
          <button type="button" onClick={() => setConfirmRemove(false)}>
            {t('settings.cancel')}
          </button>
        </div>
      )}
      {!provider.enabled && <p className="note-warn">{t('settings.disabledNote')}</p>}
      <CheckOutcome state={check} />
      {error && <SettingsError error={error} />}
      <ProviderNotes provider={provider} />
      <ProviderForm key={provider.id} provider={provider} />
      <ModelList provider={provider} />
    </div>
  );
}
