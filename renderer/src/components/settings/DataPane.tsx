import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { useChat } from '../../stores/chat.ts';
import { stageFile } from '../files.ts';
import { BackupForm } from './BackupForm.tsx';
import { TransferError } from '../TransferError.tsx';
import { FilePicker } from './FilePicker.tsx';

/** Settings → Backup & restore: one file with everything (BackupForm.tsx), restore from it, import a conversation. */
export function DataPane() {
  const { t } = useTranslation();
  return (
    <div className="provider-form data-pane">
      <h2>{t('backup.title')}</h2>
      <BackupForm />
      <RestoreForm />
      <ImportForm />
    </div>
  );
}

function RestoreForm() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [pass, setPass] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KaiwaError | null>(null);

  const restore = async () => {
    if (!file) return;
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      await call('backup.restore', { uploadId: await stageFile(file), ...(pass ? { passphrase: pass } : {}) });
      // Everything the window holds (settings, providers, conversations, drafts) came from before:
      // start it over on the restored data. Main says what was restored in a notice.
      location.reload();
    } catch (err) {
      setError(errorInfo(err));
      setBusy(false);
    }
  };

  return (
    <form
      className="data-section"
      aria-label={t('backup.restoreTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        if (file) setConfirming(true);
      }}
    >
      <h3>{t('backup.restoreTitle')}</h3>
      <p>{t('backup.restoreHint')}</p>
      <FilePicker
        label={t('backup.file')}
        accept=".json,application/json"
        file={file}
        disabled={busy}
        onPick={(f) => {
          setFile(f);
          setConfirming(false);
          setError(null);
        }}
      />
      <label className="field small-wide">
        <span>{t('backup.restorePassphrase')}</span>
        <input type="password" autoComplete="off" value={pass} onChange={(e) => setPass(e.target.value)} />
      </label>
      {confirming ? (
        <div className="confirm" role="group" aria-label={t('backup.confirmLabel')}>
          <p>{t('backup.confirm', { file: file?.name ?? '' })}</p>
          <button type="button" className="danger" onClick={() => void restore()}>
            {t('backup.confirmYes')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('settings.cancel')}
          </button>
        </div>
      ) : (
        <div className="form-actions">
          <button type="submit" disabled={!file || busy}>
            {busy ? t('backup.restoring') : t('backup.restore')}
          </button>
        </div>
      )}
      {error && (
        <TransferError
          error={error}
          onDismiss={() => {
            setError(null);
            setFile(null);
          }}
        />
      )}
      {error && <p className="muted">{t('backup.nothingChanged')}</p>}
    </form>
  );
}

function ImportForm() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ text: string; id: string } | null>(null);
  const [error, setError] = useState<KaiwaError | null>(null);
  const [picked, setPicked] = useState<File | null>(null);

  const importFile = async (file: File) => {
    setPicked(file);
    setBusy(true);
    setDone(null);
    setError(null);
    try {
      const { conversation, messages } = await call('conversations.import', { uploadId: await stageFile(file) });
      await useChat.getState().loadList();
      setDone({ text: t('transfer.imported', { title: conversation.title || t('sidebar.untitled'), count: messages }), id: conversation.id });
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="data-section" aria-label={t('transfer.importTitle')}>
      <h3>{t('transfer.importTitle')}</h3>
      <p>{t('transfer.importHint')}</p>
      <FilePicker label={t('transfer.importFile')} accept=".json,application/json" file={picked} disabled={busy} onPick={(f) => void importFile(f)} />
      {done && (
        <p role="status" className="ok">
          {done.text}{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              useApp.getState().go('chat');
              void useChat.getState().open(done.id);
            }}
          >
            {t('transfer.openChats')}
          </button>
        </p>
      )}
      {error && <TransferError error={error} />}
    </section>
  );
}
