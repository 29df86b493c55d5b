// Settings: language, theme, default model, idle timeout, proxy; the vault's protection shown with them.
import { z } from 'zod';
import { call, Empty } from './call.ts';
import { ModelRef } from './providers.ts';

export const VaultInfo = z.object({
  backend: z.string(),
  /** False when keys are stored without OS-level encryption. */
  encrypted: z.boolean(),
  /** True when the protection is weaker than an OS keychain (basic_text, browser-mode file). */
  weak: z.boolean(),
});

/**
 * How upstream calls reach the internet. `system`: the desktop app asks the OS (Electron's proxy
 * resolution), browser mode reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY; `none`: direct; `custom`: this
 * HTTP(S) proxy for every provider except the hosts in `noProxy` (comma-separated, NO_PROXY syntax).
 */
export const ProxySettings = z.object({
  mode: z.enum(['system', 'none', 'custom']),
  url: z.string(),
  noProxy: z.string(),
});
export type ProxySettings = z.infer<typeof ProxySettings>;

/** What "system" means on this host, so the settings page can say it plainly. */
export const SystemProxyInfo = z.object({
  source: z.enum(['os', 'env']),
  /** The proxy from the environment (credentials removed), or null when none is set. */
  envProxy: z.string().nullable(),
});

export const SettingsView = z.object({
  language: z.enum(['system', 'en', 'ja', 'zh']),
  theme: z.enum(['system', 'light', 'dark']),
  defaultModel: ModelRef.nullable(),
  idleTimeoutSec: z.number(),
  vault: VaultInfo,
  proxy: ProxySettings,
  systemProxy: SystemProxyInfo,
});
export type SettingsView = z.infer<typeof SettingsView>;

export const settingsCalls = {
  'settings.get': call(Empty, SettingsView),
  'settings.update': call(
    z.strictObject({
      language: z.enum(['system', 'en', 'ja', 'zh']).optional(),
      theme: z.enum(['system', 'light', 'dark']).optional(),
      defaultModel: ModelRef.nullable().optional(),
      idleTimeoutSec: z.number().int().min(5).max(3600).optional(),
      proxy: z
        .strictObject({
          mode: z.enum(['system', 'none', 'custom']),
          url: z.string().max(2048).optional(),
          noProxy: z.string().max(4000).regex(/^[^\p{Cc}]*$/u, 'no control characters').optional(),
        })
        .optional(),
    }),
    SettingsView,
  ),
} as const;
