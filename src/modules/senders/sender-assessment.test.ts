import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { distance } from 'fastest-levenshtein';
import { hongKongDay, RegistryView, senderCore } from './registry-view.js';
import { assessSender, oneEditApart } from './sender-assessment.js';
import type { RegistryEntry } from './sender-registry.types.js';

const entry = (senderId: string, organisation: string, more: Partial<RegistryEntry> = {}): RegistryEntry => ({
  senderId,
  organisation,
  status: 'active',
  registeredOn: '2024-01-01',
  expiresOn: null,
  ...more,
});

const REGISTRY = new RegistryView([
  entry('#HSBC', 'HSBC'),
  entry('#HKPost', 'Hongkong Post'),
  entry('#BOC', 'Bank of China'),
  entry('#HK', 'A two-letter sender'),
  entry('#HKT', 'HKT'),
  entry('#HKTV', 'HKTV'),
  entry('#DBS', 'DBS', { status: 'suspended' }),
  entry('#CLP', 'CLP', { expiresOn: '2025-05-31' }),
  entry('#Future', 'Future Ltd', { registeredOn: '2030-01-01' }),
  entry('#Octopus', 'Octopus Cards', { status: 'suspended' }),
]);
const NOW = new Date('2025-06-10T04:00:00Z');

const assess = (sender: string, now = NOW) => assessSender(sender, REGISTRY, now);
const summary = (sender: string, now = NOW) => {
  const a = assess(sender, now);
  return { status: a.status, entry: a.entry?.senderId, codes: a.reasons.map((r) => r.code) };
};

describe('assessSender: the registered entry itself', () => {
  it('an active sender within its dates is registered, in any case', () => {
    for (const s of ['#HSBC', '#hsbc', ' #HsBc ']) assert.deepEqual(summary(s), { status: 'registered', entry: '#HSBC', codes: ['REGISTERED'] }, s);
    const a = assess('#HSBC');
    assert.deepEqual(a.entry, { senderId: '#HSBC', organisation: 'HSBC', status: 'active', registeredOn: '2024-01-01', expiresOn: null });
    assert.match(a.reasons[0]!.en, /#HSBC is a registered SMS sender of HSBC/);
    assert.match(a.reasons[0]!['zh-Hant'], /已登記短訊發送人/);
  });

  it('a suspended one is suspended', () => {
    assert.deepEqual(summary('#DBS'), { status: 'suspended', entry: '#DBS', codes: ['SUSPENDED'] });
  });

  it('expires after its last day, a Hong Kong day (UTC+8)', () => {
    assert.equal(assess('#CLP', new Date('2025-05-31T15:59:59Z')).status, 'registered'); // 23:59:59 on 31 May in Hong Kong
    assert.deepEqual(summary('#CLP', new Date('2025-05-31T16:00:00Z')), { status: 'expired', entry: '#CLP', codes: ['EXPIRED'] });
    assert.match(assess('#CLP').reasons[0]!.en, /ended on 2025-05-31/);
  });

  it('before its first day it is not registered: a # sender the scheme does not deliver', () => {
    assert.deepEqual(summary('#Future'), { status: 'unregistered_hash', entry: '#Future', codes: ['NOT_YET_REGISTERED'] });
    assert.equal(assess('#Future', new Date('2030-01-01T00:00:00+08:00')).status, 'registered');
  });

  it('hongKongDay is the date in Hong Kong', () => {
    assert.equal(hongKongDay(new Date('2025-01-01T15:59:59Z')), '2025-01-01');
    assert.equal(hongKongDay(new Date('2025-01-01T16:00:00Z')), '2025-01-02');
  });
});

describe('assessSender: look-alikes', () => {
  const lookalike = (sender: string, of: string, code: string) => {
    const hash = sender.startsWith('#');
    assert.deepEqual(summary(sender), { status: 'lookalike', entry: of, codes: hash ? [code, 'UNREGISTERED_HASH'] : [code] }, sender);
  };

  it('the same skeleton: confusable digits and letters, Cyrillic capitals, full-width characters, separators', () => {
    lookalike('#H5BC', '#HSBC', 'CONFUSABLE');
    lookalike('#НЅВС', '#HSBC', 'CONFUSABLE'); // Cyrillic Н, Ѕ, В, С
    lookalike('#HKP0ST', '#HKPost', 'CONFUSABLE');
    lookalike('#HK-Post', '#HKPost', 'CONFUSABLE');
    lookalike('#B0C', '#BOC', 'CONFUSABLE'); // even a 3-character ID: a zero for an O is no other name
    lookalike('＃ＨＳＢＣ', '#HSBC', 'CONFUSABLE'); // full-width # and letters: not the registered ID
    lookalike('HKP0ST', '#HKPost', 'CONFUSABLE');
  });

  it('the registered ID without its #', () => {
    lookalike('HSBC', '#HSBC', 'MISSING_HASH');
    lookalike('hkpost', '#HKPost', 'MISSING_HASH');
    lookalike('BOC', '#BOC', 'MISSING_HASH');
    assert.match(assess('HSBC').reasons[0]!.en, /without its #/);
  });

  it('a registered ID with an affix or a separator', () => {
    for (const s of ['#HSBC1', 'HSBC-Alert', 'HSBC_HK', 'HSBCHK', 'MyHSBC', 'HK HSBC', '#HKPost-HK', 'MyHKPostHK']) lookalike(s, s.toLowerCase().includes('post') ? '#HKPost' : '#HSBC', 'AFFIX');
  });

  it('a 3-character ID with digits, or as a word of its own', () => {
    lookalike('BOC1', '#BOC', 'AFFIX');
    lookalike('#BOC88', '#BOC', 'AFFIX');
    lookalike('BOC-HK', '#BOC', 'AFFIX');
    lookalike('HK_BOC_Info', '#BOC', 'AFFIX');
  });

  it('one edit from an ID of 4+ characters, a swap of neighbours included', () => {
    lookalike('#HSCB', '#HSBC', 'EDIT_DISTANCE');
    lookalike('#HSBX', '#HSBC', 'EDIT_DISTANCE');
    lookalike('#HSBCC', '#HSBC', 'AFFIX'); // one edit too, but "something added" says it better
    lookalike('#HKPots', '#HKPost', 'EDIT_DISTANCE');
    lookalike('HKPst', '#HKPost', 'EDIT_DISTANCE');
  });

  it('names the closest entry: the longest ID imitated, and one in force before a suspended one', () => {
    lookalike('#HKTV1', '#HKTV', 'AFFIX');
    lookalike('HKT-Alert', '#HKT', 'AFFIX');
    const suspended = assess('Octopus1');
    assert.equal(suspended.status, 'lookalike');
    assert.equal(suspended.entry?.status, 'suspended');
  });

  it('explains in English and Traditional Chinese, naming the entry', () => {
    const a = assess('#HSBC1');
    assert.match(a.reasons[0]!.en, /“#HSBC1” is the registered sender #HSBC \(HSBC\)/);
    assert.match(a.reasons[0]!['zh-Hant'], /「#HSBC1」.*#HSBC/);
    assert.match(a.reasons[1]!.en, /spoofed/);
    assert.match(a.reasons[1]!['zh-Hant'], /偽冒/);
  });
});

describe('assessSender: not look-alikes', () => {
  it('short IDs are not imitated by one edit or by letters added', () => {
    assert.deepEqual(summary('BOCA'), { status: 'not_registered', entry: undefined, codes: ['NOT_REGISTERED'] });
    assert.deepEqual(summary('#BOD'), { status: 'unregistered_hash', entry: undefined, codes: ['UNREGISTERED_HASH'] });
    assert.equal(summary('#DBSX').status, 'unregistered_hash');
    // #HK is inside HKPost, HK-Alert and #HK1: none of them imitates it.
    assert.equal(summary('HK-Alert').status, 'not_registered');
    assert.equal(summary('#HK1').status, 'unregistered_hash');
    assert.equal(summary('HKPost').entry, '#HKPost');
  });

  it('unrelated IDs: a # one is a spoof, a plain one is not registered', () => {
    assert.deepEqual(summary('#Random'), { status: 'unregistered_hash', entry: undefined, codes: ['UNREGISTERED_HASH'] });
    assert.deepEqual(summary('Hello'), { status: 'not_registered', entry: undefined, codes: ['NOT_REGISTERED'] });
    assert.equal(summary('HKBN').status, 'not_registered');
    assert.equal(summary('#12345').status, 'unregistered_hash');
    // One edit, but to a 3-character ID: a name of its own, not #HSBC misspelt.
    assert.equal(summary('SBC').status, 'not_registered');
    assert.equal(summary('#HSB').status, 'unregistered_hash');
  });

  it('an empty registry calls no # sender a spoof', () => {
    assert.equal(assessSender('#Anything', new RegistryView([]), NOW).status, 'not_registered');
  });

  it('refuses an empty or overlong value', () => {
    assert.throws(() => assess('  '), { code: 'EMPTY_INPUT' });
    assert.throws(() => assess('#' + 'A'.repeat(80)), { code: 'INPUT_TOO_LONG' });
  });

  it('never throws on arbitrary strings, and always explains', () => {
    for (const s of ['#', '-', '###', '#\u0000', '🙂', '#ß', 'a'.repeat(64), '#\u0301\u0301']) assert.ok(assess(s).reasons.length > 0, s);
    const sender = fc.oneof(fc.string({ maxLength: 64 }), fc.string({ unit: fc.constantFrom('#', 'H', 'S', 'B', 'C', '5', '-', 'К', 'о'), maxLength: 14 }));
    fc.assert(fc.property(sender, (s) => s.trim() === '' || assess(s).reasons.every((r) => r.en !== '' && r['zh-Hant'] !== '')), { numRuns: 5_000 });
  });
});

describe('senderCore', () => {
  it('folds what phones show alike to one core', () => {
    assert.equal(senderCore('HSBC'), 'hsbc');
    assert.equal(senderCore('H5BC'), 'hsbc');
    assert.equal(senderCore('НЅВС'), 'hsbc');
    assert.equal(senderCore('HS-BC'), 'hsbc');
    assert.equal(senderCore('I1l|'), 'llll');
  });
});

describe('oneEditApart', () => {
  // The definition it replaces in the hot path: Levenshtein distance 1, or 2 that is one swap of neighbours.
  const swap = (a: string, b: string): boolean => {
    const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
    return a.length === b.length && diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
  };
  const oracle = (a: string, b: string): boolean => distance(a, b) === 1 || (distance(a, b) === 2 && swap(a, b));

  it('agrees with Levenshtein distance plus swaps', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 });
    fc.assert(fc.property(word, word, (a, b) => oneEditApart(a, b) === oracle(a, b)), { numRuns: 20_000 });
    for (const [a, b] of [['hsbc', 'hscb'], ['hsbc', 'hsb'], ['hsbc', 'hsbcc'], ['hsbc', 'hxbc']]) assert.ok(oneEditApart(a!, b!), `${a} ${b}`);
    for (const [a, b] of [['hsbc', 'hsbc'], ['hsbc', 'shcb'], ['hsbc', 'hs'], ['abc', 'cba']]) assert.ok(!oneEditApart(a!, b!), `${a} ${b}`);
  });
});

describe('RegistryView', () => {
  it('answers thousands of assessments a second for a 5,000-entry registry', (t) => {
    // Sender-like IDs of 3 to 11 letters and digits, from a fixed seed (the same registry every run).
    let seed = 42;
    const next = (m: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 8) % m);
    const ids = new Set<string>();
    while (ids.size < 5_000) ids.add('#' + Array.from({ length: 3 + next(9) }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[next(36)]).join(''));
    const entries = [...ids].filter((id) => id !== '#HSBC').map((id, i) => entry(id, `Organisation ${i}`));
    const view = new RegistryView([...entries, entry('#HSBC', 'HSBC')]);
    assert.equal(view.size, entries.length + 1);
    const some = entries.slice(0, 3).map((e) => e.senderId);
    const inputs = ['#HSBC', '#HSBC1', 'HSBC-Alert', '#H5BC', '#HSCB', 'Hello', '#Random', ...some, `${some[0]}X`, `My${some[1]!.slice(1)}`];
    for (const s of inputs) assessSender(s, view, NOW); // warm up
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < 500) for (const s of inputs) (assessSender(s, view, NOW), n++);
    const perSecond = Math.round(n / ((performance.now() - started) / 1000));
    t.diagnostic(`${perSecond} assessments/s against ${view.size} entries`);
    assert.ok(perSecond > 2_000, `${perSecond}/s`);
    assert.equal(assessSender('#HSBC1', view, NOW).entry?.senderId, '#HSBC');
  });
});
