// Launching the real desktop app for e2e/specs/electron-smoke.spec.ts, two ways:
// - the build (what `npm start` runs): the Electron runtime from node_modules/electron with this
//   checkout as the app, through Playwright's `_electron`;
// - the packaged app from `electron-builder --dir`: its fuses turn off Node's --inspect, which
//   `_electron` needs, so it is started as a user would start it and driven over the DevTools
//   protocol (`--remote-debugging-port`, a Chromium switch the fuses leave alone).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, chromium, type Page } from '@playwright/test';
import { electronBinary } from '../../scripts/ensure-electron.ts';

export interface Desktop {
  page: Page;
  close(): Promise<void>;
}

export interface DesktopTarget {
  kind: 'build' | 'packaged';
  /** null: not available here; `reason` says why. */
  executable: string | null;
  reason: string;
}

/** Where `electron-builder --dir` leaves the app on each OS (the folder name carries the arch). */
function packagedExecutable(distDir: string): string | null {
  const candidates = [
    ...['linux-unpacked', 'linux-arm64-unpacked'].map((d) => join(distDir, d, 'kaiwa')),
    join(distDir, 'win-unpacked', 'Kaiwa.exe'),
    ...['mac', 'mac-arm64', 'mac-universal'].map((d) => join(distDir, d, 'Kaiwa.app', 'Contents', 'MacOS', 'Kaiwa')),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** KAIWA_SMOKE_PACKAGED=<electron-builder output folder> selects the packaged app (the workflow's second run). */
export function desktopTarget(env: NodeJS.ProcessEnv = process.env): DesktopTarget {
  const packaged = env['KAIWA_SMOKE_PACKAGED'];
  if (packaged) {
    const exe = packagedExecutable(resolve(packaged));
    return { kind: 'packaged', executable: exe, reason: `no packaged Kaiwa under ${packaged} (run electron-builder --dir first)` };
  }
  return {
    kind: 'build',
    executable: electronBinary(join(process.cwd(), 'node_modules', 'electron'), env),
    reason:
      'Electron smoke NOT RUN: no Electron runtime in node_modules/electron (its installer downloads it from GitHub, which this ' +
      'machine cannot reach). It runs on real desktops in .github/workflows/desktop-smoke.yml; here the desktop shell is covered ' +
      'by the stubbed-electron unit tests in electron/main.',
  };
}

const appArgs = ['--lang=en'];

async function launchBuild(executable: string, dataDir: string): Promise<Desktop> {
  const app = await electron.launch({ executablePath: executable, args: ['.', ...appArgs], env: { ...process.env, KAIWA_DATA_DIR: dataDir } });
  const page = await app.firstWindow();
  return { page, close: () => app.close() };
}

async function launchPackaged(executable: string, dataDir: string): Promise<Desktop> {
  const child = spawn(executable, ['--remote-debugging-port=0', ...appArgs], { env: { ...process.env, KAIWA_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const endpoint = await new Promise<string>((ok, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`no DevTools endpoint from ${executable}:\n${text}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    child.once('exit', (code) => fail(new Error(`${executable} exited (${code}) before it could be driven:\n${text}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  // Kaiwa has one window; it may still be on about:blank when the connection is made.
  const page = context.pages()[0] ?? (await context.waitForEvent('page'));
  await page.waitForURL(/^kaiwa:\/\/app\//);
  return {
    page,
    async close() {
      await browser.close().catch(() => {});
      child.kill();
      await exited;
    },
  };
}

export function launchDesktop(target: DesktopTarget, dataDir: string): Promise<Desktop> {
  if (!target.executable) throw new Error(target.reason);
  return target.kind === 'build' ? launchBuild(target.executable, dataDir) : launchPackaged(target.executable, dataDir);
}
