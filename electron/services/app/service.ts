// The app itself as the window sees it: its facts, the notices gathered at start (settings, vault,
// database recovery) and later (a restore), and the host's openers for links and the data folder.
import type { AppInfo, Notice } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { EventSink, Platform } from '../platform.ts';
import type { SettingsStore } from '../settings/store.ts';

export class AppService {
  private readonly notices: Notice[] = [];
  private readonly platform: Platform;
  private readonly settings: SettingsStore;
  private readonly emit: EventSink;

  constructor(d: { platform: Platform; settings: SettingsStore; emit: EventSink }) {
    this.platform = d.platform;
    this.settings = d.settings;
    this.emit = d.emit;
  }

  /** Notices found while starting: shown by `app.info`, no event (no window is listening yet). */
  addStartupNotices(notices: readonly Notice[]): void {
    this.notices.push(...notices);
  }

  /** A notice now and after a reload (a restore reloads the window). */
  notify(notice: Notice): void {
    this.notices.push(notice);
    this.emit('app.notice', notice);
  }

  info(): AppInfo {
    const p = this.platform;
    const dismissed = this.settings.get().dismissedNotices;
    return {
      name: 'Kaiwa',
      version: p.appVersion,
      mode: p.mode,
      platform: p.platform,
      systemLanguage: p.systemLanguage,
      dataDir: p.dataDir,
      notices: this.notices.filter((n) => !dismissed.includes(n.id)),
    };
  }

  async openExternal(url: string): Promise<void> {
    await this.platform.openExternal(url);
  }

  dismissNotice(id: string): void {
    this.settings.update((s) => {
      if (!s.dismissedNotices.includes(id)) s.dismissedNotices = [...s.dismissedNotices.slice(-50), id];
    });
  }

  async openDataDir(): Promise<void> {
    const { dataDir, openPath } = this.platform;
    if (!openPath) throw new ServiceError('open_failed', 'This host cannot open folders.', { params: { path: dataDir } });
    try {
      await openPath(dataDir);
    } catch (err) {
      throw new ServiceError('open_failed', 'The folder could not be opened.', { params: { path: dataDir }, details: err instanceof Error ? err.message : String(err) });
    }
  }
}
