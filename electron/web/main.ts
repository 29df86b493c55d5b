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
import { systemClock } from '../services/platform.ts';
import { testClockFromEnv } from '../services/quota/test-clock.ts';
import { createFileCipher } from '../services/vault/file-cipher.ts';
import { isUiLanguage, pickLanguage } from '../shared/locale.ts';
import { defaultDataDir } from '../shared/paths.ts';
import { startWebHost } from './server.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npm run web -- [--port N] [--data-dir DIR] [--lang ja|zh|en]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { port?: string; 'data-dir'?: string; lang?: string; 'renderer-dir'?: string };
  try {
    ({ values } = parseArgs({
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
      // KAIWA_TEST_CLOCK_FILE: e2e only, see services/quota/test-clock.ts.
      clock: testClockFromEnv(process.env) ?? systemClock,
      env: process.env,
      async openExternal(url) {
        // Same machine as the browser (loopback only), so the desktop opener is the right one.
        const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
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
    { logger: log },
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

main().catch((err: unknown) => {
  process.stderr.write(`Kaiwa could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
