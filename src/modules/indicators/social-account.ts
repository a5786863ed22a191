import type { CountryCode } from 'libphonenumber-js/max';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';
import { normalizePhone } from './phone.js';
import { prepareValue } from './text.js';

export const SOCIAL_PLATFORMS = ['telegram', 'whatsapp', 'wechat', 'line', 'instagram', 'facebook', 'x', 'tiktok'] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

interface PlatformRule {
  /** Valid handle, checked after the leading `@` is removed. */
  handle: RegExp;
  /** Whether the platform treats handles without regard to case (then the key is case-folded). */
  caseInsensitive: boolean;
}

const RULES: Record<Exclude<SocialPlatform, 'whatsapp'>, PlatformRule> = {
  telegram: { handle: /^[a-z][a-z0-9_]{3,31}$/i, caseInsensitive: true },
  wechat: { handle: /^[a-z][a-z0-9_-]{5,19}$/i, caseInsensitive: false },
  line: { handle: /^@?[a-z0-9._-]{1,20}$/i, caseInsensitive: true },
  instagram: { handle: /^[a-z0-9._]{1,30}$/i, caseInsensitive: true },
  facebook: { handle: /^(?:[a-z0-9.]{5,50}|\d{5,20})$/i, caseInsensitive: true },
  x: { handle: /^[a-z0-9_]{1,15}$/i, caseInsensitive: true },
  tiktok: { handle: /^[a-z0-9._]{2,24}$/i, caseInsensitive: true },
};

/** Names people use for each platform, in English and Chinese, mapped to the platform. */
export const PLATFORM_ALIASES: Readonly<Record<string, SocialPlatform>> = {
  telegram: 'telegram', tg: 'telegram', 電報: 'telegram', 电报: 'telegram', 飛機: 'telegram', 纸飞机: 'telegram',
  whatsapp: 'whatsapp', wa: 'whatsapp',
  wechat: 'wechat', weixin: 'wechat', 微信: 'wechat',
  line: 'line',
  instagram: 'instagram', ig: 'instagram', insta: 'instagram',
  facebook: 'facebook', fb: 'facebook', 臉書: 'facebook', 脸书: 'facebook',
  x: 'x', twitter: 'x',
  tiktok: 'tiktok', 抖音: 'tiktok',
};

/** Profile-link hosts; paths that are not profiles (`/share`, `/p/…`) are filtered by NOT_PROFILE. */
const PROFILE_HOSTS: Record<string, SocialPlatform> = {
  't.me': 'telegram', 'telegram.me': 'telegram', 'telegram.dog': 'telegram',
  'wa.me': 'whatsapp', 'api.whatsapp.com': 'whatsapp',
  'instagram.com': 'instagram',
  'facebook.com': 'facebook', 'm.facebook.com': 'facebook', 'fb.com': 'facebook',
  'x.com': 'x', 'twitter.com': 'x', 'mobile.twitter.com': 'x',
  'tiktok.com': 'tiktok', 'line.me': 'line',
};
const NOT_PROFILE = new Set([
  'share', 'joinchat', 'addstickers', 'login', 'home', 'explore', 'search', 'p', 'reel', 'reels', 'stories', 'groups',
  'pages', 'watch', 'events', 'marketplace', 'i', 'intent', 'hashtag', 'settings', 'messages', 'notifications', 'video',
  'tag', 'discover', 'send', 'about', 'help', 'privacy', 'policies', 'proxy', 'socks', 'addlist', 'boost', 'accounts',
  'direct', 'compose', 'sharer', 'share.php', 'people', 'photo', 'photos',
]);

/** A record's own value for a key from user input (never `constructor` or `__proto__` of Object.prototype). */
function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The platform a name such as `tg` or `微信` stands for. */
export function platformNamed(name: string): SocialPlatform | undefined {
  return ownValue(PLATFORM_ALIASES, name.toLowerCase());
}

function invalid(value: string, why: string, reason: string): IndicatorError {
  return new IndicatorError('INVALID_SOCIAL_ACCOUNT', `“${value.slice(0, 80)}” ${why}.`, reason);
}

function account(platform: SocialPlatform, handle: string, identity: string, details: Record<string, unknown> = {}): Indicator {
  return {
    kind: 'social_account',
    canonical: `${platform}:${handle}`,
    key: makeKey('social_account', `${platform}:${identity}`),
    display: platform === 'whatsapp' || platform === 'wechat' || platform === 'line' ? `${platform}: ${handle}` : `${platform}: @${handle}`,
    details: { platform, handle, ...details },
  };
}

/** The platform account a handle names; WhatsApp accounts are phone numbers and normalized as such. */
export function socialAccount(platform: SocialPlatform, rawHandle: string, region: CountryCode, original = rawHandle): Indicator {
  const handle = prepareValue(rawHandle); // also for handles decoded from links (`%68xxp` spells hxxp)
  if (platform === 'whatsapp') {
    try {
      const phone = normalizePhone(handle, region);
      return account('whatsapp', phone.canonical, phone.canonical, { phone: phone.canonical });
    } catch (error) {
      throw invalid(original, `is not a WhatsApp number: ${(error as Error).message.replace(/\.$/, '')}`, 'BAD_PHONE');
    }
  }
  const rule = RULES[platform];
  const bare = platform === 'line' ? handle : handle.replace(/^@/, '');
  if (!rule.handle.test(bare)) throw invalid(original, `is not a valid ${platform} handle`, 'BAD_HANDLE');
  const folded = rule.caseInsensitive ? bare.toLowerCase() : bare;
  return account(platform, folded, folded);
}

/**
 * The account behind a profile link (`t.me/name`, `instagram.com/name`, `wa.me/85291234567`,
 * `facebook.com/profile.php?id=…`, `tiktok.com/@name`, `line.me/ti/p/~id`), or null when the link is not a
 * profile of a supported platform.
 */
export function socialAccountFromUrl(host: string, path: string, query: string | null, region: CountryCode): Indicator | null {
  const platform = ownValue(PROFILE_HOSTS, host.replace(/^www\./, ''));
  if (platform === undefined) return null;
  const segments = path.split('/').filter((s) => s !== '');
  let handle: string | undefined = segments[0];
  if (platform === 'whatsapp' && host.startsWith('api.')) handle = /(?:^|&)phone=(?:\+|%2B)?(\d+)/i.exec(query ?? '')?.[1];
  else if (platform === 'facebook' && handle === 'profile.php') handle = /(?:^|&)id=(\d+)/.exec(query ?? '')?.[1];
  else if (platform === 'facebook' && handle === 'people') handle = segments[2]; // /people/<name>/<numeric id>
  else if (platform === 'line') {
    const at = segments[0] === 'R' || segments[0] === 'r' ? 1 : 0; // line.me/R/ti/p/~id is the app's form
    handle = segments[at] === 'ti' && segments[at + 1] === 'p' ? segments[at + 2]?.replace(/^~/, '') : undefined;
  }
  else if (platform === 'tiktok') handle = handle?.startsWith('@') ? handle : undefined;
  // t.me/+… is a Telegram invite link, not an account.
  if (handle === undefined || handle.endsWith('.php') || NOT_PROFILE.has(handle.toLowerCase()) || (platform === 'telegram' && handle.startsWith('+'))) return null;
  if (platform === 'whatsapp') handle = '+' + handle.replace(/^\+/, '');
  try {
    return socialAccount(platform, decodeURIComponent(handle), region);
  } catch {
    return null;
  }
}

/**
 * Normalizes a social account: `platform:handle` (`telegram:@scam_support`, `whatsapp:+85291234567`,
 * aliases such as `tg:` and `微信:` accepted) or a profile link. Handles are case-folded where the platform
 * ignores case.
 */
export function normalizeSocialAccount(value: string, region: CountryCode, parseLink: (v: string) => Indicator): Indicator {
  const colon = value.search(/[:：]/);
  const head = colon > 0 ? value.slice(0, colon).trim().toLowerCase() : '';
  const platform = platformNamed(head);
  if (platform !== undefined && !value.slice(colon + 1).startsWith('//')) return socialAccount(platform, value.slice(colon + 1), region, value);
  if (/^@[\w.]+$/.test(value)) {
    throw invalid(value, 'names no platform; write it as telegram:@name, instagram:@name, …', 'NO_PLATFORM');
  }
  let link: Indicator;
  try {
    link = parseLink(value);
  } catch {
    throw invalid(value, 'is neither platform:handle nor a profile link', 'NOT_AN_ACCOUNT');
  }
  const d = link.details as { host: string; path: string; query: string | null };
  const fromLink = socialAccountFromUrl(d.host, d.path, d.query, region);
  if (fromLink === null) throw invalid(value, 'is not a profile link of Telegram, WhatsApp, LINE, Instagram, Facebook, X or TikTok', 'NOT_A_PROFILE');
  return fromLink;
}
