// Starts the browser-mode host as a real child process (so tests can also SIGKILL it) and reads the
// "Kaiwa ready: <url>" line it prints. The URL is `http://127.0.0.1:PORT/#token=…`: open `url` in a
// page (the app moves the token to sessionStorage and drops the fragment), or use `token` and
// `origin` from Node (e2e/support/ws-client.ts: own Origin, token as the socket's first message).
// There is no cookie and no `?token=` any more.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface HostProcess {
  /** The printed link, token in its fragment: what a user opens. */
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the host wrote to stdout/stderr (its log). */
  output(): string;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface HostOptions {
  dataDir: string;
  lang?: 'en' | 'ja' | 'zh';
  env?: Record<string, string>;
  extraArgs?: string[];
  /** The host's entry script, relative to the repository (default: electron/web/main.ts; the bench has its own). */
  entry?: string;
}

/** Environment for the host: no real provider keys, no OPENAI_* leaking in from the developer's shell. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(OPENAI_|MODELSCOPE_|WANDB_|DASHSCOPE_)/.test(k)) continue;
    env[k] = v;
  }
  env['LANG'] = 'en_US.UTF-8';
  return { ...env, ...extra };
}

export async function startHost(o: HostOptions): Promise<HostProcess> {
  const args = [join(repoRoot, o.entry ?? 'test/web-host.ts'), '--port', '0', '--data-dir', o.dataDir, ...(o.lang ? ['--lang', o.lang] : []), ...(o.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: cleanEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in time:\n${out}`)), 20_000);
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /Kaiwa ready: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${out}`));
    });
  });
  const u = new URL(url);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  return {
    url,
    origin: u.origin,
    port: Number(u.port),
    token: new URLSearchParams(u.hash.slice(1)).get('token') ?? '',
    dataDir: o.dataDir,
    child,
    output: () => out,
    stop: () => kill('SIGTERM'),
    kill,
  };
}
