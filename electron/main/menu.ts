// The application menu. On macOS the menu bar is where ⌘C/⌘V/⌘X/⌘A/⌘Z and ⌘Q live: without the Edit
// roles copy and paste do nothing in text fields, without the app menu ⌘Q does not quit. Elsewhere
// Kaiwa has no menu bar (everything is in the window), so the packaged app removes Electron's
// default one; development keeps it for the developer tools.
import type { Menu as MenuClass, MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  // Roles, not hand-written items: macOS localises them and binds the standard shortcuts.
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
}

export function installAppMenu(Menu: Pick<typeof MenuClass, 'setApplicationMenu' | 'buildFromTemplate'>, platform: NodeJS.Platform, isPackaged: boolean): void {
  const template = appMenuTemplate(platform);
  if (template) Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  else if (isPackaged) Menu.setApplicationMenu(null);
}
