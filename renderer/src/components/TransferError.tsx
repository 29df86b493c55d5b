import { useTranslation } from 'react-i18next';
import type { KaiwaError } from '../../../electron/contract/index.ts';

/**
 * A failed import, export, backup or restore, said plainly: the translated reason, that nothing
 * was changed where that is the case, and the technical details folded away.
 */
export function TransferError({ error, onDismiss }: { error: KaiwaError; onDismiss?: () => void }) {
  const { t } = useTranslation();
  const reason = typeof error.params?.['reason'] === 'string' ? error.params['reason'] : '';
  const text =
    error.code === 'import_invalid' && reason
      ? t(`transfer.importInvalid.${reason}`, { defaultValue: t('errors.import_invalid') })
      : error.code === 'invalid_proxy' && reason
        ? t(`proxy.problem.${reason}`, { defaultValue: t('errors.invalid_proxy') })
        : t(`errors.${error.code}`, { provider: '', model: '', upstream: '', details: error.details ?? '', ...error.params, defaultValue: error.message });
  return (
    <div className="error-box" role="alert">
      <p>{text}</p>
      {error.details && (
        <details>
          <summary>{t('actions.details')}</summary>
          <pre className="error-details">{error.details}</pre>
        </details>
      )}
      {onDismiss && (
        <div className="error-actions">
          <button type="button" onClick={onDismiss}>
            {t('actions.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
