// What the services need from whoever hosts them (the Electron adapter or the browser-mode host).
// Keeping this an interface is what lets the same services run under Electron, in browser mode and
// in unit tests without importing 'electron'.
import type { EventName, EventPayload } from '../contract/index.ts';

/** Encrypts API keys at rest. Electron: safeStorage; browser mode: a file-keyed AES cipher. */
export interface SecretCipher {
  /** e.g. 'keychain', 'dpapi', 'gnome_libsecret', 'kwallet6', 'basic_text', 'file'. */
  readonly backend: string;
  /** False when nothing but obscurity protects the keys. */
  readonly encrypted: boolean;
  /** True when protection is weaker than an OS keychain. */
  readonly weak: boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Platform {
  mode: 'desktop' | 'web';
  /** Directory holding settings, the vault, the history database and logs. */
  dataDir: string;
  appVersion: string;
  platform: string;
  systemLanguage: 'en' | 'ja' | 'zh';
  cipher: SecretCipher;
  openExternal(url: string): Promise<void>;
  clock: Clock;
  /** Environment used for first-run key import (and the system proxy in browser mode); injected so tests control it. */
  env: Readonly<Record<string, string | undefined>>;
  /** Opens a folder in the system file manager (Settings → About → Open folder). */
  openPath?(path: string): Promise<void>;
  /**
   * The OS proxy for a URL, as a PAC result ("PROXY host:port; DIRECT"). Desktop only (Electron's
   * session.resolveProxy); without it, "system proxy" means HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
   */
  resolveProxy?(url: string): Promise<string>;
  /**
   * Desktop only: asks the user where to save a file, with the system's own save dialog (shown by
   * main, never by the window). Files that hold secrets are written by main to the path this
   * returns and never pass through the renderer. Null when the user cancelled.
   */
  chooseSavePath?(o: { defaultName: string }): Promise<string | null>;
}

export type EventSink = <N extends EventName>(name: N, payload: EventPayload<N>) => void;
