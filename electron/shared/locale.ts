// Maps an OS/browser locale tag to one of the UI languages. Shared by both hosts.
export type UiLanguage = 'en' | 'ja' | 'zh';

export function pickLanguage(tag: string | undefined | null): UiLanguage {
  const t = (tag ?? '').toLowerCase().replace('_', '-');
  if (t.startsWith('ja')) return 'ja';
  if (t.startsWith('zh')) return 'zh';
  return 'en';
}

export function isUiLanguage(x: unknown): x is UiLanguage {
  return x === 'en' || x === 'ja' || x === 'zh';
}
