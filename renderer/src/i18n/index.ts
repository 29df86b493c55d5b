// UI strings live only in the locale files; components call t(). The language follows the OS (or
// --lang) until the user picks one in settings.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import ja from './locales/ja.json';
import zh from './locales/zh.json';

export const resources = { en: { translation: en }, ja: { translation: ja }, zh: { translation: zh } } as const;
export type Language = keyof typeof resources;

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
