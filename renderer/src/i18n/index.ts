// UI strings live only in the locale files; components call t(). Each feature owns one file per
// language (locales/<lang>/<feature>.json) whose top-level keys are merged into one namespace, so
// adding a feature never means editing this file. The language follows the OS (or --lang) until
// the user picks one in settings.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'ja', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

type Tree = { [key: string]: string | Tree };

const files = import.meta.glob<Tree>('./locales/*/*.json', { eager: true, import: 'default' });

function collect(lang: Language): Tree {
  const out: Tree = {};
  for (const [path, tree] of Object.entries(files)) {
    if (!path.startsWith(`./locales/${lang}/`)) continue;
    for (const [k, v] of Object.entries(tree)) {
      if (k in out) throw new Error(`i18n: top-level key "${k}" is defined twice for ${lang} (${path})`);
      out[k] = v;
    }
  }
  return out;
}

export const resources = Object.fromEntries(LANGUAGES.map((l) => [l, { translation: collect(l) }])) as Record<Language, { translation: Tree }>;

void i18n.use(initReactI18next).init({
  resources,
  lng: 'en',
  fallbackLng: 'en',
  // React escapes text it renders; escaping here would double-escape.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(lang: Language): void {
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : lang;
}

export default i18n;
