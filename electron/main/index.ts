// The desktop entry. It holds only what must work when everything else fails: the rest of the app
// is imported dynamically inside a try, so that even an error while loading a module (at its top
// level) ends in Kaiwa's own failure dialog naming the data folder and the log file — not in
// Electron's generic box and a windowless process. Nothing here awaits `ready`: Electron emits it
// only after this module's top-level code has finished.
import { fileURLToPath } from 'node:url';
import { app, dialog } from 'electron';
import { installProcessHandlers, reportStartupFailure } from './failure.ts';
import { dataPaths, intendedDataDir, systemLanguage } from './startup.ts';
import type { Started } from './app.ts';

let paths = dataPaths(intendedDataDir(app, process.env));
let started: Started | null = null;
let failed = false;

function failStartup(err: unknown): void {
  if (failed) return;
  failed = true;
  void reportStartupFailure({ app, dialog, language: () => systemLanguage(app, process.argv) }, paths, err);
}

installProcessHandlers(process, (err) => {
  if (!started) return failStartup(err);
  void started.report({ kind: 'unexpected', err });
});

try {
  const { prepareApp } = await import('./app.ts');
  const prepared = prepareApp({ mainDir: fileURLToPath(new URL('.', import.meta.url)), env: process.env, argv: process.argv });
  if (prepared) {
    paths = prepared.paths;
    prepared.ready.then((s) => (started = s), failStartup);
  }
} catch (err) {
  failStartup(err);
}
