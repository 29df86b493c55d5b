// What every screenshot script needs: the fake upstream, the browser-mode host on a temp data dir,
// Chromium with the flags this machine needs, one page, and `shot(name)` writing
// `<out>/<name>[.<lang>].png`. Scripts take `--lang en|ja|zh` (default en) and `--out` (default
// docs/screenshots). `stop()` closes everything it started and removes the temp dirs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Locator, type Page } from '@playwright/test';
import { FakeUpstream, type FakeUpstreamOptions } from '../../test/fake-upstream/server.ts';
import { startHost, type HostProcess } from '../../e2e/support/host.ts';

export type Lang = 'en' | 'ja' | 'zh';

export interface ShotsOptions {
  viewport?: { width: number; height: number };
  timezoneId?: string;
  fake?: FakeUpstreamOptions;
  /** The host started with the session (default), or none (`false`): the script starts its own. */
  host?: false | { env?: Record<string, string>; seed?(dataDir: string): void };
  /** Scripts whose selectors are English-only pin the language. */
  onlyLang?: Lang;
}

export interface ProviderSetup {
  id: string;
  keys: string;
  /** Default: the fake upstream. */
  baseUrl?: string;
  maxRetries?: number;
}

export interface Shots {
  lang: Lang;
  out: string;
  fake: FakeUpstream;
  browser: Browser;
  page: Page;
  /** The session's host (throws when started with `host: false`). */
  host: HostProcess;
  path(name: string): string;
  /** The page (or one element of it) as `<out>/<name>[.<lang>].png`. */
  shot(name: string, target?: Locator): Promise<Buffer>;
  /** A fresh data dir, removed by `stop()`. */
  tmpDir(): string;
  /** Another host in this language (stopped by `stop()` if still running). */
  startHost(o: { dataDir: string; env?: Record<string, string> }): Promise<HostProcess>;
  /** Loads the app from `host` and waits until it is up. */
  open(host?: HostProcess): Promise<void>;
  /** Sets providers and the default model up through window.kaiwa (as Settings does), then reloads. */
  configure(providers: ProviderSetup[], defaultModel: { providerId: string; modelId: string }): Promise<void>;
  /** Types into the composer and sends. */
  send(text: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startShots(o: ShotsOptions = {}): Promise<Shots> {
  const { values } = parseArgs({ options: { lang: { type: 'string', default: o.onlyLang ?? 'en' }, out: { type: 'string', default: 'docs/screenshots' } } });
  const lang = values.lang as Lang;
  if (!['en', 'ja', 'zh'].includes(lang)) throw new Error(`--lang must be en, ja or zh, not ${lang}`);
  if (o.onlyLang && lang !== o.onlyLang) throw new Error(`this script takes ${o.onlyLang} screenshots only`);
  const out = values.out!;
  mkdirSync(out, { recursive: true });

  const dirs: string[] = [];
  const hosts: HostProcess[] = [];
  const tmpDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'kaiwa-shots-'));
    dirs.push(d);
    return d;
  };
  const launchHost = async (h: { dataDir: string; env?: Record<string, string> }) => {
    const host = await startHost({ dataDir: h.dataDir, lang, ...(h.env ? { env: h.env } : {}) });
    hosts.push(host);
    return host;
  };

  const fake = await FakeUpstream.start(o.fake);
  let host: HostProcess | undefined;
  if (o.host !== false) {
    const dataDir = tmpDir();
    o.host?.seed?.(dataDir);
    host = await launchHost({ dataDir, ...(o.host?.env ? { env: o.host.env } : {}) });
  }
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const page = await browser.newPage({ viewport: o.viewport ?? { width: 1280, height: 800 }, deviceScaleFactor: 1, ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}) });
  const path = (name: string) => join(out, `${name}${lang === 'en' ? '' : `.${lang}`}.png`);

  return {
    lang,
    out,
    fake,
    browser,
    page,
    get host() {
      if (!host) throw new Error('started without a host');
      return host;
    },
    path,
    shot: (name, target) => (target ?? page).screenshot({ path: path(name) }),
    tmpDir,
    startHost: launchHost,
    async open(h = host) {
      if (!h) throw new Error('no host to open');
      await page.goto(h.url);
      await page.waitForSelector('nav');
    },
    async configure(providers, defaultModel) {
      await page.evaluate(
        async ({ providers, defaultModel }) => {
          const k = window.kaiwa!;
          for (const p of providers) {
            await k.providers.update({ id: p.id, baseUrl: p.baseUrl, ...(p.maxRetries !== undefined ? { maxRetries: p.maxRetries } : {}) });
            await k.providers.setKeys({ id: p.id, keys: p.keys });
          }
          await k.settings.update({ defaultModel });
        },
        { providers: providers.map((p) => ({ ...p, baseUrl: p.baseUrl ?? fake.baseUrl })), defaultModel },
      );
      await page.reload();
      await page.waitForSelector('nav');
    },
    async send(text) {
      const input = page.locator('.composer textarea');
      await input.fill(text);
      await input.press('Enter');
    },
    async stop() {
      await browser.close();
      for (const h of hosts) await h.stop();
      await fake.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
