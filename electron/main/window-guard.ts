// What the main window does when its page does not arrive or dies: every path shows the window (it
// is created hidden until the first paint) and ends in a dialog, never in a blank or invisible window.
import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';
import { MAIN_TEXT, type ReportProblem } from './failure.ts';

/** Chromium's ERR_ABORTED: a load replaced by another (a reload while loading), not a failure. */
const ERR_ABORTED = -3;
/** More renderer deaths than this within CRASH_WINDOW_MS stop the automatic reload. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 60_000;

export interface GuardOptions {
  url: string;
  report: ReportProblem;
  reveal: () => void;
  quit: () => void;
  now?: () => number;
}

export interface WindowGuard {
  /** Loads the app page; a failure is reported, never left as an unhandled rejection. */
  load(): void;
}

export function guardWindow(win: BrowserWindow, o: GuardOptions): WindowGuard {
  const now = o.now ?? Date.now;
  const crashes: number[] = [];

  const ask = async (title: string, message: string, err: unknown) => {
    o.reveal();
    const answer = await o.report({ title, message, err, choice: true, window: win });
    if (answer === 'reload') load();
    else if (answer === 'quit') o.quit();
  };
  const loadFailed = (err: unknown) => void ask(MAIN_TEXT.loadFailed, MAIN_TEXT.loadFailedMessage, err);

  function load(): void {
    if (win.isDestroyed()) return;
    win.loadURL(o.url).catch((err: unknown) => {
      if ((err as { errno?: number }).errno === ERR_ABORTED) return;
      loadFailed(err);
    });
  }

  const contents = win.webContents;
  contents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
    if (!isMainFrame || code === ERR_ABORTED) return;
    loadFailed(new Error(`${description} (${code}) loading ${url}`));
  });
  contents.on('preload-error', (_e, preloadPath, error) => {
    void ask(MAIN_TEXT.preloadFailed, MAIN_TEXT.preloadFailedMessage, new Error(`${preloadPath}: ${error.message}`));
  });
  contents.on('render-process-gone', (_e, details: RenderProcessGoneDetails) => {
    // A clean exit is the window going away (quitting), not a failure.
    if (win.isDestroyed() || details.reason === 'clean-exit') return;
    const err = new Error(`renderer ${details.reason} (exit code ${details.exitCode})`);
    const t = now();
    crashes.push(t);
    while (crashes.length && crashes[0]! < t - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_CRASHES) {
      void ask(MAIN_TEXT.crashed, MAIN_TEXT.crashLoop, err);
      return;
    }
    // The same app URL: the renderer itself decides not to reopen what it was showing.
    load();
    o.reveal();
    void o.report({ title: MAIN_TEXT.crashed, message: MAIN_TEXT.crashedMessage, err, choice: false, window: win });
  });
  return { load };
}
