import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Notices } from './components/Notices.tsx';
import { RenderGuard, ViewFailed } from './components/RenderGuard.tsx';
import { ShortcutsDialog } from './components/Shortcuts.tsx'; // the keyboard shortcuts help
import { Sidebar } from './components/Sidebar.tsx';
import { ToolConfirmDialog } from './components/ToolConfirmDialog.tsx'; // asks before a tool fetches a page
import { ChatPage } from './pages/ChatPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { UsagePage } from './pages/UsagePage.tsx'; // recorded calls, tokens and cost
import { useApp } from './stores/app.ts';
import { useChat } from './stores/chat.ts';
import { failed } from './stores/safe-start.ts';

/** A view that failed while a conversation was open: the next start must not reopen it by itself. */
function keepMarker(): void {
  const id = useChat.getState().activeId;
  if (id && useApp.getState().page === 'chat') failed(id);
}

export function App() {
  const { t } = useTranslation();
  const ready = useApp((s) => s.ready);
  const page = useApp((s) => s.page);
  const activeId = useChat((s) => s.activeId);

  useEffect(() => {
    void useApp.getState().init().then(() => useChat.getState().init());
  }, []);

  if (!ready) {
    return (
      <div className="loading" role="status">
        {t('app.loading')}
      </div>
    );
  }
  return (
    <div className="app">
      {/* Each view has its own boundary: if one fails the others (and the sidebar) still work. */}
      <RenderGuard fallback={(error, retry) => <ViewFailed error={error} retry={retry} />}>
        <Sidebar />
      </RenderGuard>
      <main className="main">
        <RenderGuard resetKey={`${page}:${activeId ?? ''}`} onError={keepMarker} fallback={(error, retry) => <ViewFailed error={error} retry={retry} />}>
          {page === 'settings' ? <SettingsPage /> : page === 'usage' ? <UsagePage /> : <ChatPage />}
        </RenderGuard>
      </main>
      <Notices />
      <ToolConfirmDialog />
      <ShortcutsDialog />
    </div>
  );
}
