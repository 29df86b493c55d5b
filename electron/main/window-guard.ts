// What the main window does when its page does not arrive or dies: every path shows the window (it
// is created hidden until the first paint) and ends in a dialog, never in a blank or invisible window.
import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';
import type { Problem, ReportProblem } from './failure.ts';

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

  const ask = async (kind: Problem['kind'], err: unknown) => {
    o.reveal();
    const answer = await o.report({ kind, err, window: win });
    if (answer === 'reload') load();
    else if (answer === 'quit') o.quit();
  };
  const loadFailed = (err: unknown) => void ask('loadFailed', err);

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
    void ask('preloadFailed', new Error(`${preloadPath}: ${error.message}`));
  });
  contents.on('render-process-gone', (_e, details: RenderProcessGoneDetails) => {
    // A clean exit is the window going away (quitting), not a failure.
    if (win.isDestroyed() || details.reason === 'clean-exit') return;
    const err = new Error(`renderer ${details.reason} (exit code ${details.exitCode})`);
    const t = now();
    crashes.push(t);
    while (crashes.length && crashes[0]! < t - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_CRASHES) {
      void ask('crashLoop', err);
      return;
    }
    // The same app URL: the renderer itself decides not to reopen what it was showing.
    load();
    o.reveal();
    void o.report({ kind: 'crashed', err, window: win });
  });
  return { load };
}
