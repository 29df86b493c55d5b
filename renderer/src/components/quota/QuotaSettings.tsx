import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { ErrorBox } from '../ErrorBox.tsx';
import './quota.css';

/**
 * The free tier the local estimate counts against (ModelScope changes its rules). A fieldset, not a
 * form: it sits inside the provider's settings form and saves on its own.
 */
export function QuotaSettings() {
  const { t } = useTranslation();
  const [daily, setDaily] = useState('');
  const [perModel, setPerModel] = useState('');
  const [offset, setOffset] = useState('');
  const [error, setError] = useState<KaiwaError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let alive = true;
    call('quota.getSettings', {})
      .then((s) => {
        if (!alive) return;
        setDaily(String(s.dailyLimit));
        setPerModel(s.perModelLimit === null ? '' : String(s.perModelLimit));
        setOffset(String(s.resetUtcOffsetHours));
      })
      .catch((err: unknown) => alive && setError(errorInfo(err)));
    return () => {
      alive = false;
    };
  }, []);

  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      const s = await call('quota.updateSettings', {
        dailyLimit: Number(daily),
        perModelLimit: perModel.trim() === '' ? null : Number(perModel),
        resetUtcOffsetHours: Number(offset),
      });
      setDaily(String(s.dailyLimit));
      setPerModel(s.perModelLimit === null ? '' : String(s.perModelLimit));
      setOffset(String(s.resetUtcOffsetHours));
      setSaved(true);
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  // Enter would submit the surrounding provider form; here it saves these fields instead.
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void save();
    }
  };
  const edit = (set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setSaved(false);
  };

  return (
    <fieldset className="quota-settings">
      <legend>{t('quota.settings.title')}</legend>
      <p className="muted">{t('quota.settings.hint')}</p>
      <div className="row">
        <label className="field">
          <span>{t('quota.settings.dailyLimit')}</span>
          <input type="number" min={1} step={1} inputMode="numeric" value={daily} onChange={edit(setDaily)} onKeyDown={onKeyDown} />
        </label>
        <label className="field">
          <span>{t('quota.settings.perModelLimit')}</span>
          <input type="number" min={1} step={1} inputMode="numeric" value={perModel} placeholder={t('quota.settings.none')} onChange={edit(setPerModel)} onKeyDown={onKeyDown} />
        </label>
        <label className="field">
          <span>{t('quota.settings.resetOffset')}</span>
          <input type="number" min={-12} max={14} step={0.25} value={offset} onChange={edit(setOffset)} onKeyDown={onKeyDown} />
        </label>
      </div>
      <div className="form-actions">
        <button type="button" onClick={() => void save()}>
          {t('quota.settings.save')}
        </button>
        {saved && (
          <span role="status" className="ok">
            {t('quota.settings.saved')}
          </span>
        )}
      </div>
      {error && <ErrorBox error={error} />}
    </fieldset>
  );
}
