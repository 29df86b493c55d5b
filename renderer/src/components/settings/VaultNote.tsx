import { useTranslation } from 'react-i18next';
import { useApp } from '../../stores/app.ts';

/** Says plainly how keys are protected here, including when that protection is weak. */
export function VaultNote() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  if (!settings || !info) return null;
  const { backend, weak } = settings.vault;
  const text = backend.startsWith('file')
    ? info.mode === 'web'
      ? t('settings.vault.browserFile', { dir: info.dataDir })
      : t('settings.vault.noOsEncryption', { dir: info.dataDir })
    : backend === 'basic_text'
      ? t('settings.vault.basicText')
      : weak
        ? t('settings.vault.weakOther', { backend })
        : t('settings.vault.os', { backend });
  return (
    <p className={weak ? 'vault-note weak' : 'vault-note'} role="note" aria-label={t('settings.vault.label')}>
      <strong>{weak ? t('settings.vault.weakTitle') : t('settings.vault.okTitle')}</strong> {text} {t('settings.vault.masked')}
    </p>
  );
}
