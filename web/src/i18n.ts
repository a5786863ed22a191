import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en } from './locales/en';
import { zhHant } from './locales/zh-Hant';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-Hant', name: '繁體中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORED = 'scamgraph.language';

/** The language chosen before, else the browser's (any Chinese reads Traditional here), else English. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  if (stored === 'en' || stored === 'zh-Hant') return stored;
  return navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-Hant' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-Hant': { translation: zhHant } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
});

i18n.on('languageChanged', (lng) => {
  localStorage.setItem(STORED, lng);
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;

/** The chosen language as a key of the API's bilingual texts, and dates, times and sums of money written its way. */
export function useLanguage(): {
  lang: Language;
  date: (iso: string | null) => string;
  time: (iso: string) => string;
  money: (sum: { amount: string | number; currency: string }) => string;
} {
  const { i18n: current } = useTranslation();
  const lang: Language = current.language === 'zh-Hant' ? 'zh-Hant' : 'en';
  const locale = lang === 'en' ? 'en-HK' : 'zh-HK';
  return {
    lang,
    date: (iso) => formatDate(iso, locale),
    time: (iso) => new Date(iso).toLocaleString(locale),
    money: (sum) => formatMoney(sum, locale),
  };
}

/** A date, or a whole day (`2026-11-23`, as the API gives days: the same day wherever the reader is). */
export function formatDate(iso: string | null, locale: string): string {
  if (iso === null) return '—';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return new Date(iso).toLocaleDateString(locale, day ? { timeZone: 'UTC' } : {});
}

/**
 * A sum written the locale's way with its currency's code and minor units (`HKD 1,200.50`, never `1,200.5`).
 * The API only takes ISO 4217-shaped codes (`^[A-Z]{3}$`), which Intl formats even when it does not know them.
 */
export function formatMoney(sum: { amount: string | number; currency: string }, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: sum.currency, currencyDisplay: 'code' }).format(Number(sum.amount));
}
