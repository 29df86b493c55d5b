// `npm run web`: browser mode. Prints one line "Kaiwa ready: <url>" that scripts (and the e2e suite)
// read to find the page; the token is in the URL's fragment (`/#token=…`, see server.ts), and the
// host's log line below names only the port, never the token. Options: --port N (0 = any free port), --data-dir DIR, --lang ja|zh|en.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKaiwa } from '../services/index.ts';
import { createLogger } from '../services/log.ts';
import { systemClock, type Clock } from '../services/platform.ts';
import type { ToolHostOptions } from '../services/tools/host.ts';
import { createFileCipher } from '../services/vault/file-cipher.ts';
import { isUiLanguage, pickLanguage } from '../shared/locale.ts';
import { defaultDataDir } from '../shared/paths.ts';
import { startWebHost } from './server.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npm run web -- [--port N] [--data-dir DIR] [--lang ja|zh|en]\n`);
  process.exit(2);
}

/**
 * What a test host may swap (test/web-host.ts passes a clock it can move and shorter tool limits);
 * `npm run web` passes nothing, so the product reads no test switch.
 */
export interface WebHostOverrides {
  clock?: Clock;
  tools?: ToolHostOptions;
}

/**
 * The link as the desktop opener may get it: parsed again here (the contract checked it, but this is
 * the last step before a program runs with it), only http(s) and mailto, and passed on in its
 * normalised form, never the caller's raw text.
 */
export function externalHref(raw: string): string {
  const u = new URL(raw);
  if (u.protocol !== 'https:' && u.protocol !== 'http:' && u.protocol !== 'mailto:') throw new Error('only http(s) and mailto links open externally');
  return u.href;
}

export async function runWebHost(args: string[], overrides: WebHostOverrides = {}): Promise<void> {
  let values: { port?: string; 'data-dir'?: string; lang?: string; 'renderer-dir'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '0' },
        'data-dir': { type: 'string' },
        lang: { type: 'string' },
        'renderer-dir': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);
  if (values.lang !== undefined && !isUiLanguage(values.lang)) usage(`invalid --lang ${values.lang}`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const rendererDir = resolve(values['renderer-dir'] ?? join(repoRoot, 'out', 'renderer'));
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const systemLanguage = isUiLanguage(values.lang)
    ? values.lang
    : pickLanguage(process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG'] || Intl.DateTimeFormat().resolvedOptions().locale);

  const log = createLogger({ dir: join(dataDir, 'logs'), stderr: true });
  const kaiwa = createKaiwa(
    {
      mode: 'web',
      dataDir,
      appVersion: version,
      platform: process.platform,
      systemLanguage,
      cipher: createFileCipher(dataDir),
      clock: overrides.clock ?? systemClock,
      env: process.env,
      async openExternal(url) {
        const href = externalHref(url);
        // Same machine as the browser (loopback only), so the desktop opener is the right one.
        const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        const child = spawn(cmd, [href], { stdio: 'ignore', detached: true });
        child.on('error', (err) => log.warn(`could not open a browser for a link (${cmd})`, err));
        child.unref();
      },
      async openPath(path) {
        // The browser cannot open a folder, but the host runs on the same machine as the browser.
        const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        await new Promise<void>((resolveOpen, reject) => {
          const child = spawn(cmd, [path], { stdio: 'ignore', detached: true });
          child.once('error', reject);
          child.once('spawn', () => {
            child.unref();
            resolveOpen();
          });
        });
      },
    },
    { logger: log, ...(overrides.tools ? { tools: overrides.tools } : {}) },
  );
  const host = await startWebHost({ kaiwa, rendererDir, port });
  process.stdout.write(`Kaiwa ready: ${host.url}\n`);
  log.info(`browser mode on 127.0.0.1:${host.port}, data in ${dataDir}`);

  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    await kaiwa.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** Runs `run` as the process's entry point: a start-up failure is printed and ends the process. */
export function runAsMain(run: () => Promise<void>): void {
  run().catch((err: unknown) => {
    process.stderr.write(`Kaiwa could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

// Imported by the test host (test/web-host.ts), it only lends its functions.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runAsMain(() => runWebHost(process.argv.slice(2)));
