// "Allow Kaiwa to fetch this page?" — shown for every fetch_url call before main fetches anything.
// The full URL is shown as text (never a link), the site is named on its own line so a long URL
// cannot hide where it goes, and the safe answer is the default: Deny has the focus, Esc denies,
// and so does the time limit (main's; the countdown here only shows it). A redirect to another site
// asks again: the user allowed the first site, so the dialog says where the fetch came from.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../bridge/index.ts';
import { useChat } from '../stores/chat.ts';
import { useToolConfirm, type PendingConfirm } from '../stores/tools.ts';
import '../styles/tools.css';

function siteOf(url: string): { host: string; secure: boolean } {
  try {
    const u = new URL(url);
    return { host: u.host, secure: u.protocol === 'https:' };
  } catch {
    return { host: url, secure: false };
  }
}

function Countdown({ req }: { req: PendingConfirm }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const id = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(id);
  }, []);
  const seconds = Math.max(0, Math.ceil((req.deadline - now) / 1000));
  return <p className="tool-confirm-countdown">{t('tools.confirm.countdown', { seconds })}</p>;
}

/** Where the fetch goes: the site on its own line, the full URL as text, and where a redirect came from. */
function Target({ req, host }: { req: PendingConfirm; host: string }) {
  const { t } = useTranslation();
  return (
    <dl className="tool-confirm-target">
      <dt>{t('tools.confirm.site')}</dt>
      <dd className="tool-confirm-site">{host}</dd>
      <dt>{t('tools.confirm.url')}</dt>
      <dd className="tool-confirm-url">{req.url}</dd>
      {req.redirectedFrom && (
        <>
          <dt>{t('tools.confirm.from')}</dt>
          <dd className="tool-confirm-from">{req.redirectedFrom}</dd>
        </>
      )}
    </dl>
  );
}

export function ToolConfirmDialog() {
  const { t } = useTranslation();
  const pending = useToolConfirm((s) => s.pending);
  const failed = useToolConfirm((s) => s.failed);
  const req = pending[0];
  const title = useChat((s) => (req ? s.list.find((c) => c.id === req.conversationId)?.title : undefined));
  const ref = useRef<HTMLDialogElement>(null);
  const denyRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void useToolConfirm.getState().init().catch(() => undefined);
  }, []);

  const reqId = req?.requestId;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (reqId) {
      if (!d.open) d.showModal();
      denyRef.current?.focus();
    } else if (d.open) d.close();
  }, [reqId]);

  const answer = (allow: boolean) => {
    if (req) void useToolConfirm.getState().answer(req.requestId, allow);
  };
  const site = req ? siteOf(req.url) : null;
  const from = req?.redirectedFrom ? siteOf(req.redirectedFrom) : null;

  return (
    <dialog
      ref={ref}
      className="tool-confirm"
      aria-labelledby="tool-confirm-title"
      aria-describedby="tool-confirm-what"
      // Esc: the browser would close the dialog; it means "no" here.
      onCancel={(e) => {
        e.preventDefault();
        answer(false);
      }}
    >
      {req && site && (
        <>
          <h2 id="tool-confirm-title">{t(from ? 'tools.confirm.redirectTitle' : 'tools.confirm.title')}</h2>
          <p id="tool-confirm-what">{from ? t('tools.confirm.redirectWhat', { from: from.host }) : t('tools.confirm.what')}</p>
          {title && <p className="tool-confirm-conversation">{t('tools.confirm.conversation', { title })}</p>}
          <Target req={req} host={site.host} />
          {!site.secure && <p className="tool-confirm-warning">{t('tools.confirm.insecure')}</p>}
          <Countdown key={req.requestId} req={req} />
          {failed && (
            <p className="tool-confirm-error" role="alert">
              {t('tools.confirm.failed')}
            </p>
          )}
          {pending.length > 1 && <p className="tool-confirm-more">{t('tools.confirm.more', { count: pending.length - 1 })}</p>}
          <div className="tool-confirm-actions">
            {/* The dialog is modal: the composer's Stop cannot be reached while it is open. */}
            <button type="button" className="tool-confirm-stop" onClick={() => void call('chat.stop', { streamId: req.streamId }).catch(() => undefined)}>
              {t('tools.confirm.stop')}
            </button>
            <button ref={denyRef} type="button" onClick={() => answer(false)}>
              {t('tools.confirm.deny')}
            </button>
            <button type="button" className="primary" onClick={() => answer(true)}>
              {t('tools.confirm.allow')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
