import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TYPE_CUES } from '../../src/modules/reports/scam-type-cues.js';
import { cueOccursIn } from '../../src/modules/reports/scam-type-suggester.js';
import { SCAM_TYPE_CODES } from '../../src/modules/reports/taxonomy.js';
import { demoExamples, evaluate, labelledExamples } from './scam-type-labels.js';

describe('the labelled scam-type set (test/data/scam-types.labelled.jsonl)', () => {
  const all = labelledExamples();

  it('has 200+ examples, 100+ in each language, unique ids, and every type in each split and language', () => {
    assert.ok(all.length >= 200, `${all.length}`);
    assert.equal(new Set(all.map((e) => e.id)).size, all.length);
    for (const lang of ['en', 'zh-Hant'] as const) {
      assert.ok(all.filter((e) => e.lang === lang).length >= 100, lang);
      for (const split of ['dev', 'heldout'] as const) {
        const types = new Set(all.filter((e) => e.lang === lang && e.split === split).map((e) => e.type));
        assert.deepEqual([...types].sort(), [...SCAM_TYPE_CODES].sort(), `${lang} ${split}`);
      }
    }
    assert.ok(all.every((e) => e.text.trim().length > 10), 'an empty text (a shared data line moved?)');
  });

  it('reads the real UCI messages from ../shared/data by line', () => {
    const uci = all.filter((e) => e.id.startsWith('uci-sms.'));
    assert.equal(uci.length, 20);
    assert.match(all.find((e) => e.id === 'uci-sms.2739')?.text ?? '', /^Refused a loan\?/);
  });
});

describe('the suggester measured on it (scripts/measure-suggester.ts prints the details)', () => {
  // Floors a little under the figures measured when the cues were last tuned (README.md): the old suggester
  // scored 61% on the held-out split (English 67%, Chinese 53%) and 50% on the demo.
  it('held-out split: at least 70% right, 75% in English and 58% in Chinese', () => {
    const e = evaluate(labelledExamples('heldout'));
    assert.ok(e.accuracy >= 0.7, `held-out accuracy ${e.accuracy}`);
    assert.ok((e.byLang.en?.accuracy ?? 0) >= 0.75, `English ${e.byLang.en?.accuracy}`);
    assert.ok((e.byLang['zh-Hant']?.accuracy ?? 0) >= 0.58, `Chinese ${e.byLang['zh-Hant']?.accuracy}`);
  });

  it('the demo investment group and every demo campaign but the concert tickets (labelled online shopping)', () => {
    const misses = evaluate(demoExamples()).outcomes.filter((o) => o.suggested !== o.example.type);
    assert.deepEqual(misses.map((o) => [o.example.id, o.suggested]), [['demo.4', 'ticketing']]);
  });

  it('every right suggestion shows the words behind it', () => {
    const right = evaluate(labelledExamples()).outcomes.filter((o) => o.suggested === o.example.type && o.suggested !== 'other');
    assert.ok(right.every((o) => o.cues.length > 0));
  });
});

// Cues the suggester had before the labelled set was written (commit 6ceca24), so not tuned on any split.
const CUES_BEFORE_THE_SET = new Set(['arrest', 'autotoll', 'blackmail', 'bochk', 'crypto', 'fedex', 'frozen', 'girlfriend', 'hkid', 'lending', 'never received', 'online shop', 'otp', 'police', 'recruiter', 'relationship', 'sf express', 'shipment', 'show', 'teamviewer', 'trading', 'virus', '入境處', '刷單', '勒索', '女朋友', '消費券', '虛擬貨幣', '警察', '買家', '隧道費', '順豐', '驗證碼']);

describe('the held-out split stays out of the tuning', () => {
  it('no cue matches a held-out example unless a dev or demo example has it too (or it predates the set)', () => {
    const seen = [...labelledExamples('dev'), ...demoExamples()].map((e) => e.text);
    const heldOut = labelledExamples('heldout').map((e) => e.text);
    const unjustified: string[] = [];
    for (const [type, cues] of Object.entries(TYPE_CUES)) {
      for (const tier of ['strong', 'cue', 'weak'] as const) {
        for (const cue of [...(cues[tier]?.en ?? []), ...(cues[tier]?.zh ?? [])]) {
          if (CUES_BEFORE_THE_SET.has(cue)) continue;
          if (heldOut.some((t) => cueOccursIn(cue, t)) && !seen.some((t) => cueOccursIn(cue, t))) unjustified.push(`${type}: ${cue}`);
        }
      }
    }
    assert.deepEqual(unjustified, []);
  });
});
