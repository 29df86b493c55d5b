import type { KaiwaError } from '../../../../electron/contract/index.ts';
import { ErrorBox } from '../ErrorBox.tsx';

/** An error shown on the settings page itself: "open settings" / "check the region" would lead here again. */
export function SettingsError({ error }: { error: KaiwaError }) {
  const actions = error.actions?.filter((a) => a !== 'open_settings' && a !== 'check_region');
  return <ErrorBox error={{ ...error, ...(actions ? { actions } : {}) }} />;
}
