// Where Kaiwa keeps its data when no directory is given: the same per-user directory Electron's
// `app.getPath('userData')` resolves to for an app named "Kaiwa".
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Kaiwa');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Kaiwa');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Kaiwa');
}
