import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Notices } from './components/Notices.tsx';
import { ShortcutsDialog } from './components/Shortcuts.tsx'; // shortcuts help (issue 9)
import { Sidebar } from './components/Sidebar.tsx';
import { ToolConfirmDialog } from './components/ToolConfirmDialog.tsx'; // tools (issue 8)
import { ChatPage } from './pages/ChatPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { UsagePage } from './pages/UsagePage.tsx'; // usage (issue 5)
import { useApp } from './stores/app.ts';
import { useChat } from './stores/chat.ts';

export function App() {
  const { t } = useTranslation();
  const ready = useApp((s) => s.ready);
  const page = useApp((s) => s.page);

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
      <Sidebar />
      <main className="main">{page === 'settings' ? <SettingsPage /> : page === 'usage' ? <UsagePage /> : <ChatPage />}</main>
      <Notices />
      <ToolConfirmDialog />
      <ShortcutsDialog />
    </div>
  );
}
