// Builds the bench page (bench/page) into out/bench-renderer with the app's Vite settings. The one
// difference from the app: imports of renderer/src/components/MessageBody.tsx resolve to
// bench/page/MessageBody.tsx, which picks the renderer under test. The host serves this build when
// started with --renderer-dir; the app's own build (out/renderer) never contains bench code.
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, type Plugin } from 'vite';

/** `profile`: unminified, with source maps, so a profile can be attributed to source files. */
export async function buildBenchPage(repoRoot: string, profile = false): Promise<string> {
  const outDir = join(repoRoot, 'out', 'bench-renderer');
  const real = resolve(repoRoot, 'renderer/src/components/MessageBody.tsx');
  const swap = resolve(repoRoot, 'bench/page/MessageBody.tsx');
  const swapPlugin: Plugin = {
    name: 'kaiwa-bench-swap-message-body',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || importer === swap || !source.includes('MessageBody')) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      return r && r.id === real ? swap : null;
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
