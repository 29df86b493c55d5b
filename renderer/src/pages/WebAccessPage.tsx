// Browser mode opened without its link (or with the link of an earlier run): a page that says how
// to get in, in the browser's language — the host's settings cannot be read without the token.
import { useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { onWebAccess, webAccess } from '../bridge/web-access.ts';
import i18n, { setLanguage, type Language } from '../i18n/index.ts';

/** The browser's language (electron/shared/locale.ts does the same for the hosts, outside this bundle's project). */
function browserLanguage(): Language {
  const tag = navigator.language.toLowerCase();
  return tag.startsWith('ja') ? 'ja' : tag.startsWith('zh') ? 'zh' : 'en';
}

/** What the terminal shows: a command and its output, the same in every language. */
const transcript = () => `$ npm run web\nKaiwa ready: ${location.origin}/#token=…`;

/** Renders the app only while the page holds a token the host accepts. */
export function WebAccessGate({ children }: { children: ReactNode }) {
  const access = useSyncExternalStore(onWebAccess, webAccess);
  if (access === 'ok') return children;
  // This load only moves the token out of the address; the clean page follows at once.
  if (access === 'leaving') return null;
  return <WebAccessPage reason={access} />;
}

function WebAccessPage({ reason }: { reason: 'missing' | 'refused' }) {
  const lang = browserLanguage();
  const t = i18n.getFixedT(lang);
  useEffect(() => {
    setLanguage(lang);
    document.title = `${t('webAccess.title')} — Kaiwa`;
  }, [lang, t]);
  return (
    <main className="web-access" aria-labelledby="web-access-title">
      <div className="web-access-card">
        <h1 id="web-access-title">{t('webAccess.title')}</h1>
        <p role="alert">{t(reason === 'refused' ? 'webAccess.refused' : 'webAccess.missing')}</p>
        <p>{t('webAccess.how')}</p>
        <pre className="web-access-line">
          <code>{transcript()}</code>
        </pre>
        <p className="web-access-why">{t('webAccess.why')}</p>
      </div>
    </main>
  );
}
