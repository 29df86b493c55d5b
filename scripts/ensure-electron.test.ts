// The ensure-Electron step against fake electron package folders: a real installer script runs
// (the real one downloads from GitHub, which tests must not reach), so what is exercised is the
// path.txt check, the spawn, the time bound and the one line a user sees.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinary, ensureElectron, missingRuntimeLine } from './ensure-electron.ts';

let pkg: string;
beforeEach(() => {
  pkg = mkdtempSync(join(tmpdir(), 'kaiwa-fake-electron-'));
});
afterEach(() => rmSync(pkg, { recursive: true, force: true }));

const env = { PATH: process.env['PATH'] ?? '' };
const installer = (body: string) => writeFileSync(join(pkg, 'install.js'), `const fs = require('fs'); const path = require('path');\n${body}\n`);
/** What the real install.js does on success: extract dist/ and write path.txt. */
const INSTALLS = `fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), '');
fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
fs.writeFileSync(path.join(__dirname, 'ran'), '');`;
/** What it does offline: print a stack and exit 1. */
const FAILS = `console.error(new TypeError('fetch failed').stack); process.exit(1);`;

describe('ensureElectron', () => {
  it('does nothing when path.txt points at an existing binary', async () => {
    installer(INSTALLS);
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(await ensureElectron({ electronDir: pkg, env })).toEqual({ ok: true, ran: false });
    expect(existsSync(join(pkg, 'ran'))).toBe(false);
  });

  it('path.txt missing: runs the package’s installer, which installs the binary', async () => {
    installer(INSTALLS);
    expect(electronBinary(pkg, env)).toBeNull();
    expect(await ensureElectron({ electronDir: pkg, env })).toEqual({ ok: true, ran: true });
    expect(electronBinary(pkg, env)).toBe(join(pkg, 'dist', 'electron'));
  });

  it('the installer fails: the reason is its error’s first line, without the stack', async () => {
    installer(FAILS);
    expect(await ensureElectron({ electronDir: pkg, env })).toEqual({ ok: false, reason: 'the download failed: fetch failed' });
  });

  it('the installer hangs (a network that never answers): it is stopped at the time bound', async () => {
    installer('setInterval(() => {}, 1000);');
    const t0 = Date.now();
    expect(await ensureElectron({ electronDir: pkg, env, timeoutMs: 500 })).toEqual({ ok: false, reason: 'the download did not finish within 1 s' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('ELECTRON_SKIP_BINARY_DOWNLOAD (CI): no download is tried', async () => {
    installer(INSTALLS);
    expect(await ensureElectron({ electronDir: pkg, env: { ...env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } })).toEqual({
      ok: false,
      reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set',
    });
    expect(existsSync(join(pkg, 'ran'))).toBe(false);
  });
});

describe('node scripts/ensure-electron.ts', () => {
  const run = () => spawnSync(process.execPath, ['scripts/ensure-electron.ts', pkg], { encoding: 'utf8', env, timeout: 30_000 });

  it('installer fails: exactly one line naming the missing Electron runtime and npm run web, no stack, exit status 1', () => {
    installer(FAILS);
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${missingRuntimeLine('the download failed: fetch failed')}\n`);
    expect(r.stderr).toMatch(/^Kaiwa: the Electron runtime is missing .*`npm run web`/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('installer succeeds: silent, exit status 0', () => {
    installer(INSTALLS);
    const r = run();
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });
});
