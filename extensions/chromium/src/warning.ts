import type { ListedVerdict } from '../../../packages/client/src/index.js';
import { languageOf, loadSettings } from './settings.js';
import { STRINGS } from './strings.js';

/** The full-page warning for a high-risk link: what it is, why it is listed, the way back, and a report. */

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** The link as text that cannot be clicked or auto-linked (hxxps://login[.]evil[.]shop/…). */
function defanged(url: string): string {
  const match = /^(https?)(:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (match === null) return url;
  const [, scheme, slashes, host, rest] = match as unknown as [string, string, string, string, string];
  return `${scheme.replace(/^http/i, 'hxxp')}${slashes}${host.replaceAll('.', '[.]')}${rest}`;
}

async function render(): Promise<void> {
  const { url, verdict, back: safe } = JSON.parse(decodeURIComponent(location.hash.slice(1))) as { url: string; verdict: ListedVerdict | null; back: string | null };
  const settings = await loadSettings();
  const lang = languageOf(settings);
  const t = STRINGS[lang];
  document.documentElement.lang = lang;
  document.title = t.dangerTitle;
  const main = document.getElementById('warning') as HTMLElement;
  main.replaceChildren();
  main.append(element('h1', t.dangerTitle), element('p', t.dangerLead, { class: 'lead' }));
  const address = element('p', undefined, { class: 'address' });
  address.append(element('span', `${t.address}: `), element('code', defanged(url)));
  main.append(address);
  if (verdict !== null) {
    main.append(element('p', verdict.headline[lang], { class: 'headline' }));
    main.append(element('h2', t.why));
    const reasons = element('ul', undefined, { class: 'reasons' });
    for (const reason of verdict.reasons) reasons.append(element('li', reason.message[lang]));
    main.append(reasons);
    if (verdict.advice[lang].length > 0) {
      main.append(element('h2', t.advice));
      const advice = element('ul');
      for (const line of verdict.advice[lang]) advice.append(element('li', line));
      main.append(advice);
    }
    if (verdict.updated !== null) main.append(element('p', `${t.updated}: ${verdict.updated}`, { class: 'updated' }));
  }
  const actions = element('div', undefined, { class: 'actions' });
  const back = element('button', t.back, { id: 'back', class: 'primary', type: 'button' });
  // The last page this tab showed that was not warned about, in place of the warning; else a new tab page.
  back.onclick = () => (safe !== null ? location.replace(safe) : void chrome.tabs.update({ url: 'chrome://newtab/' }));
  const report = element('a', t.report, { id: 'report', href: `${settings.serverUrl.replace(/\/+$/, '')}/report?${new URLSearchParams({ kind: 'url', value: url }).toString()}`, target: '_blank', rel: 'noopener' });
  const proceed = element('button', t.proceed, { id: 'proceed', class: 'quiet', type: 'button' });
  proceed.onclick = async () => {
    await chrome.runtime.sendMessage({ type: 'proceed', url });
    location.replace(url);
  };
  actions.append(back, report, proceed);
  main.append(actions);
  back.focus();
}

void render();
