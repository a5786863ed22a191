import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MessageClassifier, classifyMessage, trainClassifier, type MessageClassification, type TrainingExample } from './classifier.js';

const TOY: TrainingExample[] = [
  { text: 'URGENT you have won a cash prize, claim now', label: 'scam' },
  { text: 'Claim your free prize today, reply WIN', label: 'scam' },
  { text: 'You won a free holiday, claim it now', label: 'scam' },
  { text: 'Winner! Claim your cash reward now', label: 'scam' },
  { text: '恭喜你中獎，請即領取獎金', label: 'scam' },
  { text: '你已中獎，立即領取現金獎賞', label: 'scam' },
  { text: 'are we still meeting for lunch tomorrow', label: 'not_scam' },
  { text: 'running late, see you at lunch', label: 'not_scam' },
  { text: 'can you pick up milk on the way home', label: 'not_scam' },
  { text: 'see you tomorrow at home', label: 'not_scam' },
  { text: '今晚返屋企食飯', label: 'not_scam' },
  { text: '聽日一齊食晏', label: 'not_scam' },
];

const toy = () => new MessageClassifier(trainClassifier(TOY, { folds: 0 }));

/** Every signal points toward the label, at most 6, strongest first. */
function assertSignalsFollowLabel(c: MessageClassification): void {
  assert.ok(c.signals.length <= 6);
  for (const s of c.signals) assert.ok(c.label === 'scam' ? s.weight > 0 : s.weight < 0, `${s.text} ${s.weight} against ${c.label}`);
  const strengths = c.signals.map((s) => Math.abs(s.weight));
  assert.deepEqual(strengths, [...strengths].sort((a, b) => b - a));
}

/** The words and characters of a signal, placeholders aside, all occur in the (lower-cased) message. */
function assertSignalsAreInText(c: MessageClassification, text: string): void {
  for (const s of c.signals) {
    if (/^⟨[^⟩]*⟩$/.test(s.text)) continue; // a placeholder or a shape (⟨link⟩, ⟨mostly capitals⟩)
    for (const part of s.text.split(' ').filter((p) => !p.startsWith('⟨'))) assert.ok(text.toLowerCase().includes(part), `${part} not in ${text}`);
  }
}

describe('trainClassifier and MessageClassifier', () => {
  it('learns a toy training set, in English and in Chinese', () => {
    const classifier = toy();
    for (const e of TOY) assert.equal(classifier.classify(e.text).label, e.label, e.text);
    assert.equal(classifier.classify('claim your cash prize now').label, 'scam');
    assert.equal(classifier.classify('lunch tomorrow?').label, 'not_scam');
    assert.equal(classifier.classify('恭喜中獎，領取獎金').label, 'scam');
    assert.equal(classifier.classify('今晚一齊食飯').label, 'not_scam');
  });

  it('trains the same model twice from the same data', () => {
    assert.equal(JSON.stringify(trainClassifier(TOY, { folds: 3 })), JSON.stringify(trainClassifier(TOY, { folds: 3 })));
  });

  it('explains with words of the message that point toward the label', () => {
    const classifier = toy();
    for (const text of ['Claim your free cash prize now', 'see you at lunch', '恭喜你中獎', '今晚返屋企']) {
      const c = classifier.classify(text);
      assert.ok(c.signals.length > 0, text);
      assertSignalsFollowLabel(c);
      assertSignalsAreInText(c, text);
    }
    const chinese = classifier.classify('恭喜你中獎');
    assert.ok(chinese.signals.some((s) => s.text === '中獎'), 'two Han characters read as one word');
  });

  it('answers empty and whitespace-only text with no signals', () => {
    for (const classifier of [toy(), { classify: classifyMessage }]) {
      for (const text of ['', ' ', '\n\t ']) {
        const c = classifier.classify(text);
        assert.ok(c.label === 'scam' || c.label === 'not_scam');
        assert.ok(c.score >= 0 && c.score <= 1);
        assert.deepEqual(c.signals, []);
      }
    }
  });
});

describe('classifyMessage (the committed model)', () => {
  it('scores any string within [0, 1] with a label that agrees with the score and signals that follow it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const c = classifyMessage(text);
        assert.ok(c.score >= 0 && c.score <= 1);
        assert.equal(Math.round(c.score * 1000) / 1000, c.score);
        assert.ok(c.label === 'scam' ? c.score >= 0.5 : c.score <= 0.5);
        assertSignalsFollowLabel(c);
        for (const s of c.signals) assert.equal(Math.round(s.weight * 100) / 100, s.weight);
      }),
      { numRuns: 300 },
    );
  });

  it('tells a phishing SMS from a genuine one-time password, in Chinese and in English', () => {
    const phishing = '【順豐速運】您的包裹因地址不詳無法派送，請於24小時內更新資料：https://sf-hk-delivery.top/a';
    const otp = '【中銀香港】您的一次性密碼為 123456，切勿向任何人透露此密碼。';
    assert.equal(classifyMessage(phishing).label, 'scam');
    assert.equal(classifyMessage(otp).label, 'not_scam');
    assert.ok(classifyMessage(phishing).signals.some((s) => s.text === '⟨link⟩'));
    assert.equal(classifyMessage('Free entry! Txt WIN to 80086 now to claim your £100 prize', { region: 'GB' }).label, 'scam');
    assert.equal(classifyMessage("ok i'll call you when i get home").label, 'not_scam');
    for (const text of [phishing, otp, "ok i'll call you when i get home"]) assertSignalsAreInText(classifyMessage(text), text);
  });
});
