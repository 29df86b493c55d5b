// Every failure of the desktop shell ends in something the user sees and in the log file: a user
// who launched Kaiwa from a menu never sees stderr. Messages name the data folder and the log file
// so that a bug report can say where to look. Texts are in main-text.ts (en/ja/zh); the log is in English.
import type { App, BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import { createLogger, redact, type Logger } from '../services/log.ts';
import type { UiLanguage } from '../shared/locale.ts';
import { MAIN_TEXTS, type MainText } from './main-text.ts';
import type { DataPaths } from './startup.ts';

export const MAIN_TEXT = MAIN_TEXTS.en;

/**
 * The message and the messages of its causes (a failed import or fetch puts the real reason there),
 * redacted like every log line: a dialog is no place for a key either.
 */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    if (!(e instanceof Error)) break;
  }
  return redact(parts.join(': '));
}

function stackText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const own = err.stack ?? `${err.name}: ${err.message}`;
  return err.cause === undefined ? own : `${own}\ncaused by ${stackText(err.cause)}`;
}

/** "Data folder: …" and "Log file: …", appended to every failure message. */
export function whereToLook(paths: DataPaths, t: MainText = MAIN_TEXT): string {
  return `${t.dataFolder}: ${paths.dataDir}\n${t.logFile}: ${paths.logFile}`;
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
  /** The language to speak in, asked when a dialog is about to be shown. */
  language?: () => UiLanguage;
}

const textFor = (ui: Pick<FailureUi, 'language'>): MainText => {
  try {
    return MAIN_TEXTS[ui.language?.() ?? 'en'] ?? MAIN_TEXT;
  } catch {
    return MAIN_TEXT;
  }
};

/** A failure before the window exists: log it, say so in a dialog, exit with status 1. */
export async function reportStartupFailure(ui: FailureUi, paths: DataPaths, err: unknown): Promise<void> {
  logFailure(paths, MAIN_TEXT.startFailed, err);
  try {
    // Before `ready` on Linux, showErrorBox only writes to stderr: wait for a real window.
    if (!ui.app.isReady()) await ui.app.whenReady();
    const t = textFor(ui);
    ui.dialog.showErrorBox(t.startFailed, `${errorText(err)}\n\n${t.dataUnchanged}\n${whereToLook(paths, t)}`);
  } finally {
    ui.app.exit(1);
  }
}

export type ProblemAnswer = 'reload' | 'quit' | 'ok' | 'busy';

/** What went wrong; each kind has its title and message, and whether the user must choose Reload or Quit. */
export const PROBLEMS = {
  loadFailed: { title: 'loadFailed', message: 'loadFailedMessage', choice: true },
  preloadFailed: { title: 'preloadFailed', message: 'preloadFailedMessage', choice: true },
  crashed: { title: 'crashed', message: 'crashedMessage', choice: false },
  crashLoop: { title: 'crashed', message: 'crashLoop', choice: true },
  unexpected: { title: 'unexpected', message: 'unexpectedMessage', choice: false },
} as const satisfies Record<string, { title: keyof MainText; message: keyof MainText; choice: boolean }>;

export interface Problem {
  kind: keyof typeof PROBLEMS;
  err: unknown;
  window?: BrowserWindow | null;
}

export type ReportProblem = (p: Problem) => Promise<ProblemAnswer>;

/**
 * Dialogs are shown one after another, never stacked; a problem of the same kind already waiting or on
 * screen (did-fail-load and the loadURL rejection of one failed load) is logged but asked once.
 */
export function createProblemReporter(ui: Pick<FailureUi, 'dialog' | 'language'>, paths: DataPaths, log: Logger): ReportProblem {
  const waiting = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();
  const show = async (p: Problem): Promise<ProblemAnswer> => {
    const t = textFor(ui);
    const { title, message, choice } = PROBLEMS[p.kind];
    const options: MessageBoxOptions = {
      type: choice ? 'error' : 'warning',
      title: t[title],
      message: t[title],
      detail: `${t[message]}\n\n${errorText(p.err)}\n\n${whereToLook(paths, t)}`,
      buttons: choice ? [t.reload, t.quit] : [t.ok],
      defaultId: 0,
      cancelId: choice ? 1 : 0,
      noLink: true,
    };
    const { response } = p.window && !p.window.isDestroyed() ? await ui.dialog.showMessageBox(p.window, options) : await ui.dialog.showMessageBox(options);
    if (!choice) return 'ok';
    return response === 0 ? 'reload' : 'quit';
  };
  return (p) => {
    logFailure(paths, MAIN_TEXT[PROBLEMS[p.kind].title], p.err, log);
    const key = p.kind;
    if (waiting.has(key)) return Promise.resolve('busy');
    waiting.add(key);
    const answer = queue
      .then(() => show(p))
      .catch((err: unknown): ProblemAnswer => {
        // A dialog that cannot be shown must not become an unhandled rejection (and another dialog).
        logFailure(paths, 'could not show a failure dialog', err, log);
        return 'busy';
      })
      .finally(() => waiting.delete(key));
    queue = answer;
    return answer;
  };
}

/** Unhandled rejections and exceptions anywhere in main: logged and shown instead of Electron's bare box. */
export function installProcessHandlers(proc: Pick<NodeJS.Process, 'on'>, onError: (err: unknown) => void): void {
  proc.on('unhandledRejection', (reason) => onError(reason));
  proc.on('uncaughtException', (err) => onError(err));
}
