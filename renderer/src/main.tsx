import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.ts';
import './styles/app.css';
import { App } from './App.tsx';
import { WebAccessGate } from './pages/WebAccessPage.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <WebAccessGate>
      <App />
    </WebAccessGate>
  </StrictMode>,
);
