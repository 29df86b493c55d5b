import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'renderer/src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each file gets fresh module state (the logger's secret registry, stubbed `electron`).
    isolate: true,
    pool: 'forks',
    // Inlined so that a test's stubbed `electron` reaches electron-store's own `import 'electron'`:
    // the desktop settings are tested with the real package (electron/main/settings-file.test.ts).
    server: { deps: { inline: ['electron-store'] } },
  },
});
