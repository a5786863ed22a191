import { IndicatorError } from '../indicators/index.js';
import { deletions, EDIT_MIN_CORE, entryState, foldSenderId, hongKongDay, plainCore, senderCore, type PreparedEntry, type RegistryView } from './registry-view.js';
import { senderReason } from './sender-assessment.texts.js';
import type { RegistryEntry, SenderAssessment, SenderReason, SenderReasonCode } from './sender-registry.types.js';

/** Longer than any sender ID with room for a pasted one's spaces; anything longer is not a sender. */
const MAX_SENDER_LENGTH = 64;
/** Affix rules read cores up to this long: an 11-character ID with a few added; beyond it a pasted sentence. */
const MAX_AFFIX_CORE = 24;
/** A registered core this long is rarely a part of an unrelated word, so it counts anywhere inside another ID. */
const CONTAINED_MIN_CORE = 5;
/** The `#` of the scheme, and the look-alike `#`s (full-width, small) a spoof may show instead. */
const HASH_VARIANTS = /^[#＃﹟]/;

type LookalikeRule = Extract<SenderReasonCode, 'CONFUSABLE' | 'MISSING_HASH' | 'AFFIX' | 'EDIT_DISTANCE'>;

/** Which explanation leads when one entry is imitated several ways, and which imitation is the closest. */
const RULE_ORDER: LookalikeRule[] = ['CONFUSABLE', 'MISSING_HASH', 'AFFIX', 'EDIT_DISTANCE'];
const RULE_RANK: Record<LookalikeRule, number> = { CONFUSABLE: 3, MISSING_HASH: 3, AFFIX: 2, EDIT_DISTANCE: 2 };

interface Match {
  p: PreparedEntry;
  rule: LookalikeRule;
}

/**
 * Whether `a` and `b` are exactly one edit apart: one character replaced, added or dropped, or two neighbours
 * swapped (`HSCB` for `HSBC`, as lookalikes.ts counts a swap). A linear scan without allocation: a crowded
 * registry (`#HK…` IDs) gives a few hundred candidates to verify.
 */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const copy = (e: RegistryEntry): RegistryEntry => ({ senderId: e.senderId, organisation: e.organisation, status: e.status, registeredOn: e.registeredOn, expiresOn: e.expiresOn });

/** A registered entry's own answer: registered only while active and within its dates. */
function exactAnswer(sender: string, entry: RegistryEntry, day: string): SenderAssessment {
  const state = entryState(entry, day);
  const answer = (status: SenderAssessment['status'], code: SenderReasonCode): SenderAssessment => ({ sender, status, entry: copy(entry), reasons: [senderReason(code, sender, entry)] });
  if (state === 'in_force') return answer('registered', 'REGISTERED');
  if (state === 'suspended') return answer('suspended', 'SUSPENDED');
  if (state === 'expired') return answer('expired', 'EXPIRED');
  // Before its first day the ID is not registered, and the scheme's gateways deliver no message showing it.
  return answer('unregistered_hash', 'NOT_YET_REGISTERED');
}

/** Every way `body` (the sender without its `#`) imitates a registered entry. */
function lookalikeMatches(body: string, noHash: boolean, view: RegistryView): Match[] {
  const plain = plainCore(body);
  const core = senderCore(body);
  if (core === '') return [];
  const matches: Match[] = [];
  const add = (list: readonly PreparedEntry[] | undefined, rule: LookalikeRule, accept: (p: PreparedEntry) => boolean = () => true): void => {
    for (const p of list ?? []) if (accept(p)) matches.push({ p, rule });
  };
  // The same skeleton: case, separators, confusable letters and digits (`#H5BC`, Cyrillic `#НSВС`, `#HS-BC`),
  // or exactly the registered ID without its `#` (`HSBC`), which people are taught to look for.
  add(view.byCore.get(core), 'CONFUSABLE', (p) => !(noHash && p.plain === plain));
  add(view.byCore.get(core), 'MISSING_HASH', (p) => noHash && p.plain === plain);

  const chars = [...core];
  const n = chars.length;
  // One edit (a swap included) between cores of 4+ characters: `#HSCB`, `#HSBX`, `#HSBCC`. Shorter ones are
  // left out on either side: one edit from `DBS` is as likely another name as an imitation, and `SBC` or `HSB`
  // are names of their own rather than `HSBC` misspelt.
  if (n >= EDIT_MIN_CORE) {
    const oneEdit = (p: PreparedEntry): boolean => p.core.length >= EDIT_MIN_CORE && oneEditApart(core, p.core);
    add(view.byDeletion.get(core), 'EDIT_DISTANCE', oneEdit);
    for (const d of deletions(core)) {
      add(view.byCore.get(d), 'EDIT_DISTANCE', oneEdit);
      add(view.byDeletion.get(d), 'EDIT_DISTANCE', oneEdit);
    }
  }
  if (n > MAX_AFFIX_CORE) return matches;
  // A registered ID with something before or after it (`#HSBC1`, `HSBCHK`, `MyHSBC`): spoofers keep the brand
  // and add a word so the ID passes as new. For a 3-character ID only digits count (`BOC1`): letters make
  // other names (`BOCA`); a 2-character ID inside another is no sign at all.
  const digitsBeside = (k: number, atStart: boolean): boolean =>
    plain.length === n && /^\d{1,4}$/.test(atStart ? plain.slice(k) : plain.slice(0, n - k));
  for (let k = 3; k < n; k++) {
    add(view.byCore.get(chars.slice(0, k).join('')), 'AFFIX', () => k >= 4 || digitsBeside(k, true));
    add(view.byCore.get(chars.slice(n - k).join('')), 'AFFIX', () => k >= 4 || digitsBeside(k, false));
  }
  // A registered ID as a word of its own (`HSBC-Alert`, `HSBC_HK`, `HK-BOC-Info`): a separator makes even a
  // 3-character brand stand out as the brand.
  const words = body.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  if (words.length >= 2) {
    for (const word of words) {
      const wordCore = senderCore(word);
      if ([...wordCore].length >= 3) add(view.byCore.get(wordCore), 'AFFIX');
    }
  }
  // A long registered core inside another (`MyHKPostHK`): at 5+ characters this is seldom chance.
  for (let len = CONTAINED_MIN_CORE; len <= n - 2; len++) {
    for (let i = 1; i + len < n; i++) add(view.byCore.get(chars.slice(i, i + len).join('')), 'AFFIX');
  }
  return matches;
}

/** The closest imitation: the strongest rule, then an entry in force, then the longest (most specific) ID. */
function closest(matches: Match[], day: string): { p: PreparedEntry; rules: LookalikeRule[] } {
  const byEntry = new Map<PreparedEntry, Set<LookalikeRule>>();
  for (const m of matches) {
    const rules = byEntry.get(m.p) ?? new Set<LookalikeRule>();
    rules.add(m.rule);
    byEntry.set(m.p, rules);
  }
  const score = (p: PreparedEntry, rules: Set<LookalikeRule>): number[] => [
    Math.max(...[...rules].map((r) => RULE_RANK[r])),
    entryState(p.entry, day) === 'in_force' ? 1 : 0,
    p.core.length,
  ];
  const ahead = (a: number[], b: number[]): boolean => {
    const i = a.findIndex((v, k) => v !== b[k]);
    return i !== -1 && (a[i] as number) > (b[i] as number);
  };
  let best: { p: PreparedEntry; rules: Set<LookalikeRule>; score: number[] } | null = null;
  for (const [p, rules] of byEntry) {
    const s = score(p, rules);
    if (best === null || ahead(s, best.score)) best = { p, rules, score: s };
  }
  const chosen = best as { p: PreparedEntry; rules: Set<LookalikeRule> };
  return { p: chosen.p, rules: RULE_ORDER.filter((r) => chosen.rules.has(r)) };
}

/**
 * What the registry says of a sender ID at `now`: `registered` (active, within its dates), `suspended`,
 * `expired`, `lookalike` of a registered ID (the entry imitated, and how), `unregistered_hash` (a `#` ID that
 * is not registered: a spoof), or `not_registered` (an ordinary ID, which the scheme does not vouch for).
 * Case is not part of an ID. An empty registry proves nothing about `#` IDs, so none is called a spoof then.
 * Pure; a handful of map lookups however large the registry (see RegistryView).
 */
export function assessSender(sender: string, registry: RegistryView, now: Date): SenderAssessment {
  const given = sender.trim().replace(/\s+/g, ' ');
  if (given === '') throw new IndicatorError('EMPTY_INPUT', 'No sender ID given.');
  if (given.length > MAX_SENDER_LENGTH) throw new IndicatorError('INPUT_TOO_LONG', `A sender ID is at most ${MAX_SENDER_LENGTH} characters.`);
  const day = hongKongDay(now);
  const exact = registry.byId.get(foldSenderId(given));
  if (exact !== undefined) return exactAnswer(given, exact.entry, day);

  const hash = given.startsWith('#');
  const matches = lookalikeMatches(given.replace(HASH_VARIANTS, ''), !HASH_VARIANTS.test(given), registry);
  const reasons: SenderReason[] = [];
  if (matches.length > 0) {
    const { p, rules } = closest(matches, day);
    // One explanation of the imitation is enough for the public; the strongest leads.
    reasons.push(senderReason(rules[0] as LookalikeRule, given, p.entry));
    if (hash) reasons.push(senderReason('UNREGISTERED_HASH', given));
    return { sender: given, status: 'lookalike', entry: copy(p.entry), reasons };
  }
  if (hash && registry.size > 0) return { sender: given, status: 'unregistered_hash', reasons: [senderReason('UNREGISTERED_HASH', given)] };
  return { sender: given, status: 'not_registered', reasons: [senderReason('NOT_REGISTERED', given)] };
}
