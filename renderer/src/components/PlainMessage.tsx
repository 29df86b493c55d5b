// The fallback for a message the renderer cannot draw (an answer built to break it, or a bug): its
// text exactly as written, under a notice that says so. ContentGuard wraps what MessageItem draws from
// the message, so the row's own controls (actions, footer, errors) stay.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { RenderGuard } from './RenderGuard.tsx';

/** The message's text as written, under a notice that it could not be displayed. */
export function PlainMessageBody({ message }: { message: Message }) {
  const { t } = useTranslation();
  return (
    <div className="message-body render-failed">
      <p role="note" className="render-failed-note">
        {t('safety.message.failed')}
      </p>
      <div className="plain-text">{message.content}</div>
    </div>
  );
}

/** Guards what MessageItem draws from the message (thinking, tool calls, the answer). */
export function ContentGuard({ message, children }: { message: Message; children: ReactNode }) {
  return (
    <RenderGuard resetKey={message} fallback={() => <PlainMessageBody message={message} />}>
      {children}
    </RenderGuard>
  );
}
