import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvidenceMemo } from './evidence-memo.js';
import type { StoredEvidence } from './verdicts.repository.js';

const entry = (key: string, reportCount: number): StoredEvidence => ({
  entry: key, reportCount, sourceCount: reportCount, firstSeen: 1, lastSeen: 2, lastReport: 2, scamTypes: 1, feedLevel: 0, feedName: null,
  feedListedAt: null, feedUntil: null, decision: 0, decidedAt: null, protection: 0, protectedName: null, level: 1, nextChangeAt: 3,
});

describe('EvidenceMemo', () => {
  it('remembers a committed batch while the change log ends where that batch left it', () => {
    const memo = new EvidenceMemo();
    assert.equal(memo.validAt(0).size, 0);
    memo.stage([entry('phone:+85291234567', 1)], 10);
    assert.equal(memo.validAt(0).size, 0, 'staged is not remembered before its commit');
    memo.commit();
    assert.equal(memo.validAt(10).get('phone:+85291234567')?.reportCount, 1);
    memo.stage([entry('phone:+85291234567', 2)], 12);
    memo.commit();
    assert.equal(memo.validAt(12).get('phone:+85291234567')?.reportCount, 2);
  });

  it('forgets everything once another writer appended to the change log', () => {
    const memo = new EvidenceMemo();
    memo.stage([entry('phone:+85291234567', 1)], 10);
    memo.commit();
    assert.equal(memo.validAt(11).size, 0);
    assert.equal(memo.validAt(10).size, 0, 'what was forgotten does not come back');
  });

  it('keeps nothing of a batch that rolled back, nor what it remembered before', () => {
    const memo = new EvidenceMemo();
    memo.stage([entry('phone:+85291234567', 1)], 10);
    memo.commit();
    memo.stage([entry('phone:+85291234567', 2)], 11);
    memo.discard();
    assert.equal(memo.validAt(10).size, 0);
    memo.commit();
    assert.equal(memo.validAt(11).size, 0);
  });
});
