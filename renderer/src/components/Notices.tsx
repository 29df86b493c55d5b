import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app.ts';

/** App-level notices (corrupt settings restored from defaults, database replaced…). */
export function Notices() {
  const { t } = useTranslation();
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotice);
  if (!notices.length) return null;
  return (
    <div className="notices" role="region" aria-label={t('notices.region')}>
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.level}`} role="alert">
          <span>{t(`notices.${n.code}`, { ...n.params, defaultValue: n.code })}</span>
          <button type="button" onClick={() => void dismiss(n.id)}>
            {t('actions.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
