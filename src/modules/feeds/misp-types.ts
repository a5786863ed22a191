import { isIP } from 'node:net';
import { getDomain } from 'tldts';
import type { IndicatorKind } from '../indicators/index.js';
import { EXACT_URL_PREFIX, entryLabel } from '../verdicts/evidence-keys.js';

/**
 * How Scamgraph's kinds meet MISP's attribute types (MISP describeTypes.json: `category_type_mappings` and
 * `sane_defaults`; the MISP core format, draft-dulaunoy-misp-core-format §2.3.2.3, lists the same pairs).
 * Only types MISP defines are written; a kind MISP has no type for (payment proxy IDs, SMS sender IDs, ETH and
 * TRON wallets, accounts on platforms other than X, paths under a site) is left out of a MISP feed.
 */

export type MispCategory = 'Financial fraud' | 'Network activity' | 'Payload delivery' | 'Social network';

export interface MispTyped {
  type: string;
  category: MispCategory;
  /** The value as MISP stores it (AttributeValidationTool::modifyBeforeValidation leaves it as it is). */
  value: string;
}

/**
 * The attribute an entry of the verdict log is, or null when MISP has no type for it. Categories are the type's
 * own default where that fits a scam, else a category the type is valid in: a phone number is "Financial fraud"
 * (valid for phone-number; its default, "Person", is for people's details).
 */
export function mispAttributeOf(entry: string, kind: string): MispTyped | null {
  const label = entryLabel(entry);
  const scheme = label.slice(0, label.indexOf(':'));
  const rest = label.slice(label.indexOf(':') + 1);
  switch (kind) {
    case 'phone':
      return { type: 'phone-number', category: 'Financial fraud', value: label };
    case 'domain': {
      // A whole site, `urlx:evil.example/`. MISP's `domain` is a registered name; a name under one is a `hostname`.
      const host = label.replace(/\/$/, '');
      if (isIP(host) !== 0) return { type: 'ip-dst', category: 'Network activity', value: host };
      return { type: getDomain(host) === host ? 'domain' : 'hostname', category: 'Network activity', value: host };
    }
    case 'url':
      // An exact link, kept without its scheme as partners match it (MISP correlates links without theirs too);
      // a path (`urlx:host/a/`) covers every link under it, which no MISP type says.
      return entry.startsWith(EXACT_URL_PREFIX) ? { type: 'url', category: 'Network activity', value: label } : null;
    case 'email':
      // MISP stores e-mail attributes in lower case (modifyBeforeValidation): hashes.csv must match what it stores.
      return { type: 'email-src', category: 'Payload delivery', value: label.toLowerCase() };
    case 'ip':
      return { type: 'ip-dst', category: 'Network activity', value: label };
    case 'bank_account':
      if (scheme === 'iban') return { type: 'iban', category: 'Financial fraud', value: rest };
      // A Hong Kong account: the bank, branch and account digits, as MISP's numeric bank-account-nr takes them.
      return /^\d+$/.test(rest) ? { type: 'bank-account-nr', category: 'Financial fraud', value: rest } : null;
    case 'crypto_wallet':
      return scheme === 'btc' ? { type: 'btc', category: 'Financial fraud', value: rest } : null;
    case 'social_account':
      return scheme === 'x' ? { type: 'twitter-id', category: 'Social network', value: rest } : null;
    default:
      return null;
  }
}

/** What an attribute of a MISP feed is as a Scamgraph value: the kind and the text to normalize. */
export interface ScamgraphTyped {
  kind: IndicatorKind;
  value: string;
}

/** Composite types: MISP writes both parts in one value, `part|part` (describeTypes, and hashes.csv splits them). */
const COMPOSITE: Readonly<Record<string, readonly (IndicatorKind | null)[]>> = {
  'domain|ip': ['domain', 'ip'],
  'ip-dst|port': ['ip', null],
  'ip-src|port': ['ip', null],
  'hostname|port': ['domain', null],
};

const SINGLE: Readonly<Record<string, IndicatorKind>> = {
  'phone-number': 'phone',
  'whois-registrant-phone': 'phone',
  url: 'url',
  link: 'url',
  domain: 'domain',
  hostname: 'domain',
  'email-src': 'email',
  'email-dst': 'email',
  'email-reply-to': 'email',
  email: 'email',
  'ip-dst': 'ip',
  'ip-src': 'ip',
  iban: 'bank_account',
  'bank-account-nr': 'bank_account',
  btc: 'crypto_wallet',
  'twitter-id': 'social_account',
};

/** The MISP types an import reads. */
export const IMPORTED_TYPES: readonly string[] = [...Object.keys(SINGLE), ...Object.keys(COMPOSITE)];

/**
 * The Scamgraph values an attribute holds (none for a type that is not about anything Scamgraph judges: a
 * file hash, a person's name, a free text). A twitter-id is an X handle: it is read as the profile link.
 */
export function scamgraphValuesOf(type: string, value: string): ScamgraphTyped[] {
  const single = Object.hasOwn(SINGLE, type) ? SINGLE[type] : undefined;
  if (single !== undefined) return [{ kind: single, value: type === 'twitter-id' ? `https://x.com/${value.replace(/^@/, '')}` : value }];
  const parts = Object.hasOwn(COMPOSITE, type) ? COMPOSITE[type] : undefined;
  if (parts === undefined) return [];
  const values = value.split('|');
  if (values.length !== parts.length) return [];
  return parts.flatMap((kind, i) => (kind === null ? [] : [{ kind, value: values[i] as string }]));
}
