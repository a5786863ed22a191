import type { StorageAdapter } from '../../../packages/client/src/index.js';

/** What the user sets on the options page, kept in chrome.storage.local under `settings`. */
export interface Settings {
  /** The Scamgraph server, e.g. https://scamgraph.example. */
  serverUrl: string;
  /** A partner key with `lists:read` (the lists are served to apps that have one). */
  apiKey: string;
  language: 'auto' | 'en' | 'zh-Hant';
}

export const DEFAULT_SETTINGS: Settings = { serverUrl: '', apiKey: '', language: 'auto' };

export async function loadSettings(): Promise<Settings> {
  const { settings } = await chrome.storage.local.get('settings');
  return { ...DEFAULT_SETTINGS, ...(settings as Partial<Settings> | undefined) };
}

export function saveSettings(settings: Settings): Promise<void> {
  return chrome.storage.local.set({ settings });
}

/** The language to show: the one chosen, or the browser's (Chinese of any region shows Traditional Chinese). */
export function languageOf(settings: Settings): 'en' | 'zh-Hant' {
  if (settings.language !== 'auto') return settings.language;
  return /^zh\b/i.test(chrome.i18n.getUILanguage()) ? 'zh-Hant' : 'en';
}

/** The SDK's storage over chrome.storage.local, so that the lists survive the service worker's restarts. */
export const chromeStorage: StorageAdapter = {
  get: async (key) => {
    const found = (await chrome.storage.local.get(`lists:${key}`))[`lists:${key}`];
    return typeof found === 'string' ? found : null;
  },
  set: (key, value) => chrome.storage.local.set({ [`lists:${key}`]: value }),
  remove: (key) => chrome.storage.local.remove(`lists:${key}`),
};

/** What the service worker reports to the options page. */
export interface Status {
  configured: boolean;
  sizes: Record<string, number>;
  lastSync: number | null;
  error: string | null;
}
