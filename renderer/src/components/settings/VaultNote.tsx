import { useTranslation } from 'react-i18next';
import { useApp } from '../../stores/app.ts';
import { vaultText } from './format.ts';

/** Says plainly how keys are protected here, including when that protection is weak. */
export function VaultNote() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  if (!settings || !info) return null;
  const { backend, weak } = settings.vault;
  const text = t(`settings.vault.${vaultText(backend, weak, info.mode)}`, { backend, dir: info.dataDir });
  return (
    <p className={weak ? 'vault-note weak' : 'vault-note'} role="note" aria-label={t('settings.vault.label')}>
      <strong>{weak ? t('settings.vault.weakTitle') : t('settings.vault.okTitle')}</strong> {text} {t('settings.vault.masked')}
    </p>
  );
}
