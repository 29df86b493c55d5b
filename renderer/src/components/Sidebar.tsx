import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';
import '../styles/chat.css';
import { SearchDialog } from './SearchDialog.tsx';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

function newConversation() {
  useApp.getState().go('chat');
  void useChat.getState().create();
}

export function Sidebar() {
  const { t } = useTranslation();
  const page = useApp((s) => s.page);
  const go = useApp((s) => s.go);
  const list = useChat((s) => s.list);
  const activeId = useChat((s) => s.activeId);

  // App-wide shortcuts: Ctrl/Cmd+K search, Ctrl/Cmd+N new conversation.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.altKey || e.shiftKey || !(isMac ? e.metaKey : e.ctrlKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'k') {
        e.preventDefault();
        useChat.getState().setSearchOpen(true);
      } else if (k === 'n') {
        e.preventDefault();
        newConversation();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <nav className="sidebar" aria-label={t('nav.main')}>
      <div className="sidebar-head">
        <span className="brand">{t('app.name')}</span>
        <button type="button" className="primary" title={isMac ? '⌘N' : 'Ctrl+N'} onClick={newConversation}>
          {t('nav.newChat')}
        </button>
      </div>
      <button type="button" className="search-open" onClick={() => useChat.getState().setSearchOpen(true)}>
        <span>{t('conversations.search.open')}</span>
        <kbd aria-hidden="true">{isMac ? '⌘K' : 'Ctrl+K'}</kbd>
      </button>
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
        {/* the Usage page: recorded calls, tokens and cost */}
        <button type="button" aria-pressed={page === 'usage'} onClick={() => go('usage')}>
          {t('usage.nav')}
        </button>
        <button type="button" aria-pressed={page === 'settings'} onClick={() => go('settings')}>
          {t('nav.settings')}
        </button>
      </div>
      <SearchDialog />
    </nav>
  );
}
