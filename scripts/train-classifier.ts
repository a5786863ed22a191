// Trains the scam classifier: `node --import tsx scripts/train-classifier.ts`.
// Reads the training side of the English SMS Spam Collection (../shared/data) and of
// test/data/messages.zh-Hant.jsonl (never their held-out rows), trains, and writes
// src/modules/messages/classifier-model.json. test/data/classifier.test.ts retrains the same way and expects
// the same file, so run this after changing the data, the features or the trainer.
import { writeFileSync } from 'node:fs';
import { trainClassifier } from '../src/modules/messages/classifier.js';
import { trainingExamples } from './classifier-data.js';

/** Where the committed model lives. */
export const MODEL_FILE = new URL('../src/modules/messages/classifier-model.json', import.meta.url);

const started = performance.now();
const examples = trainingExamples();
const model = trainClassifier(examples);
const seconds = (performance.now() - started) / 1000;
const json = JSON.stringify(model) + '\n';
writeFileSync(MODEL_FILE, json);

const byRegion = new Map<string, { n: number; scam: number }>();
for (const e of examples) {
  const c = byRegion.get(e.region ?? '') ?? { n: 0, scam: 0 };
  c.n++;
  if (e.label === 'scam') c.scam++;
  byRegion.set(e.region ?? '', c);
}
const { options } = model.training;
console.log(`trained on ${examples.length} messages (${[...byRegion].map(([r, c]) => `region ${r}: ${c.n}, ${c.scam} scam`).join('; ')}), held-out rows unread`);
console.log(`options: ${JSON.stringify(options)}`);
console.log(`features kept: ${model.training.features} (|weight| >= ${options.prune})`);
console.log(`thresholds: ${model.threshold.chosenBy}`);
for (const script of ['latin', 'han'] as const) {
  const t = model.threshold[script];
  console.log(`  ${script}: margin ${t.margin}; out-of-fold on ${t.messages} messages: precision ${t.cvPrecision}, recall ${t.cvRecall}`);
}
const top = Object.entries(model.weights).sort((a, b) => b[1] - a[1]);
console.log(`strongest toward scam: ${top.slice(0, 12).map(([k, w]) => `${k.slice(2)} ${w.toFixed(2)}`).join(', ')}`);
console.log(`strongest toward not scam: ${top.slice(-12).reverse().map(([k, w]) => `${k.slice(2)} ${w.toFixed(2)}`).join(', ')}`);
console.log(`wrote ${MODEL_FILE.pathname} (${(Buffer.byteLength(json) / 1024).toFixed(0)} KiB) in ${seconds.toFixed(1)} s`);
