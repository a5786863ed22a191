import { createHmac } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { entryLabel } from '../verdicts/evidence-keys.js';
import type { Verdict, VerdictLevel } from '../verdicts/verdict.types.js';

/**
 * STIX 2.1 objects for what Scamgraph publishes (OASIS STIX Version 2.1; sections cited as §). An entry of the
 * verdict log becomes an `indicator` with a STIX pattern, beside the observable it is about: the spec's own
 * objects where there is one (url, domain-name, email-addr, ipv4-addr, ipv6-addr, user-account), and for phone
 * numbers, bank accounts, wallets, payment proxy IDs and SMS sender IDs new observables declared by one
 * `extension-definition` (§7.3). Every object's content is a function of what it is made from, so a version
 * (id, modified) always serializes the same (§3.6).
 */

export const STIX_MEDIA = 'application/stix+json;version=2.1';
/** §2.9: the namespace of deterministic observable ids. */
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** When the publisher's identity and extension definition were first written (they never change). */
const DEFINED = '2026-12-04T00:00:00.000Z';

export type StixObject = Record<string, unknown> & { type: string; id: string };

/**
 * RFC 8785 (JCS) for what observables are identified by: flat objects of strings, whose canonical form is
 * the keys in code-unit order, each value as JSON.stringify writes it.
 */
function canonicalJson(object: Readonly<Record<string, string>>): string {
  return `{${Object.keys(object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(object[k])}`)
    .join(',')}}`;
}

/** §2.9: `type--UUIDv5(namespace, JCS of the ID contributing properties)`. */
export function observableId(type: string, contributing: Readonly<Record<string, string>>): string {
  return `${type}--${uuidv5(canonicalJson(contributing), SCO_NAMESPACE)}`;
}

/**
 * A version 4 UUID (§2.9 asks SDOs for one) whose bits come from a keyed hash instead of a random source:
 * the same on every node of a deployment and across restarts, unpredictable and distinct between deployments.
 */
export function keyedUuid(key: Buffer, name: string): string {
  const b = createHmac('sha256', key).update(name).digest().subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** §9.2: a string literal, with `'` and `\` escaped by a backslash. */
function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The observables an entry is about and the pattern that matches them. */
export interface Observed {
  /** The observables, with their deterministic ids (none for a path, which no observable names). */
  observables: StixObject[];
  pattern: string;
  /** What the indicator's name calls it: "phone number +85291234567". */
  noun: string;
  /** The same without the value: "phone number". */
  what: string;
}

/** The publisher's new observables (§7.3): their type names, and what each one's id is computed from. */
export const CUSTOM_OBSERVABLES = ['phone-number', 'bank-account', 'cryptocurrency-wallet', 'payment-proxy', 'sms-sender-id'] as const;

export class StixPublisher {
  readonly identity: StixObject;
  readonly extension: StixObject;

  constructor(private readonly key: Buffer) {
    this.identity = {
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${keyedUuid(key, 'identity')}`,
      created: DEFINED,
      modified: DEFINED,
      name: 'Scamgraph',
      description: 'The Scamgraph deployment that publishes these objects: an anti-scam centre’s shared verdicts on phone numbers, links, accounts and wallets.',
      identity_class: 'system',
    };
    this.extension = {
      type: 'extension-definition',
      spec_version: '2.1',
      id: `extension-definition--${keyedUuid(key, 'extension-definition:observables:1')}`,
      created_by_ref: this.identity.id,
      created: DEFINED,
      modified: DEFINED,
      name: 'Scamgraph observables',
      description: 'Observables that scams use and STIX 2.1 does not define: phone numbers, bank accounts, cryptocurrency wallets, payment proxy IDs and SMS sender IDs.',
      schema:
        'New SCOs. phone-number {value: E.164}; bank-account {iban} or {country: ISO 3166-1 alpha-2, account_number: the bank, branch and account digits}; ' +
        'cryptocurrency-wallet {chain: btc|eth|trx, value: the address as the chain writes it}; payment-proxy {scheme: fps|upi|paynow, value}; ' +
        'sms-sender-id {value: the sender ID as displayed}. Every property is a string and is required, and all of them are the ID contributing ' +
        'properties: id = type--UUIDv5(00abedb4-aa42-466c-9c01-fed23315a9b7, RFC 8785 JSON of the properties), as STIX 2.1 §2.9 does for its own SCOs.',
      version: '1.0.0',
      extension_types: ['new-sco'],
    };
  }

  /** The objects every collection holds before any indicator: who publishes, and the observables it defines. */
  definitions(): StixObject[] {
    return [this.identity, this.extension];
  }

  private custom(type: (typeof CUSTOM_OBSERVABLES)[number], properties: Record<string, string>): StixObject {
    return { type, spec_version: '2.1', id: observableId(type, properties), ...properties, extensions: { [this.extension.id]: { extension_type: 'new-sco' } } };
  }

  /** What an entry of the verdict log is about, as STIX; null for a kind STIX cannot carry. */
  observed(entry: string, kind: string): Observed | null {
    const value = entryLabel(entry);
    const standard = (type: string, v: string): StixObject => ({ type, spec_version: '2.1', id: observableId(type, { value: v }), value: v });
    const observed = (observables: StixObject[], pattern: string, what: string, shown: string): Observed => ({ observables, pattern, what, noun: `${what} ${shown}` });
    const one = (object: StixObject, property: string, what: string): Observed => observed([object], `[${object.type}:${property} = ${literal(String(object[property]))}]`, what, String(object[property]));
    switch (kind) {
      case 'domain': {
        // A whole site (`urlx:evil.example/`): the name and every name under it, as the DNS policy zone has it.
        const site = value.replace(/\/$/, '');
        return observed([standard('domain-name', site)], `[domain-name:value = ${literal(site)} OR domain-name:value LIKE ${literal(`%.${site}`)}]`, 'site', site);
      }
      case 'url': {
        // Links are kept without their scheme: either scheme is the same link. A path covers the links under it.
        if (entry.startsWith('urlx:')) {
          const likes = ['http', 'https'].map((s) => `url:value LIKE ${literal(`${s}://${value}%`)}`);
          return observed([], `[${likes.join(' OR ')}]`, 'links under', value);
        }
        const urls = ['https', 'http'].map((s) => standard('url', `${s}://${value}`));
        return observed(urls, `[${urls.map((u) => `url:value = ${literal(String(u.value))}`).join(' OR ')}]`, 'link', value);
      }
      case 'email':
        return one(standard('email-addr', value), 'value', 'e-mail address');
      case 'ip':
        return one(standard(value.includes(':') ? 'ipv6-addr' : 'ipv4-addr', value), 'value', 'IP address');
      case 'phone':
        return one(this.custom('phone-number', { value }), 'value', 'phone number');
      case 'bank_account': {
        const [scheme, digits] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
        if (scheme === 'iban') return one(this.custom('bank-account', { iban: digits }), 'iban', 'bank account');
        const account = this.custom('bank-account', { country: scheme.toUpperCase(), account_number: digits });
        return observed([account], `[bank-account:country = ${literal(scheme.toUpperCase())} AND bank-account:account_number = ${literal(digits)}]`, 'bank account', `${digits} (${scheme.toUpperCase()})`);
      }
      case 'crypto_wallet': {
        const [chain, address] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
        const wallet = this.custom('cryptocurrency-wallet', { chain, value: address });
        return observed([wallet], `[cryptocurrency-wallet:chain = ${literal(chain)} AND cryptocurrency-wallet:value = ${literal(address)}]`, `${chain.toUpperCase()} wallet`, address);
      }
      case 'payment_proxy': {
        const [scheme, id] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
        const proxy = this.custom('payment-proxy', { scheme, value: id });
        return observed([proxy], `[payment-proxy:scheme = ${literal(scheme)} AND payment-proxy:value = ${literal(id)}]`, `${scheme.toUpperCase()} payment proxy`, id);
      }
      case 'sms_sender':
        return one(this.custom('sms-sender-id', { value }), 'value', 'SMS sender ID');
      case 'social_account': {
        // STIX's own user-account (§6.16): the platform as account_type, the handle as account_login.
        const [platform, handle] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
        const contributing = { account_type: platform, account_login: handle };
        const account: StixObject = { type: 'user-account', spec_version: '2.1', id: observableId('user-account', contributing), ...contributing };
        return observed([account], `[user-account:account_type = ${literal(platform)} AND user-account:account_login = ${literal(handle)}]`, `${platform} account`, handle);
      }
      default:
        return null;
    }
  }

  /** The STIX types a feed of these kinds can hold. */
  typesOf(kinds: readonly string[]): Set<string> {
    const types = new Set<string>(['identity', 'extension-definition', 'indicator']);
    const of: Record<string, string[]> = {
      domain: ['domain-name'],
      url: ['url'],
      email: ['email-addr'],
      ip: ['ipv4-addr', 'ipv6-addr'],
      phone: ['phone-number'],
      bank_account: ['bank-account'],
      crypto_wallet: ['cryptocurrency-wallet'],
      payment_proxy: ['payment-proxy'],
      sms_sender: ['sms-sender-id'],
      social_account: ['user-account'],
    };
    for (const kind of kinds) for (const type of of[kind] ?? []) types.add(type);
    return types;
  }

  indicatorId(feed: string, entry: string, episode: number): string {
    return `indicator--${keyedUuid(this.key, `indicator:${feed}:${entry}:${episode}`)}`;
  }

  /** What every version of an indicator carries (§4.7.1), listed or revoked. */
  private indicatorBase(input: { id: string; observed: Observed; listedAt: string; modified: string }): StixObject {
    return {
      type: 'indicator',
      spec_version: '2.1',
      id: input.id,
      created_by_ref: this.identity.id,
      created: input.listedAt,
      modified: input.modified,
      indicator_types: ['malicious-activity'],
      pattern: input.observed.pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: input.listedAt,
    };
  }

  /** A listed entry's indicator as of its latest change: what its own evidence says, in words (§4.7). */
  indicator(input: { id: string; observed: Observed; level: VerdictLevel; listedAt: string; modified: string; verdict: Verdict }): StixObject {
    const { verdict } = input;
    const labels = verdict.scamTypes.map((t) => `scam-type:${t.replace(/_/g, '-')}`);
    return {
      ...this.indicatorBase(input),
      name: `${input.level === 'high_risk' ? 'High-risk' : 'Suspicious'} ${input.observed.noun}`,
      description: [verdict.headline.en, ...verdict.reasons.map((r) => r.message.en)].join(' '),
      // Appendix A's scale: high risk is "likely", suspicious "even chance".
      confidence: input.level === 'high_risk' ? 85 : 50,
      ...(labels.length > 0 ? { labels } : {}),
    };
  }

  /**
   * The last version of an indicator whose entry left the feed (its reports lapsed, an officer cleared it, a
   * listing expired): revoked, for good (§3.6). Listed again, the entry gets a new indicator.
   */
  revoked(input: { id: string; observed: Observed; listedAt: string; modified: string; level: VerdictLevel }): StixObject {
    return {
      ...this.indicatorBase(input),
      revoked: true,
      name: `No longer listed: ${input.observed.noun}`,
      description: `Scamgraph no longer lists this ${input.observed.what} at this level: it is now ${input.level.replace('_', ' ')} (its reports lapsed, a listing expired, or an officer cleared or rated it).`,
      // §4.7.1: valid_until must be later than valid_from.
      ...(input.modified > input.listedAt ? { valid_until: input.modified } : {}),
    };
  }
}
