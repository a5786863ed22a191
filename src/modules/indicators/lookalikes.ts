import { distance } from 'fastest-levenshtein';
import { parse as parseDomain } from 'tldts';
import { toUnicode } from 'tr46';
import { skeleton } from './confusables.js';
import { toAsciiDomain } from './domain.js';
import { IndicatorError, MAX_VALUE_LENGTH } from './indicator.types.js';
import { prepareValue } from './text.js';
import { PSL_WITH_PRIVATE, canonicalizeUrl } from './url.js';

export type LookalikeReasonCode =
  | 'HOMOGLYPH' // same skeleton, different characters: hsbс.com with a Cyrillic с
  | 'PUNYCODE' // the name is an internationalized (xn--) host
  | 'SAME_NAME_OTHER_SUFFIX' // hsbc.com.hk → hsbc.co
  | 'EDIT_DISTANCE' // hbsc.com.hk, hsbcc.com
  | 'BRAND_EMBEDDED' // hsbc-secure-login.com, hsbc.com.hk.evil.top
  | 'UNREGISTERED_SENDER'; // HSBC imitating the registered #HSBC

export interface LookalikeReason {
  code: LookalikeReasonCode;
  detail: string;
}

export interface Lookalike {
  /** The protected domain or sender ID imitated. */
  protected: string;
  kind: 'domain' | 'sms_sender';
  /** 0..1, higher is a closer imitation. */
  score: number;
  reasons: LookalikeReason[];
}

interface ProtectedDomain {
  value: string;
  registrable: string;
  label: string;
  skeleton: string;
}

interface ProtectedSender {
  value: string;
  folded: string;
  skeleton: string;
}

/** Protected names prepared once (skeletons, labels) for repeated lookalikes() calls. */
export interface ProtectedSet {
  domains: ProtectedDomain[];
  senders: ProtectedSender[];
}

type ScoredReason = LookalikeReason & { score: number };

function reason(code: LookalikeReasonCode, score: number, detail: string): ScoredReason {
  return { code, score, detail };
}

/** Levenshtein distance, with one swap of adjacent characters counted as one edit (hbsc for hsbc). */
function editDistance(a: string, b: string): number {
  const d = distance(a, b);
  if (d !== 2 || a.length !== b.length) return d;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  const [i, j] = diff;
  return diff.length === 2 && j === (i as number) + 1 && a[i as number] === b[j] && a[j] === b[i as number] ? 1 : d;
}

function domainLabel(host: string): { registrable: string; label: string; subdomain: string } {
  const info = parseDomain(host, PSL_WITH_PRIVATE);
  return { registrable: info.domain ?? host, label: info.domainWithoutSuffix ?? host, subdomain: info.subdomain ?? '' };
}

function senderCore(sender: string): string {
  return skeleton(sender.replace(/^#/, '').replace(/[\s._&'-]+/g, ''));
}

/** Prepares protected domains (`hsbc.com.hk`) and SMS sender IDs (`#HSBC`) for lookalikes(). */
export function buildProtectedSet(names: readonly string[]): ProtectedSet {
  const set: ProtectedSet = { domains: [], senders: [] };
  for (const name of names) {
    if (name.startsWith('#') || !name.includes('.')) {
      set.senders.push({ value: name, folded: name.toLowerCase(), skeleton: senderCore(name) });
    } else {
      const ascii = toAsciiDomain(name);
      const { registrable, label } = domainLabel(ascii);
      const unicodeLabel = toUnicode(label, {}).domain;
      set.domains.push({ value: ascii, registrable, label: unicodeLabel, skeleton: skeleton(unicodeLabel) });
    }
  }
  return set;
}

/** Edit distance allowed for a label of this length: none for short brands, where one edit is a new word. */
function allowedDistance(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

function hostOf(name: string): string {
  return name.includes('/') || /^[a-z]+:/i.test(name) ? canonicalizeUrl(name).host : toAsciiDomain(name);
}

function compareDomain(host: string, p: ProtectedDomain): ScoredReason[] {
  const { registrable, label: asciiLabel, subdomain } = domainLabel(host);
  if (registrable === p.registrable) return [];
  const label = toUnicode(asciiLabel, {}).domain;
  const labelSkeleton = skeleton(label);
  const reasons: ScoredReason[] = [];
  if (labelSkeleton === p.skeleton && label !== p.label) {
    reasons.push(reason('HOMOGLYPH', 0.95, `“${label}” looks the same as “${p.label}” but uses other characters`));
  } else if (label === p.label) {
    reasons.push(reason('SAME_NAME_OTHER_SUFFIX', 0.9, `the name “${label}” under another suffix than ${p.value}`));
  } else {
    const d = editDistance(labelSkeleton, p.skeleton);
    if (d > 0 && d <= allowedDistance(p.skeleton.length)) {
      reasons.push(reason('EDIT_DISTANCE', 0.95 - 0.1 * d, `“${label}” is ${d} edit${d > 1 ? 's' : ''} away from “${p.label}”`));
    }
  }
  if (reasons.length === 0 && p.skeleton.length >= 3) {
    // A whole word of the host (hsbc-login, hsbc.com.hk.evil.top) is a strong sign; inside a word, weaker.
    const asWord = `${subdomain}.${label}`.split(/[.-]+/).map(skeleton).includes(p.skeleton);
    if (asWord || (p.skeleton.length >= 4 && labelSkeleton.includes(p.skeleton))) {
      reasons.push(reason('BRAND_EMBEDDED', asWord ? 0.8 : 0.6, `contains the name “${p.label}” inside another domain (${registrable})`));
    }
  }
  if (reasons.length > 0 && host.includes('xn--')) {
    reasons.push(reason('PUNYCODE', 0, `an internationalized name, shown by browsers as ${toUnicode(host, {}).domain}`));
  }
  return reasons;
}

function compareSender(sender: string, p: ProtectedSender): ScoredReason[] {
  if (sender.toLowerCase() === p.folded) return [];
  const core = senderCore(sender);
  if (core === p.skeleton) {
    return [reason(p.value.startsWith('#') ? 'UNREGISTERED_SENDER' : 'HOMOGLYPH', 0.95, `“${sender}” imitates the registered sender ${p.value}`)];
  }
  const d = editDistance(core, p.skeleton);
  if (d <= allowedDistance(p.skeleton.length)) {
    return [reason('EDIT_DISTANCE', 0.95 - 0.1 * d, `“${sender}” is ${d} edit${d > 1 ? 's' : ''} away from ${p.value}`)];
  }
  if (p.skeleton.length >= 3 && core.includes(p.skeleton)) {
    return [reason('BRAND_EMBEDDED', 0.8, `“${sender}” contains the registered sender name ${p.value}`)];
  }
  return [];
}

/**
 * Which protected domains or SMS sender IDs `name` (a domain, a link or a sender ID) imitates, and why:
 * Unicode confusables (UTS #39 skeleton) and punycode, edit distance on the label without its public suffix,
 * the same name under another suffix, a protected name embedded in another registrable domain. Best first.
 * A name that is not a valid domain or sender ID imitates nothing.
 */
export function lookalikes(name: string, protectedNames: ProtectedSet | readonly string[]): Lookalike[] {
  const set = Array.isArray(protectedNames) ? buildProtectedSet(protectedNames) : (protectedNames as ProtectedSet);
  const results: Lookalike[] = [];
  if (typeof name !== 'string' || name.length > MAX_VALUE_LENGTH) return [];
  name = prepareValue(name); // pasted forms: hxxps://hsbc-secure[.]com
  const isSender = name.startsWith('#') || !name.includes('.');
  let host = '';
  if (!isSender) {
    try {
      host = hostOf(name);
    } catch (error) {
      if (error instanceof IndicatorError) return [];
      throw error;
    }
  }
  const candidates = isSender ? set.senders : set.domains;
  for (const p of candidates) {
    const reasons = isSender ? compareSender(name, p as ProtectedSender) : compareDomain(host, p as ProtectedDomain);
    if (reasons.length === 0) continue;
    const score = Math.round(Math.max(...reasons.map((r) => r.score)) * 100) / 100;
    results.push({ protected: p.value, kind: isSender ? 'sms_sender' : 'domain', score, reasons: reasons.map(({ code, detail }) => ({ code, detail })) });
  }
  return results.sort((a, b) => b.score - a.score);
}
