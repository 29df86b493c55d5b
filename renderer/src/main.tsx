import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.ts';
import './styles/app.css';
import { App } from './App.tsx';
import { WebAccessGate } from './pages/WebAccessPage.tsx';
import { AppFailed, RenderGuard } from './components/RenderGuard.tsx';
import { useChat } from './stores/chat.ts';
import { failed } from './stores/safe-start.ts';

/** The window failed while a conversation was open: the next start must not reopen it by itself. */
function keepMarker(): void {
  const id = useChat.getState().activeId;
  if (id) failed(id);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RenderGuard onError={keepMarker} fallback={(error) => <AppFailed error={error} />}>
      <WebAccessGate>
        <App />
      </WebAccessGate>
    </RenderGuard>
  </StrictMode>,
);
