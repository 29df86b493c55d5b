// Builds the bench page (bench/page) into out/bench-renderer with the app's Vite settings. The one
// difference from the app: two modules are swapped at build time. Imports of
// renderer/src/components/MessageBody.tsx resolve to bench/page/MessageBody.tsx, which picks the
// renderer under test; the markdown module, as the app's MessageBody imports it, resolves to
// bench/page/markdown.tsx, which reports each streaming commit to the probe. The host serves this
// build when started with --renderer-dir; the app's own build (out/renderer) never contains bench code.
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, type Plugin } from 'vite';

/** `profile`: unminified, with source maps, so a profile can be attributed to source files. */
export async function buildBenchPage(repoRoot: string, profile = false): Promise<string> {
  const outDir = join(repoRoot, 'out', 'bench-renderer');
  const body = resolve(repoRoot, 'renderer/src/components/MessageBody.tsx');
  // [the app's module, the bench's module, the only importer swapped (null: every importer)]
  const swaps: [string, string, string | null][] = [
    [body, resolve(repoRoot, 'bench/page/MessageBody.tsx'), null],
    [resolve(repoRoot, 'renderer/src/markdown/index.ts'), resolve(repoRoot, 'bench/page/markdown.tsx'), body],
  ];
  const swapPlugin: Plugin = {
    name: 'kaiwa-bench-swaps',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || swaps.some(([, swap]) => swap === importer)) return null;
      const candidates = swaps.filter(([real, , from]) => source.includes(real.split('/').at(-1)!.replace(/\.tsx?$/, '')) && (from === null || from === importer));
      if (!candidates.length) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      return candidates.find(([real]) => r?.id === real)?.[1] ?? null;
    },
  };
  await build({
    configFile: false,
    root: join(repoRoot, 'bench', 'page'),
    plugins: [react(), swapPlugin],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: !profile, sourcemap: profile, chunkSizeWarningLimit: 4096 },
  });
  return outDir;
}
