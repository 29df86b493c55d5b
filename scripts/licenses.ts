// The licences of what Kaiwa ships, written at build time to out/renderer/licenses.json and shown
// in Settings → About. Two sources, because the two sides ship differently:
//  - the renderer: exactly the packages whose modules ended up in the bundle (from the bundler);
//  - main: the production dependencies in package.json and everything they depend on (they are
//    packaged as node_modules), plus Electron itself.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Plugin } from 'vite';

/** The id of the data block in index.html that holds the list (read by Settings → About). */
export const LICENSES_ELEMENT_ID = 'kaiwa-licenses';

export interface LicenseEntry {
  name: string;
  version: string;
  license: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: ({ type?: string } | string)[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The package a module file belongs to: the part after the last node_modules/ ("@scope/name" or "name"). */
export function packageDirOf(file: string): string | null {
  const norm = file.replace(/\\/g, '/').replace(/^\0/, '').replace(/\?.*$/, '');
  const at = norm.lastIndexOf('/node_modules/');
  if (at === -1) return null;
  const rest = norm.slice(at + '/node_modules/'.length).split('/');
  const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  return name ? `${norm.slice(0, at)}/node_modules/${name}` : null;
}

function licenseOf(pkg: PackageJson): string {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => (typeof l === 'string' ? l : l.type ?? '?')).join(' OR ');
  return 'UNKNOWN';
}

function readPackage(dir: string): PackageJson | null {
  const p = join(dir, 'package.json');
  if (!existsSync(p)) return null;
  return JSON.parse(readFileSync(p, 'utf8')) as PackageJson;
}

function entry(pkg: PackageJson): LicenseEntry | null {
  return pkg.name && pkg.version ? { name: pkg.name, version: pkg.version, license: licenseOf(pkg) } : null;
}

/** Node's lookup: node_modules next to `from`, then in every parent directory. */
function resolvePackageDir(name: string, from: string, root: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return null;
    dir = dirname(dir);
  }
}

/** `names` and everything they depend on at run time, found the way Node finds them. */
export function dependencyClosure(names: string[], root: string): LicenseEntry[] {
  const out = new Map<string, LicenseEntry>();
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    const dir = resolvePackageDir(name, from, root);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const pkg = readPackage(dir);
    if (!pkg) return;
    const e = entry(pkg);
    if (e) out.set(`${e.name}@${e.version}`, e);
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, dir);
  };
  for (const n of names) visit(n, root);
  return [...out.values()];
}

/** The packages of bundled module files. */
export function bundledPackages(moduleIds: Iterable<string>): LicenseEntry[] {
  const out = new Map<string, LicenseEntry>();
  const dirs = new Set<string>();
  for (const id of moduleIds) {
    const dir = packageDirOf(id);
    if (dir) dirs.add(dir.split('/').join(sep));
  }
  for (const dir of dirs) {
    const pkg = readPackage(dir);
    const e = pkg && entry(pkg);
    if (e) out.set(`${e.name}@${e.version}`, e);
  }
  return [...out.values()];
}

export function mergeEntries(...lists: LicenseEntry[][]): LicenseEntry[] {
  const m = new Map<string, LicenseEntry>();
  for (const list of lists) for (const e of list) m.set(`${e.name}@${e.version}`, e);
  return [...m.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * The main-process side: the production dependencies of package.json with theirs, and Electron
 * itself (only the package: its own dependencies download the binary and are not shipped).
 */
export function mainProcessLicenses(root: string): LicenseEntry[] {
  const deps = Object.keys(readPackage(root)?.dependencies ?? {});
  const electronDir = resolvePackageDir('electron', root, root);
  const electron = electronDir ? entry(readPackage(electronDir) ?? {}) : null;
  return mergeEntries(dependencyClosure(deps, root), electron ? [electron] : []);
}

/**
 * Vite plugin for the renderer build: puts the list into index.html as a JSON data block
 * (<script type="application/json">, which is never executed, so the CSP has nothing to object to
 * and the page needs no fetch). A dev server has no bundle and so no list.
 */
export function licensesPlugin(root: string): Plugin {
  return {
    name: 'kaiwa-licenses',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        const ids: string[] = [];
        for (const file of Object.values(ctx.bundle)) if (file.type === 'chunk') ids.push(...file.moduleIds);
        const list = mergeEntries(bundledPackages(ids), mainProcessLicenses(root));
        return {
          html,
          tags: [{ tag: 'script', attrs: { type: 'application/json', id: LICENSES_ELEMENT_ID }, children: JSON.stringify(list).replace(/</g, '\\u003c'), injectTo: 'body' }],
        };
      },
    },
  };
}
