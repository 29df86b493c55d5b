// Every failure of the desktop shell ends in something the user sees and in the log file: a user
// who launched Kaiwa from a menu never sees stderr. Messages name the data folder and the log file
// so that a bug report can say where to look. The main process has no i18next; its few texts are
// all in MAIN_TEXT below, the one place to translate them.
import type { App, BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import { createLogger, type Logger } from '../services/log.ts';
import type { DataPaths } from './startup.ts';

export const MAIN_TEXT = {
  startFailed: 'Kaiwa could not start',
  dataUnchanged: 'Your data folder was not changed.',
  dataFolder: 'Data folder',
  logFile: 'Log file',
  loadFailed: 'Kaiwa could not show its window',
  loadFailedMessage: 'The app page did not load.',
  preloadFailed: 'Kaiwa’s window could not connect to the app',
  preloadFailedMessage: 'Part of the window failed to load, so nothing you do in it would reach the app.',
  crashed: 'Kaiwa’s window stopped unexpectedly',
  crashedMessage: 'The window was reloaded. Your conversations and settings are kept.',
  crashLoop: 'The window stopped several times in a row. Reload it once more, or quit Kaiwa.',
  unexpected: 'Kaiwa hit an unexpected error',
  unexpectedMessage: 'Kaiwa keeps running, but something may not work. The details are in the log file.',
  reload: 'Reload',
  quit: 'Quit',
  ok: 'OK',
} as const;

/** The message and the messages of its causes (a failed import or fetch puts the real reason there). */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join(': ');
}

function stackText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const own = err.stack ?? `${err.name}: ${err.message}`;
  return err.cause === undefined ? own : `${own}\ncaused by ${stackText(err.cause)}`;
}

/** "Data folder: …" and "Log file: …", appended to every failure message. */
export function whereToLook(paths: DataPaths): string {
  return `${MAIN_TEXT.dataFolder}: ${paths.dataDir}\n${MAIN_TEXT.logFile}: ${paths.logFile}`;
}

/** Writes the failure with its stack to the data folder's log (and stderr); never throws. */
export function logFailure(paths: DataPaths, what: string, err: unknown, log?: Logger): void {
  try {
    const logger = log ?? createLogger({ dir: paths.logDir, stderr: true });
    logger.error(what, stackText(err));
  } catch {
    process.stderr.write(`${what}: ${errorText(err)}\n`);
  }
}

export interface FailureUi {
  app: Pick<App, 'isReady' | 'whenReady' | 'exit'>;
  dialog: Pick<Dialog, 'showErrorBox' | 'showMessageBox'>;
}

/** A failure before the window exists: log it, say so in a dialog, exit with status 1. */
export async function reportStartupFailure(ui: FailureUi, paths: DataPaths, err: unknown): Promise<void> {
  logFailure(paths, MAIN_TEXT.startFailed, err);
  try {
    // Before `ready` on Linux, showErrorBox only writes to stderr: wait for a real window.
    if (!ui.app.isReady()) await ui.app.whenReady();
    ui.dialog.showErrorBox(MAIN_TEXT.startFailed, `${errorText(err)}\n\n${MAIN_TEXT.dataUnchanged}\n${whereToLook(paths)}`);
  } finally {
    ui.app.exit(1);
  }
}

export type ProblemAnswer = 'reload' | 'quit' | 'ok' | 'busy';

export interface Problem {
  title: string;
  message: string;
  err: unknown;
  /** Offer Reload/Quit (the window is unusable) or just OK (it works, the user should know). */
  choice: boolean;
  window?: BrowserWindow | null;
}

export type ReportProblem = (p: Problem) => Promise<ProblemAnswer>;

/**
 * Dialogs are shown one after another, never stacked; a problem already waiting or on screen with the
 * same title and message (did-fail-load and the loadURL rejection of one failed load) is logged but asked once.
 */
export function createProblemReporter(ui: Pick<FailureUi, 'dialog'>, paths: DataPaths, log: Logger): ReportProblem {
  const waiting = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();
  const show = async (p: Problem): Promise<ProblemAnswer> => {
    const options: MessageBoxOptions = {
      type: p.choice ? 'error' : 'warning',
      title: p.title,
      message: p.title,
      detail: `${p.message}\n\n${errorText(p.err)}\n\n${whereToLook(paths)}`,
      buttons: p.choice ? [MAIN_TEXT.reload, MAIN_TEXT.quit] : [MAIN_TEXT.ok],
      defaultId: 0,
      cancelId: p.choice ? 1 : 0,
      noLink: true,
    };
    const { response } = p.window && !p.window.isDestroyed() ? await ui.dialog.showMessageBox(p.window, options) : await ui.dialog.showMessageBox(options);
    if (!p.choice) return 'ok';
    return response === 0 ? 'reload' : 'quit';
  };
  return (p) => {
    logFailure(paths, p.title, p.err, log);
    const key = `${p.title}\n${p.message}`;
    if (waiting.has(key)) return Promise.resolve('busy');
    waiting.add(key);
    const answer = queue.then(() => show(p)).finally(() => waiting.delete(key));
    queue = answer.catch(() => undefined);
    return answer;
  };
}

/** Unhandled rejections and exceptions anywhere in main: logged and shown instead of Electron's bare box. */
export function installProcessHandlers(proc: Pick<NodeJS.Process, 'on'>, onError: (err: unknown) => void): void {
  proc.on('unhandledRejection', (reason) => onError(reason));
  proc.on('uncaughtException', (err) => onError(err));
}
