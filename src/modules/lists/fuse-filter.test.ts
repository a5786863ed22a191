import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFuseFilter, decodeFuseFilter, encodeFuseFilter, fuseFilterHas } from './fuse-filter.js';

const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => `+8529${String(from + i).padStart(7, '0')}`);

describe('binary fuse filter (8-bit fingerprints)', () => {
  it('holds every key, at about 9 bits a key, with the false-positive rate of 8-bit fingerprints (1/256, 0.39 %)', () => {
    const keys = numbers(0, 100_000);
    const filter = buildFuseFilter(keys);
    for (const key of keys) assert.ok(fuseFilterHas(filter, key), key);
    const others = numbers(5_000_000, 200_000);
    const falsePositives = others.filter((key) => fuseFilterHas(filter, key)).length;
    const rate = falsePositives / others.length;
    const bits = (8 * encodeFuseFilter(filter).length) / keys.length;
    // The rate is a binomial sample around 1/256: its standard deviation at 200,000 tries is 0.014 points, so a bound
    // of 0.4 % (0.7 σ above the mean) failed one run in four. Five σ either side fails one run in a million, and
    // still catches a filter that is off by a bit of fingerprint (0.78 % or 0.20 %).
    const sigma = Math.sqrt((1 / 256) * (1 - 1 / 256) / others.length);
    assert.ok(Math.abs(rate - 1 / 256) < 5 * sigma, `false-positive rate ${rate}`);
    assert.ok(bits <= 10, `${bits} bits a key`);
  });

  it('reads back what it writes, and refuses bytes that are not a filter', () => {
    const keys = numbers(42, 1000);
    const filter = decodeFuseFilter(encodeFuseFilter(buildFuseFilter(keys)));
    for (const key of keys) assert.ok(fuseFilterHas(filter, key));
    assert.throws(() => decodeFuseFilter(Buffer.from('not a filter at all, not at all!')));
    const bytes = encodeFuseFilter(buildFuseFilter(keys));
    assert.throws(() => decodeFuseFilter(bytes.subarray(0, bytes.length - 1)));
  });

  it('copes with no key, one key and duplicates', () => {
    const empty = buildFuseFilter([]);
    assert.equal(numbers(0, 1000).filter((k) => fuseFilterHas(empty, k)).length < 20, true);
    const one = buildFuseFilter(['+85291234567', '+85291234567']);
    assert.ok(fuseFilterHas(one, '+85291234567'));
  });
});
