// Links in model output never open on a click alone: the full URL is shown first, and only "Open"
// hands it to main (which opens it in the system browser). The dialog lives in its own small root so
// it survives the message that asked for it being scrolled out of a virtualised list or re-rendered
// by a stream.
import { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { linkTarget } from './text.ts';

let show: ((url: string) => void) | null = null;
let pending: string | null = null;
let host: HTMLElement | null = null;

/** Asks the user to confirm opening `url` (already checked by safeHref). */
export function confirmOpenLink(url: string): void {
  if (show) return show(url);
  pending = url;
  if (host) return;
  host = document.createElement('div');
  host.className = 'md-link-dialog-host';
  document.body.append(host);
  createRoot(host).render(<LinkDialog />);
}

function LinkDialog() {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    show = (u) => {
      setError(null);
      setUrl(u);
    };
    if (pending) show(pending);
    pending = null;
    return () => {
      show = null;
    };
  }, []);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (url && !d.open) d.showModal();
    if (!url && d.open) d.close();
  }, [url]);

  const open = async () => {
    if (!url) return;
    setBusy(true);
    // Loaded on use: the renderer module stays usable without the app's bridge (tests, benchmark pages).
    const { call, errorInfo } = await import('../bridge/index.ts');
    try {
      await call('app.openExternal', { url });
      setUrl(null);
    } catch (err) {
      const e = errorInfo(err);
      setError(t(`errors.${e.code}`, { details: e.details ?? e.message, ...e.params, defaultValue: e.message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="md-link-dialog" aria-labelledby="md-link-dialog-title" aria-describedby="md-link-dialog-site md-link-dialog-url" onClose={() => setUrl(null)}>
      <h2 id="md-link-dialog-title">{t('markdown.link.title')}</h2>
      {url && <LinkSite url={url} />}
      <p className="muted">{t('markdown.link.hint')}</p>
      <p id="md-link-dialog-url" className="md-link-dialog-url">
        {url}
      </p>
      {error && (
        <p className="md-link-dialog-error" role="alert">
          {t('markdown.link.failed', { error })}
        </p>
      )}
      <div className="md-link-dialog-actions">
        <button type="button" onClick={() => setUrl(null)}>
          {t('markdown.link.cancel')}
        </button>
        <button type="button" className="primary" onClick={() => void open()} disabled={busy}>
          {t('markdown.link.open')}
        </button>
      </div>
    </dialog>
  );
}

/**
 * The real destination first, then what in the address could make it look like another one: a
 * user name before "@" that reads like a host, international characters (shown as punycode).
 */
function LinkSite({ url }: { url: string }) {
  const { t } = useTranslation();
  const target = linkTarget(url);
  if (!target) return null;
  const warnings: string[] = [];
  if (target.user) warnings.push(t('markdown.link.userinfo', { user: target.user, host: target.host }));
  if (target.idn) warnings.push(t('markdown.link.idn'));
  return (
    <>
      <p id="md-link-dialog-site" className="md-link-site">
        <span className="md-link-site-label">{t(target.mail ? 'markdown.link.mailTo' : 'markdown.link.site')}</span>{' '}
        <strong className="md-link-host">{target.host}</strong>
        {target.port && <span className="md-link-port"> · {t('markdown.link.port', { port: target.port })}</span>}
      </p>
      {warnings.length > 0 && (
        <div className="md-link-warning" role="alert">
          {warnings.map((w) => (
            <p key={w}>{w}</p>
          ))}
        </div>
      )}
    </>
  );
}
