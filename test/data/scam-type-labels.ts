import { readFileSync } from 'node:fs';
import { DEMO_CAMPAIGNS } from '../../src/cli/demo-data.js';
import { prepareIndicators } from '../../src/modules/reports/report.intake.js';
import { suggestScamType } from '../../src/modules/reports/scam-type-suggester.js';
import { SCAM_TYPE_CODES, type IndicatorRole, type ScamType } from '../../src/modules/reports/taxonomy.js';
import { SHARED_DATA_DIR } from '../helpers/shared-data.js';

/**
 * The labelled set the scam-type suggester is measured on (see README.md beside this file): messages and
 * report narratives in English and Traditional Chinese, each with the type an officer would give it, and the
 * demo campaigns. Indicators come from the text the way intake finds them, so links and kinds count as in
 * production.
 */

export type Split = 'dev' | 'heldout';

export interface LabelledExample {
  id: string;
  lang: 'en' | 'zh-Hant';
  type: ScamType;
  split: Split | 'demo';
  text: string;
  indicators: { kind: string; canonical: string }[];
}

interface Row {
  id: string;
  lang: 'en' | 'zh-Hant';
  type: string;
  split: Split;
  text?: string;
  /** `FILE:LINE` in ../shared/data: a real message read from there rather than copied (its licence). */
  source?: string;
}

const SET_FILE = new URL('./scam-types.labelled.jsonl', import.meta.url);

/** The text of a `label<TAB>text` line of a shared data file, refusing anything but a spam message. */
function sharedText(source: string): string {
  const [file, line] = source.split(':') as [string, string];
  const row = readFileSync(SHARED_DATA_DIR + file, 'utf8').split('\n')[Number(line) - 1] ?? '';
  const [label, text] = row.split('\t');
  if (label !== 'spam' || text === undefined) throw new Error(`${source} is not a spam message (the shared data changed?)`);
  return text;
}

const indicatorsOf = (text: string, given: { value: string; role: string }[] = []) =>
  prepareIndicators(given.map((g) => ({ value: g.value, role: g.role as IndicatorRole })), text, 'HK').indicators.map(({ kind, canonical }) => ({ kind, canonical }));

/** Every example of the labelled set, or those of one split. */
export function labelledExamples(split?: Split): LabelledExample[] {
  const rows = readFileSync(SET_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Row);
  return rows
    .filter((r) => split === undefined || r.split === split)
    .map((r) => {
      if (!SCAM_TYPE_CODES.includes(r.type as ScamType)) throw new Error(`${r.id}: unknown scam type ${r.type}`);
      const text = r.source === undefined ? (r.text ?? '') : sharedText(r.source);
      return { id: r.id, lang: r.lang, type: r.type as ScamType, split: r.split, text, indicators: indicatorsOf(text) };
    });
}

/** The demo campaigns (src/cli/demo-data.ts) with their given and extracted indicators. */
export function demoExamples(): LabelledExample[] {
  return DEMO_CAMPAIGNS.map((c, i) => ({
    id: `demo.${i + 1}`,
    lang: 'en',
    type: c.scamType as ScamType,
    split: 'demo',
    text: c.narrative,
    indicators: indicatorsOf(c.narrative, c.indicators),
  }));
}

export interface Outcome {
  example: LabelledExample;
  suggested: ScamType;
  cues: string[];
}

export interface TypeFigures {
  type: ScamType;
  support: number;
  predicted: number;
  correct: number;
  /** null when the type was never suggested (precision undefined). */
  precision: number | null;
  /** null when no example has the type. */
  recall: number | null;
}

export interface Evaluation {
  outcomes: Outcome[];
  accuracy: number;
  byLang: Record<string, { n: number; accuracy: number }>;
  byType: TypeFigures[];
  /** label -> suggested pairs that disagree, most frequent first. */
  confusions: { label: ScamType; suggested: ScamType; count: number }[];
}

/** Runs the suggester over the examples and scores it against their labels. */
export function evaluate(examples: readonly LabelledExample[]): Evaluation {
  const outcomes = examples.map((example) => {
    const s = suggestScamType(example.text, example.indicators);
    return { example, suggested: s.scamType, cues: s.signals.map((x) => x.cue) };
  });
  const right = (o: Outcome) => o.suggested === o.example.type;
  const share = (list: Outcome[]) => (list.length === 0 ? 0 : list.filter(right).length / list.length);
  const byLang: Evaluation['byLang'] = {};
  for (const lang of new Set(examples.map((e) => e.lang))) {
    const mine = outcomes.filter((o) => o.example.lang === lang);
    byLang[lang] = { n: mine.length, accuracy: share(mine) };
  }
  const byType = SCAM_TYPE_CODES.map((type) => {
    const support = outcomes.filter((o) => o.example.type === type).length;
    const predicted = outcomes.filter((o) => o.suggested === type).length;
    const correct = outcomes.filter((o) => right(o) && o.suggested === type).length;
    return { type, support, predicted, correct, precision: predicted === 0 ? null : correct / predicted, recall: support === 0 ? null : correct / support };
  });
  const pairs = new Map<string, { label: ScamType; suggested: ScamType; count: number }>();
  for (const o of outcomes.filter((x) => !right(x))) {
    const key = `${o.example.type}>${o.suggested}`;
    const pair = pairs.get(key) ?? { label: o.example.type, suggested: o.suggested, count: 0 };
    pair.count++;
    pairs.set(key, pair);
  }
  const confusions = [...pairs.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { outcomes, accuracy: share(outcomes), byLang, byType, confusions };
}
