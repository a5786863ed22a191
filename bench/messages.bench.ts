import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { classifyMessage } from '../src/modules/messages/classifier.js';
import { openScamgraph } from '../src/main.js';
import { suggestScamType } from '../src/modules/reports/scam-type-suggester.js';
import { compare, type Comparison } from './harness.js';

// `npm run bench -- messages`: forwarded messages per second through the intake (classifier, template,
// message row, report, evidence) beside a public report of the same sender and text through the report
// intake; and messages per second through `classify` beside the scam-type suggester, the keyword model that
// already reads every report's narrative, on the same texts.

const SECRET = Buffer.alloc(32, 9).toString('base64');
const SMS = new URL('../../shared/data/sms-spam-collection/train.tsv', import.meta.url);

/** Real SMS texts when the shared data is there (3,893), else a labelled stand-in of the same shape. */
function texts(): string[] {
  if (existsSync(SMS)) return readFileSync(SMS, 'utf8').split('\n').filter(Boolean).map((line) => line.slice(line.indexOf('\t') + 1));
  return Array.from({ length: 2000 }, (_, i) => `Your parcel ${i} is held. Pay HK$${i % 90}.50 at https://depot-${i}.top/p or call 6123 ${String(4000 + i).padStart(4, '0')}.`);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

export async function messageBenchmarks(): Promise<Comparison[]> {
  const all = texts();
  console.log(`messages: ${all.length.toLocaleString('en-US')} SMS texts${existsSync(SMS) ? ' (SMS Spam Collection, train.tsv)' : ' (generated stand-in)'}`);

  const classify = compare({ inputs: all }, (text) => suggestScamType(text, []), (text) => classifyMessage(text));

  const config = { ...loadConfig({ SCAMGRAPH_SECRET_KEY: SECRET }), databaseUrl: null, dataDir: 'memory://' };
  const sg = await openScamgraph(config, { loadIndex: true });
  const intake: { report: number[]; forward: number[] } = { report: [], forward: [] };
  try {
    const batch = 200;
    let next = 0;
    // Each round takes fresh texts, so neither side meets a repeat; rounds alternate so load hits both alike.
    for (let round = 0; round < 5; round++) {
      for (const side of ['report', 'forward'] as const) {
        const started = performance.now();
        for (let i = 0; i < batch; i++) {
          const text = `${all[next % all.length]} #${next}`.slice(0, 5000);
          const sender = `+8526${String(1_000_000 + next).slice(-7)}`;
          const address = `10.${(next >> 8) & 255}.${next & 255}.1`;
          next++;
          if (side === 'report') await sg.reports.submit({ scamType: 'other', channel: 'sms', narrative: text, indicators: [{ value: sender, role: 'sender' }] }, address);
          else await sg.messages.forward({ channel: 'sms', sender, text }, sg.messages.publicForwarder(undefined, address), 'en');
        }
        if (round > 0) intake[side].push(batch / ((performance.now() - started) / 1000));
      }
    }
  } finally {
    await sg.close();
  }
  const forwards = median(intake.forward);
  const reports = median(intake.report);
  return [
    {
      name: 'messages: intake (embedded database)',
      unit: 'messages/s',
      baselineName: 'POST report of the same text',
      baseline: reports,
      candidate: forwards,
      target: '≥ 0.50×',
      pass: forwards >= 0.5 * reports,
    },
    {
      name: 'messages: classify',
      unit: 'messages/s',
      baselineName: 'type suggester, same texts',
      baseline: classify.baseline,
      candidate: classify.candidate,
      target: '≥ 0.50×',
      pass: classify.candidate >= 0.5 * classify.baseline,
    },
  ];
}
