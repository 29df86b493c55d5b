// Contract handlers for settings.*: each one line into the settings service.
import type { settingsCalls } from '../../contract/settings.ts';
import type { DomainHandlers } from '../rpc.ts';
import type { SettingsService } from './service.ts';

export function settingsHandlers(settings: SettingsService): DomainHandlers<typeof settingsCalls> {
  return {
    'settings.get': () => settings.view(),
    'settings.update': (patch) => settings.update(patch),
  };
}
