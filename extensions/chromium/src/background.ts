import { LinkLists, Transport, webCryptoSha256, type LinkCheck } from '../../../packages/client/src/index.js';
import { chromeStorage, languageOf, loadSettings, type Settings, type Status } from './settings.js';
import { STRINGS } from './strings.js';

/**
 * The service worker: keeps the link lists on the device (the SDK's LinkLists over chrome.storage.local),
 * checks every page a tab opens against them before it loads, and on a match asks the server about the hash
 * prefix only. High risk: the tab goes to the warning page. Suspicious: a banner on the page.
 */

const SYNC_ALARM = 'scamgraph-sync';
let current: { key: string; lists: LinkLists } | null = null;
let lastSync: number | null = null;
let lastError: string | null = null;
/** The settings, read once and again only when they change (every navigation is checked with them). */
let settings: Promise<Settings> | null = null;
const currentSettings = (): Promise<Settings> => (settings ??= loadSettings());

/** The lists of the configured server (made again when the settings change). */
async function listsFor(settings: Settings): Promise<LinkLists | null> {
  if (settings.serverUrl === '' || settings.apiKey === '') return null;
  const key = `${settings.serverUrl}\n${settings.apiKey}`;
  if (current?.key !== key) current = { key, lists: new LinkLists(new Transport({ baseUrl: settings.serverUrl, apiKey: settings.apiKey }), chromeStorage, webCryptoSha256) };
  return current.lists;
}

async function sync(force = false): Promise<void> {
  const lists = await listsFor(await currentSettings());
  if (lists === null) return;
  try {
    await lists.sync({ force });
    lastSync = Date.now();
    lastError = null;
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
  }
}

async function status(): Promise<Status> {
  const lists = await listsFor(await currentSettings());
  return { configured: lists !== null, sizes: lists === null ? {} : await lists.sizes(), lastSync, error: lastError };
}

/** Links the user chose to open despite a warning, for this browser session. */
async function allowed(url: string): Promise<boolean> {
  const key = `allow:${url}`;
  return (await chrome.storage.session.get(key))[key] === true;
}

async function check(url: string): Promise<LinkCheck | null> {
  if (!/^https?:/i.test(url) || (await allowed(url))) return null;
  const lists = await listsFor(await currentSettings());
  if (lists === null) return null;
  try {
    return await lists.checkUrlLocally(url);
  } catch {
    return null; // not a web link the lists are about, or the server could not confirm a match
  }
}

/**
 * Sends a tab about to open a high-risk link to the warning page, with the last page the tab showed that was
 * not warned about: "back to safety" goes there, whether or not the listed page was committed meanwhile.
 */
async function warnIfHighRisk(tabId: number, url: string, committed = false): Promise<void> {
  const found = await check(url);
  const safeKey = `safe:${tabId}`;
  if (found?.level !== 'high_risk') {
    if (committed && /^https?:/i.test(url)) await chrome.storage.session.set({ [safeKey]: url });
    return;
  }
  const back = (await chrome.storage.session.get(safeKey))[safeKey];
  const page = chrome.runtime.getURL('warning.html') + '#' + encodeURIComponent(JSON.stringify({ url, verdict: found.verdict ?? null, back: typeof back === 'string' ? back : null }));
  await chrome.tabs.update(tabId, { url: page });
}

/** Injected into a suspicious page: a banner in its own shadow root, so the page's styles cannot hide it. */
function showBanner(text: { message: string; headline: string; report: string; reportUrl: string; close: string; lang: string }): void {
  if (document.getElementById('scamgraph-banner') !== null) return;
  const host = document.createElement('div');
  host.id = 'scamgraph-banner';
  const root = host.attachShadow({ mode: 'open' });
  const bar = document.createElement('div');
  bar.setAttribute('role', 'alert');
  bar.lang = text.lang;
  bar.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:2147483647;display:flex;gap:12px;align-items:center;padding:10px 16px;background:#fff4d6;color:#3d2c00;border-bottom:2px solid #b7791f;font:15px/1.4 system-ui,sans-serif';
  const words = document.createElement('span');
  words.style.flex = '1';
  const strong = document.createElement('strong');
  strong.textContent = text.message + ' ';
  words.append(strong, text.headline);
  const report = document.createElement('a');
  report.href = text.reportUrl;
  report.target = '_blank';
  report.rel = 'noopener';
  report.textContent = text.report;
  report.style.color = '#3d2c00';
  const close = document.createElement('button');
  close.textContent = text.close;
  close.onclick = () => host.remove();
  bar.append(words, report, close);
  root.append(bar);
  document.documentElement.append(host);
}

async function bannerIfSuspicious(tabId: number, url: string): Promise<void> {
  const found = await check(url);
  if (found?.level !== 'suspicious') return;
  const chosen = await currentSettings();
  const lang = languageOf(chosen);
  const t = STRINGS[lang];
  const reportUrl = `${chosen.serverUrl.replace(/\/+$/, '')}/report?${new URLSearchParams({ kind: 'url', value: url }).toString()}`;
  await chrome.scripting.executeScript({ target: { tabId }, func: showBanner, args: [{ message: t.bannerText, headline: found.verdict?.headline[lang] ?? '', report: t.report, reportUrl, close: t.bannerClose, lang }] });
}

chrome.runtime.onInstalled.addListener(() => void chrome.alarms.create(SYNC_ALARM, { periodInMinutes: 30 }));
chrome.runtime.onStartup.addListener(() => void sync());
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SYNC_ALARM) void sync();
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !('settings' in changes)) return;
  settings = null;
  void sync(true);
});

// Before the page loads, and again once its address is final (after redirects).
chrome.webNavigation.onBeforeNavigate.addListener((d) => {
  if (d.frameId === 0) void warnIfHighRisk(d.tabId, d.url);
});
chrome.webNavigation.onCommitted.addListener((d) => {
  if (d.frameId === 0) void warnIfHighRisk(d.tabId, d.url, true);
});
chrome.tabs.onRemoved.addListener((tabId) => void chrome.storage.session.remove(`safe:${tabId}`));
chrome.webNavigation.onDOMContentLoaded.addListener((d) => {
  if (d.frameId === 0) void bannerIfSuspicious(d.tabId, d.url);
});

type Message = { type: 'status' } | { type: 'sync' } | { type: 'proceed'; url: string };
chrome.runtime.onMessage.addListener((message: Message, _sender, reply) => {
  if (message.type === 'status') void status().then(reply);
  else if (message.type === 'sync') void sync(true).then(status).then(reply);
  else if (message.type === 'proceed') void chrome.storage.session.set({ [`allow:${message.url}`]: true }).then(() => reply(true));
  return true; // the reply comes asynchronously
});
