// The main window: secure webPreferences, its size/position remembered in settings and fitted to a
// display's work area when restored, shown on its first paint or after a bound wait at the latest.
import { BrowserWindow, screen } from 'electron';
import type { SettingsStore } from '../services/settings/store.ts';
import type { ReportProblem } from './failure.ts';
import { guardWindow } from './window-guard.ts';

export interface WindowOptions {
  preload: string;
  url: string;
  settings: SettingsStore;
  report: ReportProblem;
  quit: () => void;
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

export const DEFAULT_SIZE = { width: 1200, height: 800 };
export const MIN_SIZE = { width: 720, height: 480 };
/** A renderer that never paints must not leave an invisible window behind. */
export const SHOW_AT_LATEST_MS = 5000;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface SavedBounds {
  x?: number | undefined;
  y?: number | undefined;
  width: number;
  height: number;
}

const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/**
 * Fits remembered bounds into the work area of the display they overlap most: the size is clamped
 * to that area and the window moved wholly inside it. Bounds on no connected display keep only a
 * clamped size, and the system places the window.
 */
export function fitToWorkArea(saved: SavedBounds | undefined, workAreas: Rect[]): Partial<Rect> & { width: number; height: number } {
  const want = { width: saved?.width ?? DEFAULT_SIZE.width, height: saved?.height ?? DEFAULT_SIZE.height };
  const placed = saved?.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y, ...want } : null;
  const best = placed ? workAreas.map((a) => ({ a, o: overlap(placed, a) })).sort((p, q) => q.o - p.o)[0] : undefined;
  const area = best && best.o > 0 ? best.a : workAreas[0];
  if (!area) return want;
  const width = Math.round(clamp(want.width, Math.min(MIN_SIZE.width, area.width), area.width));
  const height = Math.round(clamp(want.height, Math.min(MIN_SIZE.height, area.height), area.height));
  if (!placed || !best || best.o === 0) return { width, height };
  return { x: clamp(placed.x, area.x, area.x + area.width - width), y: clamp(placed.y, area.y, area.y + area.height - height), width, height };
}

function rememberBounds(win: BrowserWindow, settings: SettingsStore): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const remember = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      if (win.isDestroyed()) return;
      const b = win.getNormalBounds();
      settings.update((s) => {
        s.window = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
      });
    }, 500);
  };
  win.on('resize', remember);
  win.on('move', remember);
  win.on('maximize', remember);
  win.on('unmaximize', remember);
}

export function createMainWindow(o: WindowOptions): BrowserWindow {
  const saved = o.settings.get().window;
  const win = new BrowserWindow({
    ...fitToWorkArea(saved, screen.getAllDisplays().map((d) => d.workArea)),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Kaiwa',
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: o.preload },
  });
  let shown = false;
  // maximize() shows the window, so it waits for the first paint like show().
  const reveal = () => {
    if (shown || win.isDestroyed()) return;
    shown = true;
    clearTimeout(fallback);
    if (saved?.maximized) win.maximize();
    win.show();
  };
  const fallback = setTimeout(reveal, SHOW_AT_LATEST_MS);
  win.once('ready-to-show', reveal);
  win.on('closed', () => clearTimeout(fallback));
  rememberBounds(win, o.settings);
  guardWindow(win, { url: o.url, report: o.report, reveal, quit: o.quit }).load();
  return win;
}
