import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LookupIndex } from './lookup-index.js';
import type { Evidence } from './verdict.types.js';

type Stored = Omit<Evidence, 'entry'>;

const evidenceArb: fc.Arbitrary<Stored> = fc.record({
  reportCount: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  sourceCount: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  feedListedAt: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }),
  feedUntil: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }),
  firstSeen: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }),
  lastSeen: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }),
  lastReport: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }),
  scamTypes: fc.integer({ min: 0, max: 0x7fff }),
  feedLevel: fc.constantFrom(0, 1, 2) as fc.Arbitrary<Stored['feedLevel']>,
  feedName: fc.constantFrom(null, 'openphish', 'bank-feed'),
  decision: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<Stored['decision']>,
  decidedAt: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }),
  protection: fc.constantFrom(0, 1, 2) as fc.Arbitrary<Stored['protection']>,
}).map((e) => (e.feedLevel === 0 || e.feedName === null ? { ...e, feedLevel: 0, feedName: null } : e) as Stored);

const isEmpty = (e: Stored): boolean => e.reportCount === 0 && e.feedLevel === 0 && e.decision === 0 && e.protection === 0;

describe('LookupIndex', () => {
  it('answers exactly like a Map under any sequence of sets and clears (growing from a tiny table)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 40 }), fc.option(evidenceArb, { nil: null })), { maxLength: 300 }), (ops) => {
        const index = new LookupIndex(1);
        const model = new Map<string, Stored>();
        for (const [entry, evidence] of ops) {
          index.set(entry, evidence);
          if (evidence === null || isEmpty(evidence)) model.delete(entry);
          else model.set(entry, evidence);
        }
        for (const [entry] of ops) {
          const expected = model.get(entry);
          assert.deepEqual(index.get(entry), expected === undefined ? null : { entry, ...expected });
        }
        assert.equal(index.get('never-set-\u0000'), null);
      }),
      { numRuns: 200 },
    );
  });

  it('holds 200,000 entries in well under 200 bytes each', () => {
    const index = new LookupIndex();
    const e: Stored = { reportCount: 1, sourceCount: 1, feedListedAt: null, feedUntil: null, firstSeen: 1, lastSeen: 2, lastReport: 2, scamTypes: 1, feedLevel: 0, feedName: null, decision: 0, decidedAt: null, protection: 0 };
    for (let i = 0; i < 200_000; i++) index.set(`phone:+8529${String(i).padStart(7, '0')}`, e);
    assert.equal(index.count, 200_000);
    for (let i = 0; i < 200_000; i += 997) assert.equal(index.get(`phone:+8529${String(i).padStart(7, '0')}`)?.reportCount, 1);
    assert.equal(index.get('phone:+85280000000'), null);
    const grown = index.byteSize / index.count;
    assert.ok(grown < 100, `${grown} bytes per entry`);
    // Loaded, the spare rows of growth are cut: 37 B of columns and 6 B of slots, with 1/64 of headroom.
    index.fit();
    const fitted = index.byteSize / index.count;
    assert.ok(fitted < 44, `${fitted} bytes per entry after fit`);
    for (let i = 0; i < 200_000; i += 997) assert.equal(index.get(`phone:+8529${String(i).padStart(7, '0')}`)?.reportCount, 1);
    index.set('phone:+85280000000', e);
    assert.equal(index.get('phone:+85280000000')?.reportCount, 1);
  });

  it('keeps counts of 65,535 and more, and decision times, beside the narrow columns', () => {
    const index = new LookupIndex(4);
    const e: Stored = { reportCount: 70_000, sourceCount: 65_535, feedListedAt: null, feedUntil: null, firstSeen: 1, lastSeen: 2, lastReport: 2, scamTypes: 1, feedLevel: 0, feedName: null, decision: 2, decidedAt: 123, protection: 0 };
    index.set('a', e);
    index.set('b', { ...e, reportCount: 65_534, sourceCount: 3, decision: 0, decidedAt: null });
    assert.deepEqual(index.get('a'), { entry: 'a', ...e });
    assert.equal(index.get('b')?.reportCount, 65_534);
    assert.equal(index.get('b')?.decidedAt, null);
    index.set('a', { ...e, reportCount: 5, sourceCount: 5, decidedAt: null, decision: 0 });
    assert.deepEqual([index.get('a')?.reportCount, index.get('a')?.sourceCount, index.get('a')?.decidedAt], [5, 5, null]);
  });
});
