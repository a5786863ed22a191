// Measures the scam-type suggester: `node --import tsx scripts/measure-suggester.ts [--misses]`.
// Prints, for the demo campaigns and for each split of test/data/scam-types.labelled.jsonl, overall accuracy
// (and per language), per-type support, precision and recall, and the most frequent confusions. `--misses`
// lists the misclassified examples of the demo and the DEV split only: the held-out split is for reading
// figures, not for tuning, so its examples are never listed.
import { demoExamples, evaluate, labelledExamples, type Evaluation } from '../test/data/scam-type-labels.js';

const showMisses = process.argv.includes('--misses');
const pct = (x: number | null): string => (x === null ? '   -' : (100 * x).toFixed(0).padStart(4));

function report(title: string, e: Evaluation, listMisses: boolean): void {
  const n = e.outcomes.length;
  const right = e.outcomes.filter((o) => o.suggested === o.example.type).length;
  const langs = Object.entries(e.byLang).map(([lang, v]) => `${lang} ${pct(v.accuracy).trim()}% of ${v.n}`).join(', ');
  console.log(`\n== ${title}: ${n} examples, accuracy ${pct(e.accuracy).trim()}% (${right}/${n}; ${langs})`);
  console.log(`${'type'.padEnd(32)}support  suggested  precision  recall`);
  for (const t of e.byType) {
    if (t.support === 0 && t.predicted === 0) continue;
    console.log(`${t.type.padEnd(32)}${String(t.support).padStart(7)}${String(t.predicted).padStart(11)}${pct(t.precision).padStart(10)}%${pct(t.recall).padStart(7)}%`);
  }
  const measured = e.byType.filter((t) => t.support > 0);
  const mean = (xs: (number | null)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0) / xs.length;
  console.log(`macro average over ${measured.length} types: precision ${pct(mean(measured.map((t) => t.precision))).trim()}%, recall ${pct(mean(measured.map((t) => t.recall))).trim()}%`);
  if (e.confusions.length > 0) {
    console.log('confusions (label -> suggested: count): ' + e.confusions.slice(0, 12).map((c) => `${c.label} -> ${c.suggested}: ${c.count}`).join('; '));
  }
  if (listMisses) {
    for (const o of e.outcomes.filter((x) => x.suggested !== x.example.type)) {
      console.log(`  miss ${o.example.id}: ${o.example.type} -> ${o.suggested} [${o.cues.join(', ')}] ${o.example.text.slice(0, 110)}`);
    }
  }
}

report('demo campaigns (src/cli/demo-data.ts)', evaluate(demoExamples()), showMisses);
report('labelled set, dev split (tuned on)', evaluate(labelledExamples('dev')), showMisses);
report('labelled set, held-out split (never tuned on)', evaluate(labelledExamples('heldout')), false);
report('labelled set, all', evaluate(labelledExamples()), false);
