import { TIER_WEIGHTS, TYPE_CUES, type TypeCues } from './scam-type-cues.js';
import { SCAM_TYPES, SCAM_TYPE_CODES, type ScamType } from './taxonomy.js';

/**
 * Suggests a report's scam type from its narrative (English and Chinese) and indicators, and says which words
 * and signals drove the suggestion, so an officer sees why. A transparent keyword model on purpose: every
 * suggestion can be explained, officers' corrections are kept as labelled data, and its accuracy against
 * those labels is measured in the stats and by scripts/measure-suggester.ts on a labelled set (a learned model
 * can replace it when the labels justify one). The words and their weights are in scam-type-cues.ts.
 */

export interface TypeSignal {
  /** Where it was found. */
  source: 'narrative' | 'link' | 'indicator';
  /** The word, term or kind that matched (as written in the narrative, in lower case). */
  cue: string;
}

export interface TypeSuggestion {
  scamType: ScamType;
  label: (typeof SCAM_TYPES)[ScamType];
  /** Share of all matched weight that went to this type (0..1); 0 when nothing convincing matched (then `other`). */
  confidence: number;
  signals: TypeSignal[];
}

/** Below this a type is not suggested: one weak word ("card", "order") is no evidence. */
const MIN_SCORE = 1;
const LINK_WEIGHT = 1.5;
const KIND_WEIGHT = 1.5;

const HAN = /\p{Script=Han}/u;

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const alternativesOf = (words: readonly string[]): string =>
  words.map((w) => w.toLowerCase()).map((w) => (w.endsWith('*') ? `${escape(w.slice(0, -1))}[\\p{L}-]*` : `${escape(w)}(?:e?s)?`)).join('|');

/**
 * One whole-word pattern for English cues (optional plural, `*` for any ending), a capture group per list:
 * one scan of the text finds every tier's words, and a longer, stronger phrase wins over a word inside it.
 */
function englishPattern(lists: readonly (readonly string[])[]): RegExp | null {
  if (lists.every((words) => words.length === 0)) return null;
  const groups = lists.map((words) => (words.length === 0 ? '((?!))' : `(${alternativesOf(words)})`));
  // Matched against lower-cased text: without the `i` flag the engine is twice as fast on these alternations.
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${groups.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

/**
 * Whether one cue of scam-type-cues.ts occurs in a text the way the suggester reads it (for the test that
 * keeps the held-out split out of the tuning).
 */
export function cueOccursIn(cue: string, text: string): boolean {
  const folded = text.normalize('NFKC');
  return HAN.test(cue) ? folded.toLowerCase().includes(cue.toLowerCase()) : (englishPattern([[cue]]) as RegExp).test(folded.toLowerCase());
}

interface CompiledType {
  type: ScamType;
  /** English cues, a capture group per tier (strong, cue, weak). */
  en: RegExp | null;
  /** Chinese terms, longest first, with their weights. */
  zh: { weight: number; term: string }[];
  patterns: RegExp[];
  ignore: RegExp | null;
  /** Chinese phrases blanked out of the text before this type's Chinese terms are looked for. */
  ignoreZh: readonly string[];
  link: readonly string[];
  kinds: readonly string[];
}

function compile(type: ScamType, cues: TypeCues): CompiledType {
  const tiers = ['strong', 'cue', 'weak'] as const;
  const en = englishPattern(tiers.map((tier) => cues[tier]?.en ?? []));
  const zh = tiers
    .flatMap((tier) => (cues[tier]?.zh ?? []).map((term) => ({ weight: TIER_WEIGHTS[tier], term: term.toLowerCase() })))
    .sort((a, b) => b.term.length - a.term.length);
  const patterns = (cues.patterns ?? []).map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`));
  const ignore = cues.ignore ?? [];
  const ignoreZh = ignore.filter((phrase) => HAN.test(phrase));
  return { type, en, zh, patterns, ignore: englishPattern([ignore.filter((phrase) => !HAN.test(phrase))]), ignoreZh, link: cues.link ?? [], kinds: cues.kinds ?? [] };
}

/** Built once, in the taxonomy's order (which also breaks ties). */
const COMPILED: CompiledType[] = SCAM_TYPE_CODES.filter((t) => TYPE_CUES[t] !== undefined).map((t) => compile(t, TYPE_CUES[t] as TypeCues));

/** Character ranges of the text covered by a type's `ignore` phrases. */
function ignoredRanges(text: string, ignore: RegExp | null): [number, number][] {
  if (ignore === null) return [];
  return [...text.matchAll(ignore)].map((m) => [m.index, m.index + m[0].length]);
}

/** The most likely scam type of a report and the signals behind it. Pure, no I/O: it runs on every report shown. */
export function suggestScamType(narrative: string, indicators: readonly { kind: string; canonical: string }[]): TypeSuggestion {
  // Every match runs on this one lower-cased text, so the ranges claimed by patterns, words and ignored
  // phrases index the same string.
  const text = narrative.normalize('NFKC').toLowerCase();
  const hasHan = HAN.test(text);
  const linkWords = new Set(
    indicators.filter((i) => i.kind === 'url' || i.kind === 'domain').flatMap((i) => i.canonical.toLowerCase().split(/[^a-z0-9]+/)),
  );
  let best: { type: ScamType; score: number; signals: TypeSignal[] } | null = null;
  let total = 0;
  for (const c of COMPILED) {
    let score = 0;
    const signals: TypeSignal[] = [];
    const add = (weight: number, signal: TypeSignal): void => {
      if (signals.some((s) => s.source === signal.source && s.cue === signal.cue)) return;
      score += weight;
      signals.push(signal);
    };
    // A word counts once, in its strongest reading: "card" inside "credit card", 借 inside 借錢, and nothing
    // inside a phrase the type ignores ("line rental").
    const claimed = ignoredRanges(text, c.ignore);
    const claim = (from: number, to: number): boolean => {
      if (claimed.some(([f, t]) => from < t && to > f)) return false;
      claimed.push([from, to]);
      return true;
    };
    for (const pattern of c.patterns) {
      for (const m of text.matchAll(pattern)) if (claim(m.index, m.index + m[0].length)) add(TIER_WEIGHTS.strong, { source: 'narrative', cue: m[0] });
    }
    if (c.en !== null) {
      for (const m of text.matchAll(c.en)) {
        const tier = m[1] !== undefined ? 'strong' : m[2] !== undefined ? 'cue' : 'weak';
        if (claim(m.index, m.index + m[0].length)) add(TIER_WEIGHTS[tier], { source: 'narrative', cue: m[0] });
      }
    }
    if (hasHan) {
      const zhText = c.ignoreZh.reduce((t, phrase) => t.replaceAll(phrase, ' '), text);
      const found: string[] = [];
      for (const { weight, term } of c.zh) {
        if (!zhText.includes(term) || found.some((longer) => longer.includes(term))) continue;
        found.push(term);
        add(weight, { source: 'narrative', cue: term });
      }
    }
    for (const word of c.link) if (linkWords.has(word)) add(LINK_WEIGHT, { source: 'link', cue: word });
    for (const kind of c.kinds) if (indicators.some((i) => i.kind === kind)) add(KIND_WEIGHT, { source: 'indicator', cue: kind });
    total += score;
    if (score >= MIN_SCORE && (best === null || score > best.score)) best = { type: c.type, score, signals };
  }
  if (best === null) return { scamType: 'other', label: SCAM_TYPES.other, confidence: 0, signals: [] };
  return { scamType: best.type, label: SCAM_TYPES[best.type], confidence: best.score / total, signals: best.signals };
}
