// What has to happen, in this order, before anything else in the desktop app: the data folder is
// chosen and created, Electron is told (app.setPath throws for a folder that does not exist), and
// only then the single-instance lock is taken — Electron keys that lock on the userData folder, so
// taking it first would lock the default folder while the app uses another.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { App } from 'electron';
import { isUiLanguage, pickLanguage, type UiLanguage } from '../shared/locale.ts';

/** The same id as electron-builder.json's appId (Windows groups taskbar entries and notifications by it). */
export const APP_ID = 'app.kaiwa.desktop';

export interface DataPaths {
  dataDir: string;
  logDir: string;
  logFile: string;
}

export function dataPaths(dataDir: string): DataPaths {
  const logDir = join(dataDir, 'logs');
  return { dataDir, logDir, logFile: join(logDir, 'kaiwa.log') };
}

/** The folder the app will use, without touching anything: for messages about a failure before it exists. */
export function intendedDataDir(app: Pick<App, 'getPath'>, env: NodeJS.ProcessEnv): string {
  const chosen = env['KAIWA_DATA_DIR'];
  if (chosen) return resolve(chosen);
  try {
    return app.getPath('userData');
  } catch {
    return '(unknown)';
  }
}

/** A data folder chosen by the user (portable installs, tests) wins over the default; either is created. */
export function prepareDataDir(app: Pick<App, 'getPath' | 'setPath'>, env: NodeJS.ProcessEnv): DataPaths {
  const chosen = env['KAIWA_DATA_DIR'];
  const dataDir = chosen ? resolve(chosen) : app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  if (chosen) app.setPath('userData', dataDir);
  return dataPaths(dataDir);
}

/** Data folder first, then the lock. Returns null when another Kaiwa already runs on this folder. */
export function claimDataDir(app: Pick<App, 'getPath' | 'setPath' | 'requestSingleInstanceLock'>, env: NodeJS.ProcessEnv): DataPaths | null {
  const paths = prepareDataDir(app, env);
  return app.requestSingleInstanceLock() ? paths : null;
}

/** Taskbar grouping and notifications on Windows follow the AppUserModelID; elsewhere it means nothing. */
export function setWindowsAppId(app: Pick<App, 'setAppUserModelId'>, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
}

/** The dev server URL from electron-vite, honoured only in an unpackaged app: a packaged app always loads its own files. */
export function devServerUrl(app: Pick<App, 'isPackaged'>, env: NodeJS.ProcessEnv): string | undefined {
  return app.isPackaged ? undefined : env['ELECTRON_RENDERER_URL'] || undefined;
}

/** `--lang=ja|zh|en` wins; else the first of the OS's preferred languages (call after `ready`). */
export function systemLanguage(app: Pick<App, 'getPreferredSystemLanguages' | 'getLocale'>, argv: string[]): UiLanguage {
  const arg = argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  return isUiLanguage(arg) ? arg : pickLanguage(app.getPreferredSystemLanguages()[0] ?? app.getLocale());
}
