// The web pages a provider's search used for an answer (Model Studio `enable_search` with sources).
// Titles and URLs come from the web: shown as text, opened only through main's openExternal.
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { call } from '../bridge/index.ts';

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function Sources({ message }: { message: Message }) {
  const { t } = useTranslation();
  const list = message.sources;
  if (!list?.length) return null;
  return (
    <section className="sources" aria-label={t('chat.sources.label')}>
      <h4>{t('chat.sources.title', { count: list.length })}</h4>
      <ol>
        {list.map((s, i) => (
          <li key={`${i}-${s.url}`}>
            <button type="button" className="link" title={s.url} onClick={() => void call('app.openExternal', { url: s.url }).catch(() => undefined)}>
              {s.title}
            </button>{' '}
            <span className="muted">{s.site ?? host(s.url)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
