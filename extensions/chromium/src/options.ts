import { languageOf, loadSettings, saveSettings, type Settings, type Status } from './settings.js';
import { STRINGS } from './strings.js';

/** The options page: the server, the key and the language, what is sent, and the lists' state. */

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

async function showStatus(status?: Status): Promise<void> {
  const settings = await loadSettings();
  const t = STRINGS[languageOf(settings)];
  const s = status ?? ((await chrome.runtime.sendMessage({ type: 'status' })) as Status);
  const line = !s.configured
    ? t.notConfigured
    : s.error !== null
      ? `${t.syncError} ${s.error}`
      : s.lastSync === null && Object.values(s.sizes).every((n) => n === 0)
        ? t.neverSynced
        : t.listsStatus(s.sizes.SOCIAL_ENGINEERING ?? 0, s.sizes.UNWANTED_SOFTWARE ?? 0, s.lastSync === null ? '—' : new Date(s.lastSync).toLocaleTimeString());
  byId('status').textContent = line;
}

async function render(): Promise<void> {
  const settings = await loadSettings();
  const lang = languageOf(settings);
  const t = STRINGS[lang];
  document.documentElement.lang = lang;
  document.title = t.optionsTitle;
  byId('title').textContent = t.optionsTitle;
  byId('server-label').textContent = t.server;
  byId('key-label').textContent = t.key;
  byId('language-label').textContent = t.language;
  byId('language-auto').textContent = t.auto;
  byId('save').textContent = t.save;
  byId('sync').textContent = t.syncNow;
  byId('sent-title').textContent = t.whatIsSentTitle;
  byId('sent').textContent = t.whatIsSent;
  byId<HTMLInputElement>('server').value = settings.serverUrl;
  byId<HTMLInputElement>('key').value = settings.apiKey;
  byId<HTMLSelectElement>('language').value = settings.language;
  await showStatus();
}

byId('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const settings: Settings = {
    serverUrl: byId<HTMLInputElement>('server').value.trim().replace(/\/+$/, ''),
    apiKey: byId<HTMLInputElement>('key').value.trim(),
    language: byId<HTMLSelectElement>('language').value as Settings['language'],
  };
  await saveSettings(settings);
  await render();
  byId('saved').textContent = STRINGS[languageOf(settings)].saved;
  // Saving makes the service worker update the lists; ask it for the outcome.
  await showStatus((await chrome.runtime.sendMessage({ type: 'sync' })) as Status);
});
byId('sync').addEventListener('click', async () => showStatus((await chrome.runtime.sendMessage({ type: 'sync' })) as Status));

void render();
