// Measures the campaign grouping on test/data/campaigns.labelled.jsonl: `node --import tsx scripts/measure-campaigns.ts`.
// Prints pairwise and B-cubed precision and recall, groups found against true campaigns, and the worst merges
// and splits with example texts. `--threshold 0.6` tries another join threshold; `--speed` also times
// signatures and index adds over 100,000 messages (copies of the set's campaigns and distinct chat-like texts).
import { readFileSync } from 'node:fs';
import { CampaignIndex, JOIN_THRESHOLD } from '../src/modules/messages/campaign-index.js';
import { groupingQuality } from '../src/modules/messages/grouping-quality.js';
import { templateOf } from '../src/modules/messages/template-signature.js';
import { CAMPAIGN_SET_PATH, makeCampaignSet, type LabelledMessage } from './make-campaign-set.js';

const at = process.argv.indexOf('--threshold');
const threshold = at > 0 ? Number(process.argv[at + 1]) : JOIN_THRESHOLD;
const set = readFileSync(CAMPAIGN_SET_PATH, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as LabelledMessage);
const byId = new Map(set.map((m) => [m.id, m]));
const index = new CampaignIndex(threshold);
const grouping = new Map(set.map((m) => [m.id, index.add(m.id, templateOf(m.text).signature)]));
const q = groupingQuality(new Map(set.map((m) => [m.id, m.campaign])), grouping);

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const show = (id: string): string => `${id} [${byId.get(id)!.campaign ?? 'alone'}] ${byId.get(id)!.text.replace(/\s+/g, ' ').slice(0, 110)}`;
const sizes = new Map<string, number>();
for (const g of grouping.values()) sizes.set(g, (sizes.get(g) ?? 0) + 1);
console.log(`${set.length} messages: ${q.trueCampaigns} campaigns and ${q.nullMessages} messages of none; join threshold ${threshold}`);
console.log(`pairwise  precision ${pct(q.pairwisePrecision)}  recall ${pct(q.pairwiseRecall)}`);
console.log(`B-cubed   precision ${pct(q.bcubedPrecision)}  recall ${pct(q.bcubedRecall)}`);
console.log(`groups found ${q.groups}, ${[...sizes.values()].filter((n) => n > 1).length} of them with 2+ messages; true ${q.trueCampaigns + q.nullMessages} (${q.trueCampaigns} campaigns + ${q.nullMessages} alone)`);
console.log(`\nworst merges (${q.merges.length} groups hold more than one true campaign):`);
for (const m of q.merges.slice(0, 5)) {
  console.log(`  group ${m.group}: ${m.wrongPairs} wrong pairs`);
  for (const part of m.parts.slice(0, 3)) console.log(`    ${part.ids.length} × ${show(part.ids[0]!)}`);
}
console.log(`\nworst splits (${q.splits.length} campaigns in more than one group):`);
for (const s of q.splits.slice(0, 5)) {
  console.log(`  ${s.campaign}: ${s.missedPairs} missed pairs, parts of ${s.parts.map((p) => p.ids.length).join(' + ')}`);
  for (const part of s.parts.slice(0, 3)) console.log(`    ${show(part.ids[0]!)}`);
}

if (process.argv.includes('--speed')) {
  const N = 100_000;
  // Half copies of the set's campaigns (other seeds: other values and edits), half distinct texts of random
  // words, which start campaigns of their own: the case where every add looks and finds nothing.
  const texts: string[] = [];
  for (let seed = 1; texts.length < N / 2; seed++) for (const m of makeCampaignSet(seed)) if (m.campaign !== null) texts.push(m.text);
  texts.length = N / 2;
  let x = 12345;
  const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296);
  const syllables = ['ka', 'lo', 'mi', 'shan', 'tor', 'ven', 'ri', 'pa', 'dun', 'ew', 'sa', 'quo', 'ling', 'ba', 'ter'];
  const word = () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
  while (texts.length < N) texts.push(Array.from({ length: 8 + Math.floor(rand() * 20) }, word).join(' '));
  for (let i = texts.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [texts[i], texts[j]] = [texts[j]!, texts[i]!];
  }
  let t = performance.now();
  const signatures = texts.map((text) => templateOf(text).signature);
  const signing = (performance.now() - t) / 1000;
  const big = new CampaignIndex(threshold);
  t = performance.now();
  for (let i = 0; i < N; i++) big.add(`s${i}`, signatures[i]!);
  const adding = (performance.now() - t) / 1000;
  const campaigns = new Map<string, number>();
  for (const [, c] of big.entries()) campaigns.set(c, (campaigns.get(c) ?? 0) + 1);
  console.log(`\nspeed over ${N} messages: signatures ${Math.round(N / signing)}/s (${signing.toFixed(1)} s), adds ${Math.round(N / adding)}/s (${adding.toFixed(2)} s)`);
  console.log(`  ${campaigns.size} groups, ${[...campaigns.values()].filter((n) => n > 1).length} with 2+ messages, largest ${Math.max(...campaigns.values())}; heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
}
