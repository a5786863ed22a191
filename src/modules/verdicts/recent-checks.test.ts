import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalize, type Indicator } from '../indicators/index.js';
import { RecentChecks, type RecentCheck } from './recent-checks.js';

// RecentChecks on its own: when a stored answer is still current, and what makes it stale.

const PHONE: Indicator[] = [normalize('phone', '+852 9123 4567', { region: 'HK' })];
const NOW = 1_750_000_000;

/** A fresh entry for `key` answered with `body` from the index at `seq`. */
function answer(recent: RecentChecks, key: string, seq: number, entries: readonly string[], until = Infinity, text = key): { check: RecentCheck; body: Buffer } {
  const check = recent.add(key, PHONE);
  const body = Buffer.from(JSON.stringify({ answer: text }));
  recent.answered(check, { body, entries, until }, seq);
  return { check, body };
}

describe('RecentChecks', () => {
  it('keeps the normal forms given to add(), and has no answer until one is recorded', () => {
    const recent = new RecentChecks({ values: 10 });
    const check = recent.add('\0+852 9123 4567', PHONE);
    assert.equal(recent.get('\0+852 9123 4567'), check);
    assert.equal(check.candidates[0]?.key, 'phone:+85291234567');
    assert.equal(recent.currentBody(check, 0, NOW), null);
    assert.equal(recent.get('never added'), undefined);
  });

  it('returns the stored answer (the same Buffer) while it is current', () => {
    const recent = new RecentChecks({ values: 10 });
    const { check, body } = answer(recent, 'a', 5, ['phone:+85291234567']);
    assert.equal(recent.currentBody(check, 5, NOW), body);
    assert.equal(recent.currentBody(check, 5, NOW + 10 * 365 * 86_400), body, 'no lapse time: current forever');
    assert.equal(recent.get('a')?.body, body);
  });

  it('a change to an entry the answer read, after the answer, makes it stale', () => {
    const recent = new RecentChecks({ values: 10 });
    const { check } = answer(recent, 'a', 5, ['phone:+85291234567', 'urlx:evil.top/']);
    recent.noteChange('urlx:evil.top/', 6);
    assert.equal(recent.currentBody(check, 6, NOW), null);
    // Still stale when asked again later, with more unrelated changes in between.
    recent.noteChange('phone:+85260000000', 7);
    assert.equal(recent.currentBody(check, 7, NOW), null);
  });

  it('a change the answer already saw (at or before its sequence number) leaves it current', () => {
    const recent = new RecentChecks({ values: 10 });
    recent.noteChange('phone:+85291234567', 4);
    recent.noteChange('phone:+85291234567', 5);
    const { check, body } = answer(recent, 'a', 5, ['phone:+85291234567']);
    recent.noteChange('phone:+85260000000', 6);
    assert.equal(recent.currentBody(check, 6, NOW), body);
  });

  it('a change to an unrelated entry leaves the answer current and returns the same Buffer', () => {
    const recent = new RecentChecks({ values: 10 });
    const { check, body } = answer(recent, 'a', 5, ['phone:+85291234567']);
    recent.noteChange('phone:+85260000000', 6);
    recent.noteChange('urlx:other.top/', 7);
    const again = recent.currentBody(check, 7, NOW);
    assert.equal(again, body, 'the same instance, not a copy');
    // Validated up to 7: a later change to its own entry is still seen.
    assert.equal(check.seq, 7);
    recent.noteChange('phone:+85291234567', 8);
    assert.equal(recent.currentBody(check, 8, NOW), null);
  });

  it('is stale from its `until` time on (report evidence lapsing), current just before', () => {
    const recent = new RecentChecks({ values: 10 });
    const until = NOW + 3600;
    const { check, body } = answer(recent, 'a', 5, ['phone:+85291234567'], until);
    assert.equal(recent.currentBody(check, 5, until - 0.001), body);
    assert.equal(recent.currentBody(check, 5, until), null);
    assert.equal(recent.currentBody(check, 5, until + 86_400), null);
  });

  it('invalidateAll() makes every stored answer stale; answers recorded after it are current', () => {
    const recent = new RecentChecks({ values: 10 });
    const a = answer(recent, 'a', 5, ['phone:+85291234567']);
    const b = answer(recent, 'b', 5, ['urlx:evil.top/']);
    assert.equal(recent.currentBody(a.check, 5, NOW), a.body);
    recent.invalidateAll();
    assert.equal(recent.currentBody(a.check, 5, NOW), null);
    assert.equal(recent.currentBody(b.check, 5, NOW), null);
    // Re-answering the same entry after the bump makes it current again.
    const fresh = Buffer.from('{"answer":"again"}');
    recent.answered(a.check, { body: fresh, entries: ['phone:+85291234567'], until: Infinity }, 5);
    assert.equal(recent.currentBody(a.check, 5, NOW), fresh);
    assert.equal(recent.currentBody(b.check, 5, NOW), null);
  });

  it('when more changed entries than changeMemory are noted, answers older than the floor are stale', () => {
    const recent = new RecentChecks({ values: 10, changeMemory: 3 });
    const old = answer(recent, 'old', 1, ['phone:+85291234567']);
    recent.noteChange('x', 2);
    recent.noteChange('y', 3);
    recent.noteChange('z', 4);
    // Three remembered: nothing forgotten yet, and none of them is the old answer's entry.
    assert.equal(recent.currentBody(old.check, 4, NOW), old.body);
    const validatedAt4 = answer(recent, 'at4', 4, ['phone:+85292222222']);
    recent.noteChange('w', 5); // the memory is full: dropped, the floor moves to 5
    assert.equal(recent.currentBody(old.check, 5, NOW), null, 'its entries never changed, but that can no longer be known');
    assert.equal(recent.currentBody(validatedAt4.check, 5, NOW), null);

    const after = answer(recent, 'after', 5, ['phone:+85291234567']);
    recent.noteChange('v', 6);
    assert.equal(recent.currentBody(after.check, 6, NOW), after.body, 'built at the floor: its changes are all remembered');
    recent.noteChange('phone:+85291234567', 7);
    assert.equal(recent.currentBody(after.check, 7, NOW), null, 'and a change to its own entry is still seen');
  });

  it('without the memory limit being reached the same sequence of changes leaves an old answer current', () => {
    const recent = new RecentChecks({ values: 10, changeMemory: 100 });
    const old = answer(recent, 'old', 1, ['phone:+85291234567']);
    for (const [i, entry] of ['x', 'y', 'z', 'w', 'v'].entries()) recent.noteChange(entry, i + 2);
    assert.equal(recent.currentBody(old.check, 6, NOW), old.body);
  });

  it('holds at most `capacity` values and evicts the least recently used', () => {
    const recent = new RecentChecks({ values: 2 });
    answer(recent, 'k1', 1, ['e1']);
    answer(recent, 'k2', 1, ['e2']);
    assert.ok(recent.get('k1') !== undefined); // k1 is now the most recently used
    answer(recent, 'k3', 1, ['e3']);
    assert.equal(recent.get('k2'), undefined, 'k2 was the least recently used');
    assert.equal(JSON.parse(recent.get('k1')?.body?.toString() ?? 'null').answer, 'k1');
    assert.equal(JSON.parse(recent.get('k3')?.body?.toString() ?? 'null').answer, 'k3');
    answer(recent, 'k4', 1, ['e4']);
    assert.equal(recent.get('k1'), undefined, 'k3 was used after k1 (added, then read above)');
    assert.ok(recent.get('k3') !== undefined && recent.get('k4') !== undefined);
  });

  it('holds values within the byte budget: big answers push the oldest out', () => {
    const recent = new RecentChecks({ values: 100, bytes: 10_000 });
    answer(recent, 'k1', 1, ['e1'], Infinity, 'x'.repeat(4000));
    answer(recent, 'k2', 1, ['e2'], Infinity, 'x'.repeat(4000));
    answer(recent, 'k3', 1, ['e3'], Infinity, 'x'.repeat(4000));
    assert.equal(recent.get('k1'), undefined, 'three answers of 4 KB exceed 10 KB');
    assert.ok(recent.get('k2') !== undefined && recent.get('k3') !== undefined);
  });
});
