// The main window: secure webPreferences, and its size/position remembered in settings.
import { BrowserWindow, screen } from 'electron';
import type { SettingsStore } from '../services/settings/store.ts';

export interface WindowOptions {
  preload: string;
  url: string;
  settings: SettingsStore;
}

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** Keeps a remembered position only if it is still on a connected display. */
function onScreen(b: { x?: number | undefined; y?: number | undefined; width: number; height: number }): boolean {
  if (b.x === undefined || b.y === undefined) return false;
  return screen.getAllDisplays().some((d) => {
    const a = d.workArea;
    return b.x! < a.x + a.width && b.x! + b.width > a.x && b.y! < a.y + a.height && b.y! + b.height > a.y;
  });
}

export function createMainWindow(o: WindowOptions): BrowserWindow {
  const saved = o.settings.get().window;
  const win = new BrowserWindow({
    width: saved?.width ?? 1200,
    height: saved?.height ?? 800,
    ...(saved && onScreen(saved) ? { x: saved.x!, y: saved.y! } : {}),
    minWidth: 720,
    minHeight: 480,
    title: 'Kaiwa',
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: o.preload },
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let timer: ReturnType<typeof setTimeout> | null = null;
  const remember = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      if (win.isDestroyed()) return;
      const b = win.getNormalBounds();
      o.settings.update((s) => {
        s.window = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
      });
    }, 500);
  };
  win.on('resize', remember);
  win.on('move', remember);
  win.on('maximize', remember);
  win.on('unmaximize', remember);

  void win.loadURL(o.url);
  return win;
}
