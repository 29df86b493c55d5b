import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError, KeyView, ProviderView } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { SettingsError } from './SettingsError.tsx';
import { CheckOutcome } from './CheckOutcome.tsx';
import { useCheck } from './useCheck.ts';

/** The stored keys, masked: where each came from, whether it failed and why; check or remove one. */
export function KeyList({ provider }: { provider: ProviderView }) {
  const { t } = useTranslation();
  if (!provider.keys.length) return null;
  return (
    <ul className="key-list" aria-label={t('settings.storedKeys')}>
      {provider.keys.map((k) => (
        <KeyRow key={k.id} provider={provider} k={k} />
      ))}
    </ul>
  );
}

/** Keys this mode cannot open: named for why, never an opaque error. */
const SEALED: Record<string, string> = {
  undecryptable: 'settings.keyUndecryptable',
  sealed_by_desktop: 'settings.keySealedByDesktop',
  sealed_by_browser: 'settings.keySealedByBrowser',
};

function KeyRow({ provider, k }: { provider: ProviderView; k: KeyView }) {
  const { t, i18n } = useTranslation();
  const [check, runCheck] = useCheck(provider.id);
  const [error, setError] = useState<KaiwaError | null>(null);
  const remove = async () => {
    setError(null);
    try {
      useApp.getState().setProvider(await call('providers.removeKey', { id: provider.id, keyId: k.id }));
    } catch (err) {
      setError(errorInfo(err));
    }
  };
  const sealed = k.failure ? SEALED[k.failure.code] !== undefined : false;
  const reason = k.failure
    ? SEALED[k.failure.code]
      ? t(SEALED[k.failure.code]!)
      : t(`errors.${k.failure.code}`, { provider: provider.name, model: '', upstream: '', details: '', seconds: '', count: '', defaultValue: k.failure.message ?? k.failure.code })
    : null;
  return (
    <li className={sealed || (k.detached && !k.failure) ? 'key-row detached' : k.failure ? 'key-row failed' : 'key-row'} aria-label={t('settings.keyLabel', { key: k.masked })}>
      <div className="key-line">
        <code className="key-mask">{k.masked}</code>
        {k.source === 'env' && <span className="badge env">{t('settings.fromEnv', { name: k.envName ?? '' })}</span>}
        {sealed ? (
          <span className="badge edited">{t('settings.keyPasteAgainBadge')}</span>
        ) : k.failure ? (
          <span className="badge bad">{t('settings.keyFailedBadge')}</span>
        ) : k.detached ? (
          <span className="badge edited">{t('settings.keyDetachedBadge')}</span>
        ) : (
          <span className="badge">{t('settings.keyInRotation')}</span>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => void runCheck({ keyId: k.id })} disabled={check?.busy === true} aria-label={t('settings.checkKeyLabel', { key: k.masked })}>
          {t('settings.check')}
        </button>
        <button type="button" onClick={() => void remove()} aria-label={t('settings.removeKeyLabel', { key: k.masked })}>
          {t('settings.remove')}
        </button>
      </div>
      {k.detached && !k.failure && <p className="key-note">{t('settings.keyDetached', { origin: k.origin ?? '' })}</p>}
      {k.failure && (
        <p className={sealed ? 'key-note' : 'key-failure'}>
          {sealed ? reason : `${t('settings.keyFailedAt', { time: new Date(k.failure.at).toLocaleString(i18n.language) })} ${reason}`}
        </p>
      )}
      <CheckOutcome state={check} live={false} />
      {error && <SettingsError error={error} />}
    </li>
  );
}
