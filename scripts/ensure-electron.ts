// `npm start` and `npm run dev` (electron-vite) need Electron's runtime binary, but the electron
// package has no install script: its binary is fetched by its own CLI on first run or by its
// installer (install.js, also `npx install-electron`), which writes path.txt. electron-vite reads
// path.txt itself and fails with a bare "Electron uninstall" stack when it is missing. This runs
// the package's own installer first, bounded in time, and where the binary cannot be had says so
// in one line that points to browser mode — so `npm ci` never needs to download anything.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The download is ~100 MB; past this the network is not going to deliver it. */
export const INSTALL_TIMEOUT_MS = 90_000;

export interface EnsureOptions {
  /** node_modules/electron */
  electronDir: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export type EnsureResult = { ok: true; ran: boolean } | { ok: false; reason: string };

/** The runtime as electron-vite finds it: ELECTRON_EXEC_PATH, else dist/<path.txt>. */
export function electronBinary(electronDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env['ELECTRON_EXEC_PATH'];
  if (override) return existsSync(override) ? override : null;
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

/** "TypeError: fetch failed\n    at …" → "fetch failed": the first line of the installer's error, without its stack. */
export function firstErrorLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() && !/^\s+at /.test(l)) ?? '';
  return line.replace(/^\w*Error:\s*/, '').trim().slice(0, 200);
}

/** Runs the package's own installer; its output (a download error's stack) is kept out of the terminal. */
function runInstaller(electronDir: string, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 65_536) stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(`the download did not finish within ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      done(err.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const why = firstErrorLine(stderr) || (signal ?? `exit code ${code}`);
      done(code === 0 ? null : `the download failed: ${why}`);
    });
  });
}

export async function ensureElectron(o: EnsureOptions): Promise<EnsureResult> {
  const env = o.env ?? process.env;
  if (electronBinary(o.electronDir, env)) return { ok: true, ran: false };
  if (env['ELECTRON_SKIP_BINARY_DOWNLOAD']) return { ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  if (!existsSync(join(o.electronDir, 'install.js'))) return { ok: false, reason: 'the electron package is not installed (run npm ci)' };
  const failure = await runInstaller(o.electronDir, o.timeoutMs ?? INSTALL_TIMEOUT_MS, env);
  if (failure) return { ok: false, reason: failure };
  return electronBinary(o.electronDir, env) ? { ok: true, ran: true } : { ok: false, reason: 'the installer finished without a binary' };
}

export function missingRuntimeLine(reason: string): string {
  return `Kaiwa: the Electron runtime is missing from node_modules/electron and could not be installed (${reason}). Run \`npm run web\` to use Kaiwa in your browser instead.`;
}

// `node scripts/ensure-electron.ts [electron package folder]` (the folder defaults to this checkout's).
if (import.meta.main) {
  const electronDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'node_modules', 'electron'));
  const result = await ensureElectron({ electronDir });
  if (!result.ok) {
    process.stderr.write(`${missingRuntimeLine(result.reason)}\n`);
    process.exit(1);
  }
}
