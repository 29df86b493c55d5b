// The Electron adapter with a stubbed `electron` module: the real electron/main/index.ts starts,
// creates the real services and binds them to the (recorded) ipcMain, and we act as the renderer.
// File length (~430 lines): every case shares the one adapter start and its electron stand-in above.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { callNames, channelOf, type Envelope } from '../contract/index.ts';
import { FOREIGN_SENDER } from './ipc.ts';
import { hardenContents } from './security.ts';

type Listener = (...args: unknown[]) => unknown;

interface FakeContents {
  id: number;
  sent: { channel: string; payload: unknown }[];
  listeners: Map<string, Listener[]>;
  windowOpenHandler: Listener | null;
  send(channel: string, payload: unknown): void;
  on(event: string, fn: Listener): FakeContents;
  setWindowOpenHandler(fn: Listener): void;
}

// Shared between the hoisted mock factories and the tests.
const h = vi.hoisted(() => {
  const makeContents = (id: number) => {
    const c = {
      id,
      sent: [] as { channel: string; payload: unknown }[],
      listeners: new Map<string, ((...args: unknown[]) => unknown)[]>(),
      windowOpenHandler: null as ((...args: unknown[]) => unknown) | null,
      send(channel: string, payload: unknown) {
        c.sent.push({ channel, payload });
      },
      on(event: string, fn: (...args: unknown[]) => unknown) {
        c.listeners.set(event, [...(c.listeners.get(event) ?? []), fn]);
        return c;
      },
      setWindowOpenHandler(fn: (...args: unknown[]) => unknown) {
        c.windowOpenHandler = fn;
      },
    };
    return c;
  };
  return {
    userData: '',
    makeContents,
    handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    appListeners: new Map<string, ((...args: unknown[]) => unknown)[]>(),
    windows: [] as { options: Record<string, unknown>; webContents: ReturnType<typeof makeContents>; urls: string[] }[],
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, unknown>(),
    permissionRequestHandler: null as ((...args: unknown[]) => unknown) | null,
    permissionCheckHandler: null as ((...args: unknown[]) => unknown) | null,
    quits: 0,
    exits: [] as number[],
    opened: [] as string[],
    openedPaths: [] as string[],
    proxyAsked: [] as string[],
    /** Every save dialog main showed, and what the fake user answers to the next one. */
    saveDialogs: [] as { parent: unknown; options: Record<string, unknown> }[],
    saveAnswer: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
    nativeTheme: { themeSource: 'system' as string },
  };
});

vi.mock('electron', () => {
  class BrowserWindow {
    options: Record<string, unknown>;
    webContents = h.makeContents(100 + h.windows.length);
    urls: string[] = [];
    private listeners = new Map<string, ((...args: unknown[]) => unknown)[]>();
    constructor(options: Record<string, unknown>) {
      this.options = options;
      h.windows.push(this);
    }
    on(event: string, fn: (...args: unknown[]) => unknown) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }
    once(event: string, fn: (...args: unknown[]) => unknown) {
      return this.on(event, fn);
    }
    loadURL(url: string) {
      this.urls.push(url);
      return Promise.resolve();
    }
    getNormalBounds() {
      return { x: 10, y: 10, width: 1200, height: 800 };
    }
    isMaximized() {
      return false;
    }
    maximize() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    show() {}
  }
  const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  const app = {
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    setAppUserModelId: () => {},
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return h.userData;
    },
    getVersion: () => '0.1.0-test',
    getLocale: () => 'en-US',
    getPreferredSystemLanguages: () => ['ja-JP'],
    isPackaged: false,
    on: (event: string, fn: (...args: unknown[]) => unknown) => {
      h.appListeners.set(event, [...(h.appListeners.get(event) ?? []), fn]);
    },
    quit: () => {
      h.quits += 1;
    },
    exit: (code: number) => {
      h.exits.push(code);
    },
  };
  const ipcMain = {
    on: () => {},
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => {
      if (h.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      h.handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => {
      h.handlers.delete(channel);
    },
  };
  return {
    // electron-store (the real package) reads `app` and `ipcMain` from the default export.
    default: { app, ipcMain, shell: {} },
    app,
    ipcMain,
    dialog: {
      showErrorBox: () => {},
      showMessageBox: () => Promise.resolve({ response: 0 }),
      showSaveDialog: (parent: unknown, options: Record<string, unknown>) => {
        h.saveDialogs.push({ parent, options });
        return Promise.resolve(h.saveAnswer);
      },
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        h.privilegedSchemes.push(...schemes);
      },
      handle: (scheme: string, fn: unknown) => {
        h.protocolHandlers.set(scheme, fn);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...args: unknown[]) => unknown) => {
          h.permissionRequestHandler = fn;
        },
        setPermissionCheckHandler: (fn: (...args: unknown[]) => unknown) => {
          h.permissionCheckHandler = fn;
        },
        resolveProxy: (url: string) => {
          h.proxyAsked.push(url);
          return Promise.resolve('DIRECT');
        },
      },
    },
    nativeTheme: h.nativeTheme,
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => mask(Buffer.from(s, 'utf8')),
      decryptString: (b: Buffer) => mask(b).toString('utf8'),
    },
    shell: {
      openExternal: (url: string) => {
        h.opened.push(url);
        return Promise.resolve();
      },
      openPath: (path: string) => {
        h.openedPaths.push(path);
        return Promise.resolve('');
      },
    },
    Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: unknown) => t },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
});

const APP_URL = 'kaiwa://app/index.html';
let fake: FakeUpstream;
const savedDevUrl = process.env['ELECTRON_RENDERER_URL'];

const win = () => {
  expect(h.windows).toHaveLength(1);
  return h.windows[0]!;
};
const trusted = () => ({ sender: { id: win().webContents.id }, senderFrame: { url: APP_URL, parent: null } });

async function invoke(name: string, payload: unknown, event: unknown = trusted()): Promise<Envelope<unknown>> {
  const handler = h.handlers.get(channelOf(name));
  if (!handler) throw new Error(`no handler for ${name}`);
  return (await handler(event, payload)) as Envelope<unknown>;
}

async function keysOf(providerId: string): Promise<unknown[]> {
  const r = await invoke('providers.list', {});
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.value as { id: string; keys: unknown[] }[]).find((p) => p.id === providerId)!.keys;
}

beforeAll(async () => {
  delete process.env['ELECTRON_RENDERER_URL'];
  h.userData = mkdtempSync(join(tmpdir(), 'kaiwa-adapter-'));
  fake = await FakeUpstream.start();
  await import('./index.ts');
  // The window opens once whenReady() has resolved.
  await vi.waitFor(() => expect(h.windows).toHaveLength(1));
});

afterAll(async () => {
  // Quitting shuts the services down (closes the database) before the app exits.
  const beforeQuit = h.appListeners.get('before-quit')?.[0];
  if (beforeQuit) {
    let prevented = false;
    beforeQuit({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    const deadline = Date.now() + 5000;
    while (h.quits === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(h.quits).toBe(1);
  }
  await fake?.close();
  if (savedDevUrl !== undefined) process.env['ELECTRON_RENDERER_URL'] = savedDevUrl;
  rmSync(h.userData, { recursive: true, force: true });
});

describe('Electron adapter', () => {
  it('started without errors and created one window showing the app', () => {
    expect(h.exits).toEqual([]);
    expect(win().urls).toEqual([APP_URL]);
    expect(h.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'kaiwa', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(h.protocolHandlers.has('kaiwa')).toBe(true);
    // Settings go through the real electron-store, into the file browser mode reads too.
    expect(existsSync(join(h.userData, 'settings.json'))).toBe(true);
    expect(existsSync(join(h.userData, 'config.json'))).toBe(false);
  });

  it('binds every contract call, and nothing else, on kaiwa:<name>', () => {
    expect([...h.handlers.keys()].sort()).toEqual(callNames.map((n) => `kaiwa:${n}`).sort());
  });

  it('answers a valid call from its own window', async () => {
    const r = await invoke('settings.get', {});
    expect(r).toMatchObject({ ok: true, value: { language: 'system', vault: { backend: 'gnome_libsecret', encrypted: true, weak: false } } });
    const info = await invoke('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'desktop', version: '0.1.0-test', systemLanguage: 'ja', dataDir: h.userData } });
  });

  it('rejects a payload that fails its schema with invalid_request', async () => {
    const r = await invoke('settings.update', { idleTimeoutSec: 'never' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const r2 = await invoke('settings.get', { extra: 1 });
    expect(r2).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses calls from a foreign page, a subframe, another window or no frame, and runs no service', async () => {
    const id = win().webContents.id;
    const foreign = [
      { sender: { id }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id }, senderFrame: { url: 'kaiwa://app.evil.example/index.html', parent: null } },
      { sender: { id }, senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { sender: { id }, senderFrame: { url: APP_URL, parent: { url: APP_URL } } },
      { sender: { id: id + 1 }, senderFrame: { url: APP_URL, parent: null } },
      { sender: { id }, senderFrame: null },
    ];
    for (const event of foreign) {
      expect(await invoke('settings.get', {}, event)).toEqual(FOREIGN_SENDER);
      expect(await invoke('providers.setKeys', { id: 'wandb', keys: 'wb-foreign-key-000000000000' }, event)).toEqual(FOREIGN_SENDER);
      expect(await invoke('settings.update', { theme: 'dark' }, event)).toEqual(FOREIGN_SENDER);
    }
    expect(await keysOf('wandb')).toEqual([]);
    expect(await invoke('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'system' } });

    // The same calls from the app's own frame do take effect.
    expect(await invoke('providers.setKeys', { id: 'wandb', keys: 'wb-own-key-000000000000' })).toMatchObject({ ok: true });
    expect(await keysOf('wandb')).toHaveLength(1);
  });

  it('created the window with the secure web preferences and the built preload', () => {
    const prefs = win().options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs['nodeIntegrationInSubFrames']).toBe(false);
    expect(prefs['nodeIntegrationInWorker']).toBe(false);
    expect(prefs['webviewTag']).toBe(false);
    // Electron checklist items 8–10: no insecure content, no experimental or extra Blink features.
    expect(prefs['allowRunningInsecureContent']).toBe(false);
    expect(prefs['experimentalFeatures']).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(String(prefs['preload']).replaceAll('\\', '/')).toMatch(/(^|\/)preload\/index\.cjs$/);
  });

  it('denies every permission request and check', () => {
    expect(h.permissionRequestHandler).not.toBeNull();
    const answers: unknown[] = [];
    for (const perm of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      h.permissionRequestHandler!(win().webContents, perm, (granted: boolean) => answers.push(granted), {});
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(h.permissionCheckHandler!(win().webContents, 'media', APP_URL, {})).toBe(false);
  });

  it('hardens every new web contents: no new windows, no navigation away, no webviews', () => {
    const created = h.appListeners.get('web-contents-created');
    expect(created).toHaveLength(1);
    const contents = h.makeContents(999);
    created![0]!({}, contents);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: APP_URL })).toEqual({ action: 'deny' });
    const nav = (event: string, url: string) => {
      let prevented = false;
      for (const fn of contents.listeners.get(event) ?? []) fn({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(nav('will-navigate', 'https://evil.example/')).toBe(true);
    expect(nav('will-navigate', APP_URL)).toBe(false);
    expect(nav('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(nav('will-redirect', 'kaiwa://app/settings')).toBe(false);
    expect(nav('will-attach-webview', APP_URL)).toBe(true);
  });

  it('opens only http(s) links externally', async () => {
    expect(await invoke('app.openExternal', { url: 'https://modelscope.cn/my/myaccesstoken' })).toEqual({ ok: true, value: { ok: true } });
    expect(h.opened).toEqual(['https://modelscope.cn/my/myaccesstoken']);
    expect(await invoke('app.openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(h.opened).toHaveLength(1);
  });

  it('native parts follow the theme setting; Open folder opens the data directory', async () => {
    expect(h.nativeTheme.themeSource).toBe('system');
    expect(await invoke('settings.update', { theme: 'dark' })).toMatchObject({ ok: true });
    expect(h.nativeTheme.themeSource).toBe('dark');
    expect(await invoke('settings.update', { theme: 'system' })).toMatchObject({ ok: true });
    expect(h.nativeTheme.themeSource).toBe('system');
    expect(await invoke('app.openDataDir', {})).toEqual({ ok: true, value: { ok: true } });
    expect(h.openedPaths).toEqual([h.userData]);
  });

  it('stores keys through safeStorage and streams a chat to the window as events', async () => {
    expect(await invoke('providers.update', { id: 'modelscope', baseUrl: fake.baseUrl })).toMatchObject({ ok: true });
    expect(await invoke('providers.setKeys', { id: 'modelscope', keys: 'ms-desktop-key-0000000001' })).toMatchObject({ ok: true });
    fake.enqueue({ kind: 'stream', content: ['Hello ', 'from ', 'the desktop.'] });
    const conv = await invoke('conversations.create', {});
    if (!conv.ok) throw new Error(JSON.stringify(conv.error));
    const sent = await invoke('chat.send', { conversationId: (conv.value as { id: string }).id, text: 'hi' });
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    const streamId = (sent.value as { streamId: string }).streamId;

    const sentTo = win().webContents.sent;
    const deadline = Date.now() + 10_000;
    while (!sentTo.some((m) => m.channel === 'kaiwa:stream.end') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const end = sentTo.find((m) => m.channel === 'kaiwa:stream.end');
    expect(end?.payload).toMatchObject({ streamId, message: { status: 'done', content: 'Hello from the desktop.' } });
    // "System proxy" in the desktop app is the OS's answer for the request URL.
    expect(h.proxyAsked).toEqual([`${fake.baseUrl}/chat/completions`]);
    const text = sentTo
      .filter((m) => m.channel === 'kaiwa:stream.delta')
      .map((m) => (m.payload as { content?: string }).content ?? '')
      .join('');
    expect(text).toBe('Hello from the desktop.');
    expect(fake.chatRequests()[0]!.headers['authorization']).toBe(`Bearer ${'ms-desktop-key-0000000001'}`);
  });
});

describe('a backup with keys on the desktop', () => {
  it('is written by main where the user picks in the save dialog main shows itself; the window receives only where; Cancel writes nothing', async () => {
    expect(await invoke('providers.setKeys', { id: 'wandb', keys: 'wandb-desktop-backup-key-0001' })).toMatchObject({ ok: true });
    const chosen = join(h.userData, 'elsewhere', 'my-backup.json');
    mkdirSync(join(h.userData, 'elsewhere'));
    h.saveAnswer = { canceled: false, filePath: chosen };
    const r = await invoke('backup.create', { passphrase: 'a long enough passphrase' });
    expect(r).toMatchObject({ ok: true, value: { delivery: 'saved', where: 'chosen', path: chosen, filename: 'my-backup.json', includesKeys: true } });
    expect(JSON.stringify(r)).not.toMatch(/wandb-desktop-backup-key|"kdf"|"text"/);
    // Parented to the app window, in the app's language (Japanese here: the system's), a .json name.
    expect(h.saveDialogs).toHaveLength(1);
    expect(h.saveDialogs[0]!.parent).toBe(win());
    expect(h.saveDialogs[0]!.options).toMatchObject({ title: '暗号化したキーを含むバックアップを保存', defaultPath: expect.stringMatching(/^kaiwa-backup-.*\.json$/) });
    expect(statSync(chosen).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(chosen, 'utf8'))).toMatchObject({ format: 'kaiwa.backup', keys: { kdf: { name: 'scrypt' } } });

    h.saveAnswer = { canceled: true, filePath: '' };
    expect(await invoke('backup.create', { passphrase: 'a long enough passphrase' })).toEqual({ ok: true, value: { delivery: 'cancelled', includesKeys: true, conversations: expect.any(Number) } });
    expect(readdirSync(join(h.userData, 'elsewhere'))).toEqual(['my-backup.json']);
    expect(existsSync(join(h.userData, 'backups'))).toBe(false);
  });
});

describe('hardenContents', () => {
  function fakeContents(): FakeContents {
    return h.makeContents(1) as FakeContents;
  }
  const isApp = (url: string) => url === 'kaiwa://app' || url.startsWith('kaiwa://app/');
  const fire = (c: FakeContents, event: string, url: string) => {
    let prevented = false;
    for (const fn of c.listeners.get(event) ?? []) fn({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };

  it('denies window.open and prevents navigation and redirects away from the app', () => {
    const c = fakeContents();
    hardenContents(c as unknown as Parameters<typeof hardenContents>[0], isApp);
    expect(c.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(fire(c, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire(c, 'will-navigate', 'kaiwa://app.evil/')).toBe(true);
    expect(fire(c, 'will-navigate', 'kaiwa://app/index.html')).toBe(false);
    expect(fire(c, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire(c, 'will-redirect', 'kaiwa://app/index.html')).toBe(false);
    expect(fire(c, 'will-attach-webview', 'kaiwa://app/index.html')).toBe(true);
  });
});
