import { useTranslation } from 'react-i18next';
import type { KaiwaError, ModelRef } from '../../../electron/contract/index.ts';
import { useApp } from '../stores/app.ts';
import { SwitchModelMenu } from './SwitchModelMenu.tsx';

/**
 * A failure, explained: the translated message, the actions that can fix it, and the raw upstream
 * text under "details". Shown beneath partial text, never over it. Which actions appear is decided
 * by the one error mapping (providers/errors.ts); the caller supplies what they do.
 */
export function ErrorBox({
  error,
  message,
  onRetry,
  retryLabel,
  onSwitchModel,
  currentModel,
}: {
  error: KaiwaError;
  /** What failed, when the caller knows better than the error's code (its text stays under details). */
  message?: string | undefined;
  onRetry?: (() => void) | undefined;
  retryLabel?: string | undefined;
  onSwitchModel?: ((ref: ModelRef) => void) | undefined;
  currentModel?: ModelRef | undefined;
}) {
  const { t } = useTranslation();
  const go = useApp((s) => s.go);
  const params = { provider: '', model: '', upstream: '', details: error.details ?? '', ...error.params };
  return (
    <div className="error-box" role="alert">
      <p>{message ?? t(`errors.${error.code}`, { ...params, defaultValue: error.message })}</p>
      <div className="error-actions">
        {error.actions?.includes('open_settings') && (
          <button type="button" onClick={() => go('settings', error.providerId ? { providerId: error.providerId } : undefined)}>
            {t('actions.open_settings')}
          </button>
        )}
        {error.actions?.includes('check_region') && (
          <button type="button" onClick={() => go('settings', error.providerId ? { providerId: error.providerId } : undefined)}>
            {t('actions.check_region')}
          </button>
        )}
        {onRetry && error.actions?.includes('retry') && (
          <button type="button" onClick={onRetry}>
            {retryLabel ?? t('actions.retry')}
          </button>
        )}
        {onSwitchModel && error.actions?.includes('switch_model') && <SwitchModelMenu exclude={currentModel} onPick={onSwitchModel} />}
      </div>
      {error.details && (
        <details>
          <summary>{t('actions.details')}</summary>
          <pre className="error-details">{error.details}</pre>
        </details>
      )}
    </div>
  );
}
