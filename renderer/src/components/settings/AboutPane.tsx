import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { openShortcuts } from '../Shortcuts.tsx';
import { TransferError } from '../TransferError.tsx';

/** One shipped package, as the build lists it (scripts/licenses.ts). */
interface LicenseEntry {
  name: string;
  version: string;
  license: string;
}

/** The build puts the list into index.html as a JSON data block (id from scripts/licenses.ts); a dev server has none. */
function readLicenses(): LicenseEntry[] | null {
  const text = document.getElementById('kaiwa-licenses')?.textContent;
  if (!text) return null;
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? (list as LicenseEntry[]) : null;
  } catch {
    return null;
  }
}

/** Operating systems by their own names (Node's process.platform values otherwise). */
const SYSTEMS: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

/** Settings → About: version, where the data lives (with a way to get there), licences, shortcuts. */
export function AboutPane() {
  const { t } = useTranslation();
  const info = useApp((s) => s.info)!;
  const [licenses] = useState(readLicenses);
  const [error, setError] = useState<KaiwaError | null>(null);
  const [copied, setCopied] = useState(false);

  const openFolder = async () => {
    setError(null);
    try {
      await call('app.openDataDir', {});
    } catch (err) {
      setError(errorInfo(err));
    }
  };
  const copyPath = async () => {
    try {
      await navigator.clipboard.writeText(info.dataDir);
      setCopied(true);
    } catch {
      // No clipboard permission (browser mode over plain http): the path is selectable text.
      setCopied(false);
    }
  };

  return (
    <div className="provider-form about-pane">
      <h2>{t('about.title')}</h2>
      <dl className="about-facts">
        <dt>{t('about.version')}</dt>
        <dd>{info.version}</dd>
        <dt>{t('about.mode')}</dt>
        <dd>{t(`about.modes.${info.mode}`)}</dd>
        <dt>{t('about.platform')}</dt>
        <dd>{SYSTEMS[info.platform] ?? info.platform}</dd>
      </dl>

      <h3>{t('about.dataDir')}</h3>
      <p className="muted">{t('about.dataDirHint')}</p>
      <code className="data-dir">{info.dataDir}</code>
      <div className="form-actions">
        <button type="button" onClick={() => void openFolder()}>
          {t('about.openFolder')}
        </button>
        <button type="button" onClick={() => void copyPath()}>
          {t('about.copyPath')}
        </button>
        {copied && (
          <span role="status" className="ok">
            {t('about.copied')}
          </span>
        )}
      </div>
      {info.mode === 'web' && <p className="muted">{t('about.openFolderWeb')}</p>}
      {error && <TransferError error={error} onDismiss={() => setError(null)} />}

      <h3>{t('about.shortcutsTitle')}</h3>
      <button type="button" onClick={openShortcuts}>
        {t('shortcuts.title')}
      </button>

      <h3>{t('about.licenses')}</h3>
      {licenses === null ? (
        <p className="muted">{t('about.licensesMissing')}</p>
      ) : (
        <>
          <p>{t('about.licensesIntro', { count: licenses.length })}</p>
          <details className="licenses">
            <summary>{t('about.licensesShow', { count: licenses.length })}</summary>
            <table aria-label={t('about.licenses')}>
              <thead>
                <tr>
                  <th scope="col">{t('about.colName')}</th>
                  <th scope="col">{t('about.colVersion')}</th>
                  <th scope="col">{t('about.colLicense')}</th>
                </tr>
              </thead>
              <tbody>
                {licenses.map((l) => (
                  <tr key={`${l.name}@${l.version}`}>
                    <td>{l.name}</td>
                    <td>{l.version}</td>
                    <td>{l.license}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </div>
  );
}
