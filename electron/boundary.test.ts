// The process boundary, checked over the source text: what may import Electron, what the renderer
// may contain, and what the preload hands to the page.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, exts));
    else if (exts.includes(extname(e.name))) out.push(p);
  }
  return out;
}

const rel = (p: string) => relative(repo, p);

/** Module specifiers a file imports, statically, dynamically, as types or via require. */
function importedModules(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

const isElectronModule = (spec: string) => /^(electron|electron-store)(\/|$)/.test(spec);

describe('boundary: Electron stays in electron/main and electron/preload', () => {
  it('the import scanner finds every form of import (so the checks below can fail)', () => {
    const sample = [
      "import { app } from 'electron';",
      'import type { WebContents } from "electron";',
      "import Store from 'electron-store';",
      "export { shell } from 'electron/main';",
      "import 'electron';",
      "const e = await import('electron');",
      "const s = require('electron-store');",
      "import {\n  ipcMain,\n  BrowserWindow,\n} from 'electron';",
    ].join('\n');
    expect(importedModules(sample).filter(isElectronModule).sort()).toEqual(
      ['electron', 'electron', 'electron-store', 'electron/main', 'electron', 'electron', 'electron-store', 'electron'].sort(),
    );
    expect(importedModules("import { x } from './electron-helpers.ts';").filter(isElectronModule)).toEqual([]);
    // And on real code: the adapter does import Electron (its start-up) and electron-store (its settings file).
    const adapter = ['electron/main/app.ts', 'electron/main/settings-file.ts'].map((f) => readFileSync(join(repo, f), 'utf8')).join('\n');
    expect(importedModules(adapter).filter(isElectronModule)).toEqual(
      expect.arrayContaining(['electron', 'electron-store']),
    );
  });

  for (const dir of ['electron/services', 'electron/contract', 'electron/web', 'electron/shared']) {
    it(`nothing under ${dir} imports electron or electron-store`, () => {
      const files = filesUnder(join(repo, dir), ['.ts', '.tsx', '.js', '.mjs', '.cjs']);
      expect(files.length).toBeGreaterThan(0);
      const offenders = files.flatMap((f) =>
        importedModules(readFileSync(f, 'utf8'))
          .filter(isElectronModule)
          .map((m) => `${rel(f)} imports ${m}`),
      );
      expect(offenders).toEqual([]);
    });
  }
});

describe('boundary: the renderer never talks to a provider or renders HTML', () => {
  const srcDir = join(repo, 'renderer/src');
  const all = filesUnder(srcDir, ['.ts', '.tsx', '.js', '.jsx', '.json', '.css', '.html']);
  const code = all.filter((f) => !f.endsWith('.json'));

  it('finds the renderer sources', () => {
    expect(code.some((f) => f.endsWith('App.tsx'))).toBe(true);
    expect(all.some((f) => f.endsWith('.json'))).toBe(true);
  });

  it('no renderer code names a provider host', () => {
    const offenders = code.filter((f) => /modelscope\.cn|wandb\.ai|aliyuncs\.com/i.test(readFileSync(f, 'utf8'))).map(rel);
    expect(offenders).toEqual([]);
  });

  it('no renderer file (locale texts included) contains a URL on a provider host', () => {
    // Translations may name the website in prose ("bind it on modelscope.cn"), never as an address.
    const url = /(?:https?:)?\/\/[^\s"'`)]*\b(?:modelscope\.cn|wandb\.ai|aliyuncs\.com)/i;
    const offenders = all.filter((f) => url.test(readFileSync(f, 'utf8'))).map(rel);
    expect(offenders).toEqual([]);
  });

  for (const [label, re] of [
    ['fetch(', /\bfetch\s*\(/],
    ['XMLHttpRequest', /XMLHttpRequest/],
    ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
    ['innerHTML', /innerHTML/i],
  ] as const) {
    it(`no renderer file contains ${label}`, () => {
      const offenders = all.filter((f) => re.test(readFileSync(f, 'utf8'))).map(rel);
      expect(offenders).toEqual([]);
    });
  }
});

describe('boundary: the preload', () => {
  // Comments removed: they may mention ipcRenderer in prose.
  const preload = readFileSync(join(repo, 'electron/preload/index.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:'"])\/\/.*$/gm, '$1');

  it('exposes only the object built by buildWindowApi, never ipcRenderer itself', () => {
    const calls = [...preload.matchAll(/exposeInMainWorld\s*\(/g)];
    expect(calls).toHaveLength(1);
    const m = /exposeInMainWorld\s*\(\s*(['"])kaiwa\1\s*,\s*([A-Za-z_$][\w$]*)\s*\)/.exec(preload);
    expect(m, 'exposeInMainWorld("kaiwa", <identifier>)').not.toBeNull();
    const exposed = m![2]!;
    expect(exposed).not.toBe('ipcRenderer');
    expect(preload).toMatch(new RegExp(`\\bconst\\s+${exposed}\\s*=\\s*buildWindowApi\\s*\\(`));
    // Apart from its import, ipcRenderer only appears as `ipcRenderer.<method>` inside the closures
    // given to buildWindowApi: never as a value that could be handed to the page.
    const lines = preload.split('\n');
    for (const use of preload.matchAll(/\bipcRenderer\b/g)) {
      const lineNo = preload.slice(0, use.index).split('\n').length;
      const memberAccess = /^\s*\./.test(preload.slice(use.index + use[0].length));
      const isImport = /^import\s/.test(lines[lineNo - 1]!);
      expect(memberAccess || isImport, `line ${lineNo}: ${lines[lineNo - 1]}`).toBe(true);
    }
  });

  // zod has no business in the page or the preload: the preload only needs names, the renderer only
  // types, and zod's eval probe shows up as a CSP violation in the page.
  it.each(['electron/preload/index.ts', 'renderer/src/main.tsx'])('nothing %s loads at runtime imports zod', (entry) => {
    const packages = runtimePackages(join(repo, entry));
    expect(packages.size).toBeGreaterThan(0);
    expect([...packages].filter((p) => p === 'zod' || p.startsWith('zod/'))).toEqual([]);
  });
});

/** Bare package names reachable from `entry` through value (not type-only) imports. */
function runtimePackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec);
        if (existsSync(target) && /\.(ts|tsx)$/.test(target)) visit(target);
      } else {
        packages.add(spec);
      }
    }
  };
  visit(entry);
  return packages;
}

describe('boundary: test support stays outside the product', () => {
  const product = [...filesUnder(join(repo, 'electron'), ['.ts']), ...filesUnder(join(repo, 'renderer/src'), ['.ts', '.tsx'])].filter(
    (f) => !/\.test\.tsx?$/.test(f),
  );
  const importsFrom = (file: string, dir: string) =>
    importedModules(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .some((s) => rel(join(dirname(file), s)).startsWith(`${dir}/`));

  it('finds the product sources and their imports (so the checks below can fail)', () => {
    expect(product.length).toBeGreaterThan(50);
    expect(importsFrom(join(repo, 'test/web-host.ts'), 'electron')).toBe(true);
  });

  it('no product file imports test support, lives in a testing folder or reads a KAIWA_TEST_ switch', () => {
    const offenders = product.filter(
      (f) => importsFrom(f, 'test') || importsFrom(f, 'e2e') || /[/\\]testing[/\\]/.test(f) || /test-clock/.test(f) || readFileSync(f, 'utf8').includes('KAIWA_TEST_'),
    );
    expect(offenders.map(rel)).toEqual([]);
  });

  it('no unit test imports from e2e/ (shared support lives in test/)', () => {
    const unit = [...filesUnder(join(repo, 'electron'), ['.ts']), ...filesUnder(join(repo, 'renderer/src'), ['.ts', '.tsx']), ...filesUnder(join(repo, 'test'), ['.ts'])].filter((f) =>
      /\.test\.tsx?$/.test(f),
    );
    expect(unit.length).toBeGreaterThan(50);
    expect(unit.filter((f) => importsFrom(f, 'e2e')).map(rel)).toEqual([]);
  });
});
