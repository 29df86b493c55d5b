// The desktop app's start-up, in the order Electron needs it (see startup.ts), as small steps:
// prepareApp runs synchronously while the entry module is evaluated (what must precede `ready`),
// then startWhenReady creates the services, binds them and opens the window.
import { join } from 'node:path';
import { app, dialog, ipcMain, Menu, nativeTheme, protocol, safeStorage, session, shell, type BrowserWindow, type SaveDialogOptions } from 'electron';
import { channelOf } from '../contract/index.ts';
import { createKaiwa, type Kaiwa } from '../services/index.ts';
import { createLogger, type Logger } from '../services/log.ts';
import { systemClock, type Platform } from '../services/platform.ts';
import { APP_ORIGIN, APP_SCHEME, isAppUrl, serveAppRequest } from './app-protocol.ts';
import { createSafeStorageCipher } from './cipher.ts';
import type { UiLanguage } from '../shared/locale.ts';
import { createProblemReporter, type ReportProblem } from './failure.ts';
import { bindIpc, makeSenderCheck } from './ipc.ts';
import { MAIN_TEXTS } from './main-text.ts';
import { installAppMenu } from './menu.ts';
import { hardenContents } from './security.ts';
import { adoptEarlierSettingsFile, electronStoreFactory } from './settings-file.ts';
import { claimDataDir, devServerUrl, setWindowsAppId, systemLanguage, type DataPaths } from './startup.ts';
import { createMainWindow } from './window.ts';

export interface AppContext {
  /** The folder of the built main entry (out/main): preload and renderer are found from it. */
  mainDir: string;
  env: NodeJS.ProcessEnv;
  argv: string[];
}

export interface Started {
  report: ReportProblem;
  log: Logger;
}

interface Shell {
  ctx: AppContext;
  paths: DataPaths;
  devUrl: string | undefined;
  isApp: (url: string) => boolean;
  win: BrowserWindow | null;
  kaiwa: Kaiwa | null;
}

/** Everything that must happen before `ready`. Null when another Kaiwa owns the data folder (this one quits). */
export function prepareApp(ctx: AppContext): { paths: DataPaths; ready: Promise<Started> } | null {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
  const paths = claimDataDir(app, ctx.env);
  if (!paths) {
    app.quit();
    return null;
  }
  setWindowsAppId(app, process.platform);
  const devUrl = devServerUrl(app, ctx.env);
  const s: Shell = { ctx, paths, devUrl, isApp: (url) => isAppUrl(url, devUrl), win: null, kaiwa: null };
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, s.isApp));
  return { paths, ready: app.whenReady().then(() => startWhenReady(s)) };
}

function platformFor(s: Shell): Platform {
  const dataDir = s.paths.dataDir;
  return {
    mode: 'desktop',
    dataDir,
    appVersion: app.getVersion(),
    platform: process.platform,
    systemLanguage: systemLanguage(app, s.ctx.argv),
    cipher: createSafeStorageCipher(safeStorage, dataDir, process.platform),
    clock: systemClock,
    env: s.ctx.env,
    async openExternal(url) {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:' && u.protocol !== 'mailto:') throw new Error('only http(s) and mailto links open externally');
      await shell.openExternal(u.toString());
    },
    async openPath(path) {
      const error = await shell.openPath(path);
      if (error) throw new Error(error);
    },
    // The OS proxy (system settings, PAC, GNOME/KDE) as Chromium resolves it.
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
    // Main's own dialog: a backup with keys is written by main where the user says, never handed to the window.
    async chooseSavePath({ defaultName }) {
      const text = MAIN_TEXTS[uiLanguage(s)];
      const options: SaveDialogOptions = {
        title: text.saveBackup,
        defaultPath: defaultName,
        filters: [{ name: text.backupFiles, extensions: ['json'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const win = s.win && !s.win.isDestroyed() ? s.win : null;
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

/** The language the app is set to, or the system's. */
function uiLanguage(s: Shell): UiLanguage {
  const chosen = s.kaiwa?.services.settings.get().language ?? 'system';
  return chosen === 'system' ? systemLanguage(app, s.ctx.argv) : chosen;
}

/**
 * Deny every permission (camera, notifications, geolocation…) but one: the app's own page may write
 * text to the clipboard (the Copy buttons ask for "clipboard-sanitized-write"). Reading stays denied.
 */
function restrictPermissions(isApp: (url: string) => boolean): void {
  const mayWriteClipboard = (perm: string, url: string | undefined) =>
    perm === 'clipboard-sanitized-write' && !!url && (isApp(url) || isApp(`${url}/`));
  session.defaultSession.setPermissionRequestHandler((_wc, perm, cb, details) => cb(mayWriteClipboard(perm, details.requestingUrl)));
  session.defaultSession.setPermissionCheckHandler((_wc, perm, origin) => mayWriteClipboard(perm, origin));
}

function startWhenReady(s: Shell): Started {
  const log = createLogger({ dir: s.paths.logDir, stderr: !app.isPackaged });
  adoptEarlierSettingsFile(s.paths.dataDir);
  const kaiwa = createKaiwa(platformFor(s), { storeFactory: electronStoreFactory, logger: log });
  s.kaiwa = kaiwa;
  // Native parts (scrollbars, menus, the title bar on some systems) follow the theme setting too.
  const followTheme = () => (nativeTheme.themeSource = kaiwa.services.settings.get().theme);
  followTheme();
  kaiwa.services.settings.onChange(followTheme);
  restrictPermissions(s.isApp);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, join(s.ctx.mainDir, '../renderer')));
  bindIpc(ipcMain, kaiwa.dispatch, makeSenderCheck(() => s.win?.webContents.id ?? null, s.isApp));
  kaiwa.subscribe((name, payload) => {
    if (s.win && !s.win.isDestroyed()) s.win.webContents.send(channelOf(name), payload);
  });
  installAppMenu(Menu, process.platform, app.isPackaged);
  // Dialogs speak the language the app is set to, or the system's.
  const report = createProblemReporter({ dialog, language: () => uiLanguage(s) }, s.paths, log);
  const openWindow = () => {
    if (s.win) return s.win;
    const win = createMainWindow({
      preload: join(s.ctx.mainDir, '../preload/index.cjs'),
      url: s.devUrl ?? `${APP_ORIGIN}/index.html`,
      settings: kaiwa.services.settings,
      report,
      quit: () => app.quit(),
    });
    win.on('closed', () => {
      if (s.win === win) s.win = null;
    });
    s.win = win;
    return win;
  };
  openWindow();
  wireLifecycle(s, openWindow);
  return { report, log };
}

function wireLifecycle(s: Shell, openWindow: () => BrowserWindow): void {
  app.on('second-instance', () => {
    const win = openWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // macOS keeps the app running with no window; a click on the Dock icon brings one back.
  app.on('activate', () => void openWindow());
  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting || !s.kaiwa) return;
    e.preventDefault();
    quitting = true;
    void s.kaiwa.shutdown().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
