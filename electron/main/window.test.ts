// The main window with a stubbed `electron`: restored bounds fitted to a display, the window shown
// even when the first paint never comes, and every way its page can fail ending in a dialog that
// names the data folder and the log file (and in the log).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../services/log.ts';
import { SettingsStore } from '../services/settings/store.ts';
import { createProblemReporter } from './failure.ts';
import { dataPaths, type DataPaths } from './startup.ts';
import { createMainWindow, fitToWorkArea, SHOW_AT_LATEST_MS } from './window.ts';

type Fn = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => ({
  windows: [] as unknown[],
  boxes: [] as { parent: boolean; options: { title?: string; detail?: string; buttons?: string[] } }[],
  /** The button the fake user presses in the next dialog. */
  answer: 0,
  loadError: null as Error | null,
}));

vi.mock('electron', () => {
  class Emitter {
    listeners = new Map<string, Fn[]>();
    on(event: string, fn: Fn) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }
    once(event: string, fn: Fn) {
      return this.on(event, fn);
    }
    emit(event: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(event) ?? []) fn(...args);
    }
  }
  class BrowserWindow extends Emitter {
    options: Record<string, unknown>;
    webContents = new Emitter();
    urls: string[] = [];
    log: string[] = [];
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      h.windows.push(this);
    }
    loadURL(url: string) {
      this.urls.push(url);
      const err = h.loadError;
      h.loadError = null;
      return err ? Promise.reject(err) : Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    show() {
      this.log.push('show');
    }
    maximize() {
      this.log.push('maximize');
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1200, height: 800 };
    }
  }
  return {
    BrowserWindow,
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1280, height: 760 } }, { workArea: { x: 1280, y: 0, width: 1920, height: 1040 } }],
    },
  };
});

interface FakeWin {
  options: Record<string, unknown>;
  urls: string[];
  log: string[];
  webContents: { emit(event: string, ...args: unknown[]): void };
  emit(event: string, ...args: unknown[]): void;
}

let dir: string;
let paths: DataPaths;
let settings: SettingsStore;
const quits: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-window-'));
  paths = dataPaths(dir);
  settings = new SettingsStore(dir, createLogger({}));
  Object.assign(h, { windows: [], boxes: [], answer: 0, loadError: null });
  quits.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function open(language?: () => 'en' | 'ja' | 'zh'): FakeWin {
  const log = createLogger({ dir: paths.logDir });
  const dialog = {
    showErrorBox: () => {},
    showMessageBox: (...args: unknown[]) => {
      h.boxes.push({ parent: args.length === 2, options: args.at(-1) as never });
      return Promise.resolve({ response: h.answer, checkboxChecked: false });
    },
  };
  createMainWindow({
    preload: '/x/preload/index.cjs',
    url: 'kaiwa://app/index.html',
    settings,
    report: createProblemReporter({ dialog, ...(language ? { language } : {}) } as never, paths, log),
    quit: () => quits.push(1),
  });
  return h.windows.at(-1) as FakeWin;
}

const expectDialog = async (title: RegExp, detail: RegExp) => {
  await vi.waitFor(() => expect(h.boxes.length).toBeGreaterThan(0));
  const box = h.boxes.at(-1)!;
  expect(box.options.title).toMatch(title);
  expect(box.options.detail).toMatch(detail);
  expect(box.options.detail).toContain(`Data folder: ${dir}`);
  expect(box.options.detail).toContain(`Log file: ${paths.logFile}`);
  expect(readFileSync(paths.logFile, 'utf8')).toMatch(detail);
  return box;
};

describe('restored window bounds', () => {
  const areas = [
    { x: 0, y: 0, width: 1280, height: 760 },
    { x: 1280, y: 0, width: 1920, height: 1040 },
  ];
  it('a window overlapping a display by one pixel is moved wholly onto it', () => {
    expect(fitToWorkArea({ x: 1279, y: 100, width: 1000, height: 700 }, [areas[0]!])).toEqual({ x: 280, y: 60, width: 1000, height: 700 });
  });
  it('a window larger than the display is shrunk to its work area, on the display it overlaps most', () => {
    expect(fitToWorkArea({ x: 1300, y: -50, width: 4000, height: 3000 }, areas)).toEqual({ x: 1280, y: 0, width: 1920, height: 1040 });
  });
  it('a window on a display that is gone keeps only a fitting size; the system places it', () => {
    expect(fitToWorkArea({ x: 5000, y: 5000, width: 1600, height: 900 }, areas)).toEqual({ width: 1280, height: 760 });
  });
  it('no remembered bounds: the default size, fitted', () => {
    expect(fitToWorkArea(undefined, areas)).toEqual({ width: 1200, height: 760 });
  });
  it('the window is created with fitted bounds from settings', () => {
    settings.update((s) => {
      s.window = { x: -3000, y: 10, width: 1000, height: 700, maximized: false };
    });
    expect(open().options).toMatchObject({ width: 1000, height: 700, show: false });
    expect(open().options).not.toHaveProperty('x');
  });
});

describe('showing the window', () => {
  it('is shown on its first paint, and maximized only then when it was maximized', () => {
    settings.update((s) => {
      s.window = { x: 0, y: 0, width: 1000, height: 700, maximized: true };
    });
    const win = open();
    expect(win.log).toEqual([]);
    win.emit('ready-to-show');
    expect(win.log).toEqual(['maximize', 'show']);
  });
  it('is shown after a bounded wait when the first paint never comes', () => {
    vi.useFakeTimers();
    const win = open();
    vi.advanceTimersByTime(SHOW_AT_LATEST_MS - 1);
    expect(win.log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(win.log).toEqual(['show']);
    win.emit('ready-to-show');
    expect(win.log).toEqual(['show']);
  });
});

describe('when the page fails', () => {
  it('loadURL rejects: the window is shown with a dialog; Reload loads the app again', async () => {
    h.loadError = Object.assign(new Error('ERR_FILE_NOT_FOUND (-6) loading kaiwa://app/index.html'), { errno: -6 });
    const win = open();
    const box = await expectDialog(/could not show its window/, /ERR_FILE_NOT_FOUND/);
    expect(box.parent).toBe(true);
    expect(box.options.buttons).toEqual(['Reload', 'Quit']);
    expect(win.log).toContain('show');
    await vi.waitFor(() => expect(win.urls).toEqual(['kaiwa://app/index.html', 'kaiwa://app/index.html']));
  });

  it('did-fail-load of the main frame: a dialog; Quit quits. A subframe or an aborted load is no failure', async () => {
    const win = open();
    win.webContents.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'http://x/', false);
    win.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'kaiwa://app/index.html', true);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.boxes).toEqual([]);
    h.answer = 1;
    win.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'kaiwa://app/index.html', true);
    await expectDialog(/could not show its window/, /ERR_FILE_NOT_FOUND \(-6\)/);
    await vi.waitFor(() => expect(quits).toEqual([1]));
  });

  it('dialogs speak the app’s language (here Japanese), and still name the folder and the log file', async () => {
    const win = open(() => 'ja');
    win.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'kaiwa://app/index.html', true);
    await vi.waitFor(() => expect(h.boxes).toHaveLength(1));
    expect(h.boxes[0]!.options).toMatchObject({ title: 'Kaiwa のウィンドウを表示できませんでした', buttons: ['再読み込み', '終了'] });
    expect(h.boxes[0]!.options.detail).toContain(`データフォルダー: ${dir}`);
    expect(h.boxes[0]!.options.detail).toContain(`ログファイル: ${paths.logFile}`);
  });

  it('preload-error: the user is told the window cannot reach the app, instead of a connection that never comes', async () => {
    const win = open();
    win.webContents.emit('preload-error', {}, '/x/preload/index.cjs', new Error('Unexpected token'));
    await expectDialog(/could not connect to the app/, /preload\/index\.cjs: Unexpected token/);
    expect(win.log).toContain('show');
  });

  it('render-process-gone: the same app URL is loaded again and the user is told; a crash loop asks instead', async () => {
    const win = open();
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(win.urls).toEqual(['kaiwa://app/index.html']);
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(win.urls).toEqual(['kaiwa://app/index.html', 'kaiwa://app/index.html']);
    const box = await expectDialog(/stopped unexpectedly/, /renderer crashed \(exit code 139\)/);
    expect(box.options.buttons).toEqual(['OK']);
    expect(win.log).toContain('show');
    for (let i = 0; i < 3; i++) win.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    await vi.waitFor(() => expect(h.boxes.at(-1)!.options.buttons).toEqual(['Reload', 'Quit']));
    expect(h.boxes.at(-1)!.options.detail).toMatch(/several times/);
  });
});
