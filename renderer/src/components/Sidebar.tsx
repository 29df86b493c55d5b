import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';

export function Sidebar() {
  const { t } = useTranslation();
  const page = useApp((s) => s.page);
  const go = useApp((s) => s.go);
  const list = useChat((s) => s.list);
  const activeId = useChat((s) => s.activeId);

  return (
    <nav className="sidebar" aria-label={t('nav.main')}>
      <div className="sidebar-head">
        <span className="brand">{t('app.name')}</span>
        <button
          type="button"
          className="primary"
          onClick={() => {
            go('chat');
            void useChat.getState().create();
          }}
        >
          {t('nav.newChat')}
        </button>
      </div>
      <ul className="conversation-list" aria-label={t('sidebar.conversations')}>
        {list.length === 0 && <li className="muted">{t('sidebar.empty')}</li>}
        {list.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className={c.id === activeId && page === 'chat' ? 'conversation active' : 'conversation'}
              aria-current={c.id === activeId && page === 'chat' ? 'true' : undefined}
              onClick={() => {
                go('chat');
                void useChat.getState().open(c.id);
              }}
            >
              {c.title || t('sidebar.untitled')}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <button type="button" aria-pressed={page === 'chat'} onClick={() => go('chat')}>
          {t('nav.chats')}
        </button>
        {/* usage (issue 5) */}
        <button type="button" aria-pressed={page === 'usage'} onClick={() => go('usage')}>
          {t('usage.nav')}
        </button>
        <button type="button" aria-pressed={page === 'settings'} onClick={() => go('settings')}>
          {t('nav.settings')}
        </button>
      </div>
    </nav>
  );
}
