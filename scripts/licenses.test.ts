// The licence list shown in Settings → About: what the renderer bundles and what main ships.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledPackages, mainProcessLicenses, packageDirOf } from './licenses.ts';

const root = process.cwd();
const version = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

describe('licence list', () => {
  it('finds the package of a bundled module file, scoped or not, nested or not', () => {
    expect(packageDirOf('/app/node_modules/react/index.js')).toBe('/app/node_modules/react');
    expect(packageDirOf('/app/node_modules/@tanstack/react-virtual/dist/esm/index.js')).toBe('/app/node_modules/@tanstack/react-virtual');
    expect(packageDirOf('/app/node_modules/a/node_modules/b/lib/x.js?commonjs-proxy')).toBe('/app/node_modules/a/node_modules/b');
    expect(packageDirOf('C:\\app\\node_modules\\katex\\dist\\katex.mjs')).toBe('C:/app/node_modules/katex');
    expect(packageDirOf('/app/renderer/src/App.tsx')).toBeNull();
  });

  it('names each bundled package once, with its version and licence', () => {
    const list = bundledPackages([join(root, 'node_modules/react/index.js'), join(root, 'node_modules/react/cjs/react.production.js'), join(root, 'node_modules/katex/dist/katex.mjs'), join(root, 'renderer/src/main.tsx')]);
    expect(list).toEqual([
      { name: 'react', version: version('react'), license: 'MIT' },
      { name: 'katex', version: version('katex'), license: 'MIT' },
    ]);
  });

  it('covers main\'s production dependencies with theirs, and Electron, but not build tools', () => {
    const names = mainProcessLicenses(root).map((e) => e.name);
    for (const n of ['zod', 'undici', 'openai', 'conf', 'electron-store', 'ajv', 'electron']) expect(names).toContain(n);
    for (const n of ['electron-builder', 'vite', 'typescript', '@electron/get', 'react']) expect(names).not.toContain(n);
    expect(mainProcessLicenses(root).every((e) => e.license && e.license !== 'UNKNOWN')).toBe(true);
  });
});
