// Settings → Backup & restore → Back up. A backup without keys is downloaded by the page; one with
// keys never reaches the page (a script in it could open the file with the passphrase typed here):
// main saves it where the user picks in its own dialog (desktop) or into the data folder's
// `backups` folder (browser mode), and this form says where, with a way to open that folder.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedBackup, KaiwaError } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { saveDownload } from '../files.ts';
import { TransferError } from '../TransferError.tsx';

const MIN_PASSPHRASE = 8;

export function BackupForm() {
  const { t } = useTranslation();
  const web = useApp((s) => s.info?.mode === 'web');
  const [withKeys, setWithKeys] = useState(false);
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CreatedBackup | null>(null);
  const [error, setError] = useState<KaiwaError | null>(null);
  const inFolder = done?.delivery === 'saved' && done.where === 'data_folder';
  const problem = !withKeys ? null : pass.length < MIN_PASSPHRASE ? t('backup.passphraseShort', { count: MIN_PASSPHRASE }) : pass !== again ? t('backup.passphraseMismatch') : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    setBusy(true);
    setDone(null);
    setError(null);
    try {
      const created = await call('backup.create', withKeys ? { passphrase: pass } : {});
      if (created.delivery === 'download') saveDownload(created);
      setDone(created);
      if (created.delivery !== 'cancelled') {
        setPass('');
        setAgain('');
      }
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="data-section" aria-label={t('backup.createTitle')} onSubmit={(e) => void submit(e)}>
      <h3>{t('backup.createTitle')}</h3>
      <p>{t('backup.intro')}</p>
      <label className="switch">
        <input type="checkbox" checked={withKeys} onChange={(e) => setWithKeys(e.target.checked)} />
        {t('backup.includeKeys')}
      </label>
      <p className="muted">{withKeys ? t('backup.keysHintOn') : t('backup.keysHintOff')}</p>
      {withKeys && <p className="muted">{web ? t('backup.keysWhereWeb') : t('backup.keysWhereDesktop')}</p>}
      {withKeys && (
        <div className="field-row">
          <label className="field">
            <span>{t('backup.passphrase')}</span>
            <input type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('backup.passphraseRepeat')}</span>
            <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-invalid={again !== '' && pass !== again} />
          </label>
        </div>
      )}
      {withKeys && problem && (pass || again) && <p className="field-problem">{problem}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !!problem}>
          {busy ? t('backup.creating') : t('backup.create')}
        </button>
        {done && !inFolder && (
          <span role="status" className="ok">
            {outcome(t, done)}
          </span>
        )}
      </div>
      {done?.delivery === 'saved' && done.where === 'data_folder' && <SavedInDataFolder path={done.path} text={outcome(t, done)} />}
      {error && <TransferError error={error} />}
    </form>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function outcome(t: T, done: CreatedBackup): string {
  if (done.delivery === 'cancelled') return t('backup.cancelled');
  if (done.delivery === 'download') return t('backup.createdWithoutKeys', { file: done.filename, count: done.conversations });
  if (done.where === 'data_folder') return t('backup.savedInDataFolder', { file: done.filename, count: done.conversations });
  return t('backup.createdWithKeys', { file: done.filename, count: done.conversations });
}

/** Browser mode: where main put the file, why it was not downloaded, and the folder one click away. */
function SavedInDataFolder({ path, text }: { path: string; text: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<KaiwaError | null>(null);
  const open = async () => {
    setError(null);
    try {
      await call('app.openDataDir', {});
    } catch (err) {
      setError(errorInfo(err));
    }
  };
  return (
    <div className="saved-in-folder">
      <p role="status" className="ok">
        {text}
      </p>
      <p className="muted">{t('backup.savedInDataFolderWhy')}</p>
      <p className="saved-path">
        <span>{t('backup.savedPath')}</span> <code>{path}</code>
      </p>
      <button type="button" onClick={() => void open()}>
        {t('backup.openDataFolder')}
      </button>
      {error && <TransferError error={error} />}
    </div>
  );
}
