// The real desktop entry (electron/main/index.ts) started against a stubbed `electron` module that
// records the order of calls: what must happen before `ready`, the macOS menu and Dock behaviour,
// and a failure at a module's top level. The services behind it are the real ones.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Fn = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => ({
  calls: [] as string[],
  userData: '',
  appListeners: new Map<string, ((...args: unknown[]) => unknown)[]>(),
  windows: [] as { listeners: Map<string, ((...args: unknown[]) => unknown)[]>; urls: string[]; destroyed: boolean }[],
  menus: [] as unknown[],
  boxes: [] as { title: string; text: string }[],
  messageBoxes: [] as { title?: string; detail?: string }[],
  exits: [] as number[],
  failScheme: false,
}));

vi.mock('electron', () => {
  const on = (map: Map<string, Fn[]>) => (event: string, fn: Fn) => {
    map.set(event, [...(map.get(event) ?? []), fn]);
  };
  class BrowserWindow {
    listeners = new Map<string, Fn[]>();
    urls: string[] = [];
    destroyed = false;
    webContents = { id: 100 + h.windows.length, on: () => {}, send: () => {} };
    constructor() {
      h.windows.push(this);
    }
    on(event: string, fn: Fn) {
      on(this.listeners)(event, fn);
      return this;
    }
    once(event: string, fn: Fn) {
      return this.on(event, fn);
    }
    loadURL(url: string) {
      this.urls.push(url);
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    show() {}
    focus() {}
  }
  const app = {
    isPackaged: true,
    isReady: () => true,
    whenReady: () => Promise.resolve(),
    getPath: () => h.userData,
    setPath: (name: string, dir: string) => {
      // Electron throws for a folder that does not exist.
      if (!existsSync(dir)) throw new Error(`Failed to set path: ${dir}`);
      h.calls.push(`setPath:${name}`);
    },
    requestSingleInstanceLock: () => {
      h.calls.push('lock');
      return true;
    },
    setAppUserModelId: (id: string) => h.calls.push(`appUserModelId:${id}`),
    getVersion: () => '0.1.0-test',
    getLocale: () => 'en-US',
    getPreferredSystemLanguages: () => ['en-US'],
    on: (event: string, fn: Fn) => on(h.appListeners)(event, fn),
    quit: () => h.calls.push('quit'),
    exit: (code: number) => h.exits.push(code),
  };
  const ipcMain = { on: () => {}, handle: () => {}, removeHandler: () => {} };
  return {
    default: { app, ipcMain, shell: {} },
    app,
    ipcMain,
    BrowserWindow,
    dialog: { showErrorBox: (title: string, text: string) => h.boxes.push({ title, text }), showMessageBox: (...args: unknown[]) => {
        h.messageBoxes.push(args.at(-1) as { title?: string; detail?: string });
        return Promise.resolve({ response: 0 });
      },
    },
    protocol: {
      registerSchemesAsPrivileged: () => {
        if (h.failScheme) throw new Error('scheme registration failed');
        h.calls.push('registerScheme');
      },
      handle: () => {},
    },
    safeStorage: { isEncryptionAvailable: () => false },
    session: { defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {}, resolveProxy: () => Promise.resolve('DIRECT') } },
    shell: {},
    Menu: {
      buildFromTemplate: (t: unknown) => ({ template: t }),
      setApplicationMenu: (m: unknown) => h.menus.push(m),
    },
    nativeTheme: { themeSource: 'system' },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
});

let root: string;
let listenersBefore: { rejection: unknown[]; exception: unknown[] };
/** The handler index.ts added to this process (vitest keeps its own). */
const added = (event: 'unhandledRejection' | 'uncaughtException'): Fn[] => {
  const before = event === 'unhandledRejection' ? listenersBefore.rejection : listenersBefore.exception;
  return (process.listeners(event as 'unhandledRejection') as Fn[]).filter((l) => !before.includes(l));
};
const realPlatform = process.platform;
const setPlatform = (p: NodeJS.Platform) => Object.defineProperty(process, 'platform', { value: p, configurable: true });
const fire = (event: string, ...args: unknown[]) => {
  for (const fn of h.appListeners.get(event) ?? []) fn(...args);
};

beforeEach(() => {
  vi.resetModules();
  root = mkdtempSync(join(tmpdir(), 'kaiwa-lifecycle-'));
  h.userData = join(root, 'default-userdata');
  Object.assign(h, { calls: [], windows: [], menus: [], boxes: [], messageBoxes: [], exits: [], failScheme: false });
  listenersBefore = { rejection: process.listeners('unhandledRejection'), exception: process.listeners('uncaughtException') };
  h.appListeners.clear();
});
afterEach(async () => {
  // Quit the started app so its database closes before the folder goes.
  const beforeQuit = h.appListeners.get('before-quit')?.[0];
  if (beforeQuit) {
    beforeQuit({ preventDefault: () => {} });
    await vi.waitFor(() => expect(h.calls).toContain('quit'));
  }
  for (const l of added('unhandledRejection')) process.off('unhandledRejection', l as NodeJS.UnhandledRejectionListener);
  for (const l of added('uncaughtException')) process.off('uncaughtException', l as NodeJS.UncaughtExceptionListener);
  setPlatform(realPlatform);
  delete process.env['KAIWA_DATA_DIR'];
  vi.doUnmock('./app.ts');
  rmSync(root, { recursive: true, force: true });
});

async function start(): Promise<void> {
  await import('./index.ts');
  await vi.waitFor(() => expect(h.windows.length + h.exits.length).toBeGreaterThan(0));
}

describe('desktop start-up', () => {
  it('chooses and creates the data folder before the single-instance lock, and the app uses it', async () => {
    const portable = join(root, 'portable', 'data');
    process.env['KAIWA_DATA_DIR'] = portable;
    setPlatform('linux');
    await start();
    expect(h.exits).toEqual([]);
    expect(existsSync(portable)).toBe(true);
    expect(h.calls.indexOf('setPath:userData')).toBeGreaterThanOrEqual(0);
    expect(h.calls.indexOf('setPath:userData')).toBeLessThan(h.calls.indexOf('lock'));
    expect(existsSync(join(portable, 'settings.json'))).toBe(true);
    // Not Windows: no AppUserModelID; not macOS: the packaged app has no menu bar.
    expect(h.calls.some((c) => c.startsWith('appUserModelId'))).toBe(false);
    expect(h.menus).toEqual([null]);
  });

  it('sets the AppUserModelID to the appId on Windows', async () => {
    setPlatform('win32');
    await start();
    const builder = JSON.parse(readFileSync('electron-builder.json', 'utf8')) as { appId: string };
    expect(h.calls).toContain(`appUserModelId:${builder.appId}`);
  });

  it('macOS: an application menu with the app (⌘Q), Edit and Window roles; activate reopens a closed window', async () => {
    setPlatform('darwin');
    await start();
    expect(h.menus).toHaveLength(1);
    const roles = (h.menus[0] as { template: { role: string }[] }).template.map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['appMenu', 'editMenu', 'windowMenu']));
    expect(h.windows).toHaveLength(1);
    // Closing the last window does not quit on macOS…
    h.windows[0]!.destroyed = true;
    for (const fn of h.windows[0]!.listeners.get('closed') ?? []) fn();
    fire('window-all-closed');
    expect(h.calls).not.toContain('quit');
    // …and a click on the Dock icon brings a window back; a second click does not add another.
    fire('activate');
    expect(h.windows).toHaveLength(2);
    expect(h.windows[1]!.urls).toEqual(['kaiwa://app/index.html']);
    fire('activate');
    expect(h.windows).toHaveLength(2);
  });

  it('a packaged app ignores ELECTRON_RENDERER_URL and loads its own files', async () => {
    process.env['ELECTRON_RENDERER_URL'] = 'http://127.0.0.1:9/';
    try {
      await start();
      expect(h.windows[0]!.urls).toEqual(['kaiwa://app/index.html']);
    } finally {
      delete process.env['ELECTRON_RENDERER_URL'];
    }
  });
});

describe('a failure after start', () => {
  it('an unhandled rejection or exception in main ends in a dialog naming the log file, and in the log; the app keeps running', async () => {
    await start();
    expect(added('unhandledRejection')).toHaveLength(1);
    added('unhandledRejection')[0]!(new Error('a promise nobody awaited'), Promise.resolve());
    await vi.waitFor(() => expect(h.messageBoxes).toHaveLength(1));
    added('uncaughtException')[0]!(new Error('thrown from a timer'));
    await vi.waitFor(() => expect(h.messageBoxes).toHaveLength(2));
    const logFile = join(h.userData, 'logs', 'kaiwa.log');
    expect(h.messageBoxes[0]).toMatchObject({ title: 'Kaiwa hit an unexpected error' });
    expect(h.messageBoxes[0]!.detail).toContain('a promise nobody awaited');
    expect(h.messageBoxes[0]!.detail).toContain(`Log file: ${logFile}`);
    expect(h.messageBoxes[1]!.detail).toContain('thrown from a timer');
    expect(readFileSync(logFile, 'utf8')).toMatch(/a promise nobody awaited[\s\S]*thrown from a timer/);
    expect(h.exits).toEqual([]);
    // A key inside an error message is redacted in the dialog as in the log.
    const key = ['sk', 'dialogsecret0123456789'].join('-');
    added('unhandledRejection')[0]!(new Error(`upstream echoed ${key}`), Promise.resolve());
    await vi.waitFor(() => expect(h.messageBoxes).toHaveLength(3));
    expect(h.messageBoxes[2]!.detail).toContain('upstream echoed [REDACTED]');
    expect(readFileSync(logFile, 'utf8')).not.toContain(key);
  });
});

describe('a failure before the window exists', () => {
  const expectFailureShown = (message: RegExp, dataDir: string) => {
    expect(h.exits).toEqual([1]);
    expect(h.windows).toEqual([]);
    expect(h.boxes).toHaveLength(1);
    expect(h.boxes[0]!.title).toBe('Kaiwa could not start');
    expect(h.boxes[0]!.text).toMatch(message);
    const logFile = join(dataDir, 'logs', 'kaiwa.log');
    expect(h.boxes[0]!.text).toContain(`Data folder: ${dataDir}`);
    expect(h.boxes[0]!.text).toContain(`Log file: ${logFile}`);
    expect(readFileSync(logFile, 'utf8')).toMatch(message);
  };

  it('at a module top level: Kaiwa’s own dialog, the error in the log, exit 1', async () => {
    process.env['KAIWA_DATA_DIR'] = join(root, 'data');
    vi.doMock('./app.ts', () => {
      throw new Error('a module failed while loading');
    });
    await start();
    await vi.waitFor(() => expect(h.exits).toEqual([1]));
    expectFailureShown(/a module failed while loading/, join(root, 'data'));
  });

  it('in the first steps before ready (registering the app scheme)', async () => {
    h.failScheme = true;
    await start();
    await vi.waitFor(() => expect(h.exits).toEqual([1]));
    expectFailureShown(/scheme registration failed/, h.userData);
    expect(h.calls).not.toContain('lock');
  });
});
