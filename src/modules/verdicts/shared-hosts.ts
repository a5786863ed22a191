import { parse as parseDomain } from 'tldts';
import { PSL_WITH_PRIVATE } from '../indicators/url.js';

/**
 * Registrable domains where one address says nothing about the others: link shorteners, and platforms whose
 * users publish pages, forms, files or profiles under the platform's own host. The Public Suffix List's private
 * section already covers hosting that gives each customer a subdomain (x.vercel.app, x.github.io); this list
 * adds what it does not. A report of a link on one of these condemns that link only, never the host.
 */
export const SHARED_HOST_DOMAINS: ReadonlySet<string> = new Set([
  // link shorteners
  'bit.ly', 'bitly.com', 'tinyurl.com', 't.co', 'goo.gl', 'is.gd', 'ow.ly', 'buff.ly', 'rebrand.ly', 'cutt.ly',
  'shorturl.at', 'rb.gy', 't.ly', 's.id', 'tiny.cc', 'lnkd.in', 'bl.ink', 'shorte.st', 'v.gd', 'qrco.de',
  'linktr.ee', 'wa.me', 't.me', 'u.to', 'surl.li', 'urlz.fr', 'tny.im', 'short.gy', 'lihi.cc', 'reurl.cc',
  // platforms hosting their users' pages, forms, files and profiles
  'google.com', 'forms.gle', 'youtube.com', 'youtu.be', 'facebook.com', 'fb.me', 'instagram.com', 'whatsapp.com',
  'telegram.org', 'telegram.me', 'twitter.com', 'x.com', 'linkedin.com', 'tiktok.com', 'threads.net',
  'reddit.com', 'pinterest.com', 'tumblr.com', 'medium.com', 'substack.com', 'wordpress.com', 'wix.com',
  'wixsite.com', 'weebly.com', 'squarespace.com', 'square.site', 'godaddysites.com', 'webflow.io', 'canva.com',
  'canva.site', 'notion.so', 'microsoft.com', 'office.com', 'live.com', 'sharepoint.com', 'onedrive.com',
  'azurewebsites.net', 'dropbox.com', 'box.com', 'apple.com', 'icloud.com', 'amazon.com', 'yahoo.com',
  'baidu.com', 'qq.com', 'weibo.com', 'line.me', 'wechat.com', 'discord.com', 'discord.gg', 'github.com',
  'gitlab.com', 'bitbucket.org', 'jotform.com', 'typeform.com', 'surveymonkey.com', 'mailchimp.com',
  'sendgrid.net', 'ipfs.io', 'dweb.link', 'cloudflare-ipfs.com', '000webhostapp.com', 'glitch.me',
  'replit.com', 'repl.co', 'blogger.com',
]);

/**
 * Whether a report of one URL on `host` may only condemn that URL: an IP address is not shared, a host under
 * a private public suffix (x.vercel.app) or on the list above is.
 */
export function isSharedHost(host: string, isIp: boolean): boolean {
  if (isIp) return false;
  const info = parseDomain(host, PSL_WITH_PRIVATE);
  if (info.isPrivate === true) return true;
  return info.domain === null || SHARED_HOST_DOMAINS.has(info.domain);
}
