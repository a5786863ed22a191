import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CHANNEL_CODES, SCAM_TYPE_CODES, type Channel, type IndicatorRole, type ScamType } from '../../src/modules/reports/taxonomy.js';

/**
 * A deterministic (seeded) generator of report imports shaped like real campaigns: a few campaigns are
 * reported thousands of times and most only once or twice (campaign sizes are heavy-tailed, ~1/rank), each
 * campaign reuses a handful of Hong Kong mobile numbers, bank accounts and links (on its own domain or on a
 * shared host such as x.vercel.app or bit.ly), and some reporters report again, now and then word for word.
 *
 * Lines are in the import's JSON Lines format. writeReports() streams them to a file, so 200,000 lines are
 * never built as one string.
 */

export interface GeneratedReport {
  externalId: string;
  receivedAt: string;
  occurredAt?: string;
  channel: Channel;
  scamType: ScamType;
  narrative: string;
  loss?: { amount: number; currency: string } | null;
  indicators: { value: string; role: IndicatorRole }[];
  reporter?: string;
}

export interface GeneratorOptions {
  count: number;
  seed?: number;
  /** externalId is `${idPrefix}${index}`. */
  idPrefix?: string;
  /** The latest receivedAt (reports spread over `spanDays` before it). Default 2026-11-01. */
  end?: Date;
  spanDays?: number;
  /** Share of reports that carry a `reporter` (default 0.3). */
  reporterShare?: number;
  /** Share of reports that are exact repeats of an earlier report by the same reporter (default 0.02). */
  repeatShare?: number;
}

export interface GeneratedSummary {
  lines: number;
  /** Reports with a `reporter`. */
  withReporter: number;
  /** Exact repeats of an earlier report by the same reporter: the importer must link them as duplicates. */
  repeats: number;
  /** Distinct campaigns used. */
  campaigns: number;
  /** Reports of the largest campaign. */
  largestCampaign: number;
}

/** sfc32: small, fast, and the same sequence on every platform. */
export function rng(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ Math.imul(seed, 0x85ebca6b);
  let c = 0xb7e15162 ^ Math.imul(seed, 0xc2b2ae35);
  let d = 1;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const digits = (random: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

/** A valid Hong Kong mobile number (+852, 8 digits starting 5, 6 or 9), in E.164. */
export function hkMobile(random: () => number): string {
  for (;;) {
    const candidate = `+852${pick(random, ['5', '6', '9'])}${digits(random, 7)}`;
    if (parsePhoneNumberFromString(candidate)?.getType() === 'MOBILE') return candidate;
  }
}

/** How people write a number: E.164, spaced, or local without +852. */
function writePhone(random: () => number, e164: string): string {
  const local = e164.slice(4);
  const r = random();
  if (r < 0.4) return e164;
  if (r < 0.7) return `+852 ${local.slice(0, 4)} ${local.slice(4)}`;
  if (r < 0.9) return local;
  return `${local.slice(0, 4)}-${local.slice(4)}`;
}

const HK_BANK_CODES = ['003', '004', '009', '012', '015', '016', '024', '040', '043', '072', '250', '387', '389'];
const OWN_TLDS = ['com', 'top', 'xyz', 'shop', 'cc', 'online', 'hk', 'info', 'vip'];
const SHARED_SUFFIXES = ['vercel.app', 'netlify.app', 'pages.dev', 'web.app', 'github.io'];
const WORDS = ['hkpost', 'parcel', 'track', 'secure', 'login', 'verify', 'wallet', 'invest', 'gold', 'fx', 'job', 'task', 'loan', 'refund', 'tax', 'octopus', 'bank', 'hsbc-hk', 'boc-hk', 'pay', 'shop', 'deal', 'ticket', 'rent'];
const PATHS = ['/login', '/verify', '/track', '/pay', '/index.html', '/hk/', '/account/update', '/claim', '/', '/app/download'];

/** Channels each scam type is usually reported through (all from the taxonomy). */
const CHANNELS_OF: Record<ScamType, readonly Channel[]> = {
  online_shopping: ['social_media', 'website', 'whatsapp'],
  investment: ['whatsapp', 'social_media', 'call'],
  employment: ['whatsapp', 'sms', 'social_media'],
  romance: ['social_media', 'whatsapp'],
  impersonating_officials: ['call', 'whatsapp'],
  impersonating_customer_service: ['call', 'sms'],
  phishing_bank: ['sms', 'email'],
  phishing_courier: ['sms', 'email'],
  phishing_government: ['sms', 'email'],
  tech_support: ['call', 'website'],
  loan: ['sms', 'call', 'website'],
  sextortion: ['social_media', 'whatsapp'],
  ticketing: ['social_media', 'website'],
  rental: ['website', 'social_media'],
  other: ['other', 'in_person', 'call'],
};
// Scam types weighted roughly like Hong Kong's police figures (shopping, investment and jobs lead).
const TYPE_WEIGHTS: [ScamType, number][] = [
  ['online_shopping', 20], ['investment', 14], ['employment', 14], ['phishing_courier', 9], ['phishing_bank', 8],
  ['impersonating_officials', 7], ['romance', 6], ['impersonating_customer_service', 5], ['loan', 4], ['phishing_government', 3],
  ['tech_support', 2], ['sextortion', 2], ['ticketing', 2], ['rental', 2], ['other', 2],
];

interface Campaign {
  scamType: ScamType;
  channels: readonly Channel[];
  phones: string[];
  accounts: string[];
  links: string[];
}

function weighted(random: () => number): ScamType {
  const total = TYPE_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [type, w] of TYPE_WEIGHTS) if ((r -= w) < 0) return type;
  return 'other';
}

/** A campaign depends only on (seed, index), not on the order reports ask for it. */
function makeCampaign(seed: number, index: number): Campaign {
  const random = rng((seed * 1_000_003 + index * 7919) | 0);
  const scamType = weighted(random);
  const slug = `${pick(random, WORDS)}-${pick(random, WORDS)}${index}`;
  const links: string[] = [];
  const host = random();
  if (host < 0.55) {
    const domain = `${slug}.${pick(random, OWN_TLDS)}`;
    const sub = random() < 0.3 ? `${pick(random, ['www', 'm', 'secure', 'hk'])}.` : '';
    for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) links.push(`https://${sub}${domain}${pick(random, PATHS)}${random() < 0.3 ? `?id=${digits(random, 6)}` : ''}`);
  } else if (host < 0.85) {
    const domain = `${slug}.${pick(random, SHARED_SUFFIXES)}`;
    for (let i = 0, n = 1 + Math.floor(random() * 2); i < n; i++) links.push(`https://${domain}${pick(random, PATHS)}`);
  } else {
    for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) links.push(`https://${pick(random, ['bit.ly', 'tinyurl.com', 'cutt.ly'])}/${slug.replace(/-/g, '').slice(0, 6)}${digits(random, 3)}`);
  }
  const phones = Array.from({ length: 1 + Math.floor(random() * 3) }, () => hkMobile(random));
  const accounts = Array.from({ length: Math.floor(random() * 3) }, () => `${pick(random, HK_BANK_CODES)}-${digits(random, 3)}-${digits(random, random() < 0.7 ? 6 : 9)}`);
  return { scamType, channels: CHANNELS_OF[scamType], phones, accounts, links };
}

const NARRATIVES_EN = [
  'Got a message saying my parcel was held, paid the fee on the link',
  'Someone on WhatsApp offered a part-time job liking videos, then asked for a deposit',
  'Caller said he was from the police and my account was involved in money laundering',
  'Investment "teacher" in a group chat promised 30% a month, I transferred money, "can\'t withdraw"',
  'Bought concert tickets from a seller, never received them',
  'SMS said my bank account was frozen; the page asked for my OTP',
  'Met someone online who asked me to invest in gold',
];
const NARRATIVES_ZH = [
  '收到短訊話包裹未能派送，要我經連結付款',
  '有人在WhatsApp介紹兼職，要先付按金',
  '自稱公安的人話我涉及洗黑錢，要我轉賬',
  '網上認識的朋友叫我投資，之後無法提款',
  '在社交平台買演唱會門票，付款後賣家失聯',
];

function narrativeOf(random: () => number, mention: string | null, at: Date, amount: number | null): string {
  const zh = random() < 0.35;
  let text = zh ? pick(random, NARRATIVES_ZH) : pick(random, NARRATIVES_EN);
  const when = at.toISOString().slice(0, 16).replace('T', ' ');
  text += zh ? `（${when}）` : ` (${when})`;
  if (amount !== null) text += zh ? `，損失 HK$${amount}` : `, lost HK$${amount}`;
  if (mention !== null) text += zh ? `。對方號碼/連結：${mention}` : `. They used ${mention}`;
  if (random() < 0.05) text += '\nSecond line: "I reported it, too"';
  return text;
}

/** Reports one by one (for small files held in memory, or to stream). */
export function* generateReports(options: GeneratorOptions, summary?: GeneratedSummary): Generator<GeneratedReport> {
  const seed = options.seed ?? 1;
  const random = rng(seed);
  const prefix = options.idPrefix ?? 'gen-';
  const end = (options.end ?? new Date('2026-11-01T00:00:00Z')).getTime();
  const span = (options.spanDays ?? 120) * 86_400_000;
  const reporterShare = options.reporterShare ?? 0.3;
  const repeatShare = options.repeatShare ?? 0.02;
  const campaignCount = Math.max(2, Math.ceil(options.count / 12));
  const reporterCount = Math.max(2, Math.ceil(options.count / 25));
  const campaigns = new Map<number, Campaign>();
  const sizes = new Map<number, number>();
  const favourites = new Map<number, number>();
  const signatures = new Set<string>();
  // Recent reports that carry a reporter: what a reporter may send again, word for word.
  const recent: GeneratedReport[] = [];
  const s = summary ?? { lines: 0, withReporter: 0, repeats: 0, campaigns: 0, largestCampaign: 0 };
  Object.assign(s, { lines: 0, withReporter: 0, repeats: 0, campaigns: 0, largestCampaign: 0 });

  for (let i = 0; i < options.count; i++) {
    const base = end - span + Math.floor((span * i) / options.count);
    const receivedMs = Math.min(end, base + Math.floor((random() - 0.5) * 2 * 86_400_000));
    const received = new Date(receivedMs);
    const receivedAt = random() < 0.1 ? new Date(receivedMs - (receivedMs % 1000) + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00' : received.toISOString();
    const externalId = `${prefix}${i}`;

    if (recent.length > 0 && random() < repeatShare) {
      const original = pick(random, recent);
      const repeat: GeneratedReport = { ...original, externalId, receivedAt: received.toISOString() };
      delete repeat.occurredAt;
      s.lines++;
      s.withReporter++;
      s.repeats++;
      yield repeat;
      continue;
    }

    // Heavy-tailed campaign sizes: P(rank k) ~ 1/k.
    let index = Math.floor(Math.pow(campaignCount + 1, random())) - 1;
    let reporter: string | undefined;
    if (random() < reporterShare) {
      // Reporters are heavy-tailed too; a reporter mostly reports about one campaign (a victim, again).
      const r = Math.floor(Math.pow(reporterCount + 1, random())) - 1;
      reporter = r % 3 === 0 ? `hotline-caller-${r}` : r % 3 === 1 ? `app-install-${(r * 2654435761) >>> 0}` : `ngo-volunteer-${r}@example.org`;
      const favourite = favourites.get(r);
      if (favourite === undefined) favourites.set(r, index);
      else if (random() < 0.6) index = favourite;
    }
    let campaign = campaigns.get(index);
    if (campaign === undefined) campaigns.set(index, (campaign = makeCampaign(seed, index)));
    sizes.set(index, (sizes.get(index) ?? 0) + 1);

    const channel = pick(random, campaign.channels);
    const scamType = random() < 0.95 ? campaign.scamType : pick(random, SCAM_TYPE_CODES);
    const indicators: GeneratedReport['indicators'] = [];
    // What the importer keys each value on (a phone written `6123 4567` is still +85261234567).
    const keys: string[] = [];
    const phoneRole: IndicatorRole = channel === 'sms' ? 'sender' : 'caller';
    if (random() < 0.8) {
      const phone = pick(random, campaign.phones);
      indicators.push({ value: writePhone(random, phone), role: phoneRole });
      keys.push(phone);
    }
    if (random() < (channel === 'sms' || channel === 'email' || channel === 'website' ? 0.9 : 0.35)) {
      const link = pick(random, campaign.links);
      indicators.push({ value: link, role: channel === 'website' ? 'website' : 'link' });
      keys.push(link);
    }
    if (campaign.accounts.length > 0 && random() < 0.4) {
      const account = pick(random, campaign.accounts);
      indicators.push({ value: account, role: 'payee_account' });
      keys.push(account);
    }
    if (indicators.length === 0) {
      const phone = pick(random, campaign.phones);
      indicators.push({ value: phone, role: phoneRole });
      keys.push(phone);
    }

    const lossRoll = random();
    const amount = lossRoll < 0.55 ? Math.round(random() * random() * 500_000_00) / 100 : null;
    const loss = amount !== null ? { amount, currency: random() < 0.9 ? 'HKD' : pick(random, ['USD', 'CNY']) } : lossRoll < 0.7 ? null : undefined;
    const mention = random() < 0.2 ? (indicators[0]?.value ?? null) : null;
    let narrative = random() < 0.05 ? '' : narrativeOf(random, mention, received, amount);

    // Two reports of one reporter must differ unless one is meant as a repeat (the summary counts those).
    if (reporter !== undefined) {
      for (let n = 2; ; n++) {
        const signature = JSON.stringify([reporter, scamType, channel, keys.sort(), narrative.toLowerCase()]);
        if (!signatures.has(signature)) {
          signatures.add(signature);
          break;
        }
        narrative = `${narrative} (${n})`;
      }
    }
    const report: GeneratedReport = { externalId, receivedAt, channel, scamType, narrative, indicators };
    if (loss !== undefined) report.loss = loss;
    if (random() < 0.3) report.occurredAt = new Date(receivedMs - Math.floor(random() * 7 * 86_400_000)).toISOString();
    if (reporter !== undefined) {
      report.reporter = reporter;
      s.withReporter++;
      if (recent.length < 500) recent.push(report);
      else recent[Math.floor(random() * recent.length)] = report;
    }
    s.lines++;
    yield report;
  }
  s.campaigns = sizes.size;
  s.largestCampaign = Math.max(0, ...sizes.values());
}

/** Streams `options.count` reports to `path` as JSON Lines. */
export async function writeReports(path: string, options: GeneratorOptions): Promise<GeneratedSummary> {
  const summary: GeneratedSummary = { lines: 0, withReporter: 0, repeats: 0, campaigns: 0, largestCampaign: 0 };
  const out = createWriteStream(path);
  let chunk = '';
  for (const report of generateReports(options, summary)) {
    chunk += JSON.stringify(report) + '\n';
    if (chunk.length > 64 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return summary;
}

export { CHANNEL_CODES, SCAM_TYPE_CODES };
