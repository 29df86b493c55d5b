// The Electron adapter: app and window lifecycle, IPC binding, safeStorage, shell. Everything else
// is in electron/services (Electron-free), created through the same `createKaiwa` as browser mode.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, Menu, nativeTheme, protocol, safeStorage, session, shell, type BrowserWindow } from 'electron';
import { createKaiwa, type Kaiwa } from '../services/index.ts';
import { createLogger } from '../services/log.ts';
import { systemClock } from '../services/platform.ts';
import { isUiLanguage, pickLanguage } from '../shared/locale.ts';
import { APP_ORIGIN, APP_SCHEME, isAppUrl, serveAppRequest } from './app-protocol.ts';
import { createSafeStorageCipher } from './cipher.ts';
import { bindIpc, makeSenderCheck } from './ipc.ts';
import { hardenContents } from './security.ts';
import { electronStoreFactory } from './settings-file.ts';
import { createMainWindow } from './window.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const devUrl = process.env['ELECTRON_RENDERER_URL'];
const langArg = process.argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let kaiwa: Kaiwa | null = null;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('web-contents-created', (_e, contents) => hardenContents(contents, (url) => isAppUrl(url, devUrl)));

  // A data directory chosen by the user (portable installs, tests) wins over the default.
  if (process.env['KAIWA_DATA_DIR']) app.setPath('userData', process.env['KAIWA_DATA_DIR']);

  app.whenReady().then(() => {
    const dataDir = app.getPath('userData');
    const log = createLogger({ dir: join(dataDir, 'logs'), stderr: !app.isPackaged });
    kaiwa = createKaiwa(
      {
        mode: 'desktop',
        dataDir,
        appVersion: app.getVersion(),
        platform: process.platform,
        systemLanguage: isUiLanguage(langArg) ? langArg : pickLanguage(app.getPreferredSystemLanguages()[0] ?? app.getLocale()),
        cipher: createSafeStorageCipher(safeStorage, dataDir, process.platform),
        clock: systemClock,
        env: process.env,
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
      },
      { storeFactory: electronStoreFactory, logger: log },
    );
    const services = kaiwa;
    // Native parts (scrollbars, menus, the title bar on some systems) follow the theme setting too.
    const followTheme = () => (nativeTheme.themeSource = services.services.settings.get().theme);
    followTheme();
    services.services.settings.onChange(followTheme);

    // Deny every permission (camera, notifications, geolocation…) but one: the app's own page may
    // write text to the clipboard (the Copy buttons; navigator.clipboard.writeText asks for
    // "clipboard-sanitized-write"). Reading the clipboard stays denied.
    const mayWriteClipboard = (perm: string, url: string | undefined) =>
      perm === 'clipboard-sanitized-write' && !!url && (isAppUrl(url, devUrl) || isAppUrl(`${url}/`, devUrl));
    session.defaultSession.setPermissionRequestHandler((_wc, perm, cb, details) => cb(mayWriteClipboard(perm, details.requestingUrl)));
    session.defaultSession.setPermissionCheckHandler((_wc, perm, origin) => mayWriteClipboard(perm, origin));
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, join(here, '../renderer')));

    bindIpc(
      ipcMain,
      services.dispatch,
      makeSenderCheck(() => win?.webContents.id ?? null, (url) => isAppUrl(url, devUrl)),
    );
    services.subscribe((name, payload) => {
      if (win && !win.isDestroyed()) win.webContents.send(`kaiwa:${name}`, payload);
    });

    if (app.isPackaged) Menu.setApplicationMenu(null);
    win = createMainWindow({
      preload: join(here, '../preload/index.cjs'),
      url: devUrl ?? `${APP_ORIGIN}/index.html`,
      settings: services.services.settings,
    });
    win.on('closed', () => {
      win = null;
    });
  }).catch((err: unknown) => {
    const text = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Kaiwa failed to start: ${text}\n`);
    // A desktop user launched from a menu never sees stderr: say it in a window before quitting.
    dialog.showErrorBox('Kaiwa could not start', `${text}\n\nYour data folder was not changed: ${app.getPath('userData')}`);
    app.exit(1);
  });

  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting || !kaiwa) return;
    e.preventDefault();
    quitting = true;
    void kaiwa.shutdown().finally(() => app.quit());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
