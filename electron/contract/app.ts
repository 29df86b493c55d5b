// The app itself: its facts, notices, links it opens and its data folder.
import { z } from 'zod';
import { call, Empty, Ok } from './call.ts';
import { ExternalUrl, Notice } from './schemas.ts';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  platform: z.string(),
  /** UI language to use when settings say "system" (OS locale, or --lang). */
  systemLanguage: z.enum(['en', 'ja', 'zh']),
  dataDir: z.string(),
  notices: z.array(Notice),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCalls = {
  'app.info': call(Empty, AppInfo),
  /** Opens an http(s) URL in the system browser (after the renderer has shown it to the user). */
  'app.openExternal': call(z.strictObject({ url: ExternalUrl }), Ok),
  'app.dismissNotice': call(z.strictObject({ id: z.string().max(100) }), Ok),
  /** Opens the data directory in the system file manager. */
  'app.openDataDir': call(Empty, Ok),
} as const;

export const appEvents = {
  'app.notice': Notice,
} as const;
