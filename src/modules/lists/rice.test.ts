import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RiceError, riceDecode, riceDecodeDeltas, riceEncode, riceEncodeDeltas } from './rice.js';

/**
 * Bit streams made by Google's server-side Rice coder, as published with its Go client's decoder tests
 * (github.com/google/safebrowsing, hash_test.go TestRiceDecoder): parameter, the stream in hex, the differences.
 */
const SERVER_VECTORS: [number, string, number[]][] = [
  [2, 'f702', [15, 9]],
  [5, '00', [0]],
  [10, '', []],
  [28, '54607be70a5fc1dcee69defe583ca3d6a5f2108c4a595600', [62763050, 1046523781, 192522171, 1800511020, 4442775, 582142548]],
  [28, '06861b2314cb46f2af0708c988541f4104d51a03ebe63a8013917bbf83f3b785f12918b36109', [26067715, 344823336, 8420095, 399843890, 95029378, 731622412, 35811335, 1047558127, 1117722715, 78698892]],
  [27, '8998d875bc4491eb390c3e309a78f36ad4d9b19ffb703e443ea3086742c22b46698e3cebd9105a439a32a52d4e770f877820b6ab7198480c9e9ed7230c13432ca901', [225846818, 328287420, 166748623, 29117720, 552397365, 350353215, 558267528, 4738273, 567093445, 28563065, 55077698, 73091685, 339246010, 98242620, 38060941, 63917830, 206319759, 137700744]],
  [28, '21c50291f982d757b8e93cf0c84fe8648d776204d6853f1c9700041b17c6', [339784008, 263128563, 63871877, 69723256, 826001074, 797300228, 671166008, 207712688]],
];

describe('Rice-Golomb coding (Safe Browsing v4 compression)', () => {
  it('reads and writes the server’s own bit streams exactly', () => {
    for (const [k, hex, deltas] of SERVER_VECTORS) {
      assert.deepEqual(riceDecodeDeltas(Buffer.from(hex, 'hex'), k, deltas.length), deltas, hex);
      assert.equal(riceEncodeDeltas(deltas, k).toString('hex'), hex, `k=${k}`);
    }
  });

  it('codes the documentation’s example [1, 5, 7, 13] as 1 and the differences 4, 2, 6', () => {
    const encoded = riceEncode([1, 5, 7, 13]);
    assert.equal(encoded.firstValue, 1);
    assert.equal(encoded.numEntries, 3);
    assert.deepEqual(riceDecodeDeltas(encoded.encodedData, encoded.riceParameter, 3), [4, 2, 6]);
    assert.deepEqual(riceEncode([42]), { firstValue: 42, riceParameter: 0, numEntries: 0, encodedData: Buffer.alloc(0) });
  });

  it('round-trips any ascending set of 32-bit values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 300 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const encoded = riceEncode(sorted);
        assert.deepEqual(riceDecode(encoded), sorted);
        assert.ok(encoded.riceParameter >= 0 && encoded.riceParameter <= 28);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses data that is cut short, has bytes left over, or a parameter out of range', () => {
    const encoded = riceEncode([3, 900, 70_000, 4_000_000]);
    assert.throws(() => riceDecode({ ...encoded, encodedData: encoded.encodedData.subarray(0, encoded.encodedData.length - 1) }), RiceError);
    assert.throws(() => riceDecode({ ...encoded, encodedData: Buffer.concat([encoded.encodedData, Buffer.alloc(1)]) }), RiceError);
    assert.throws(() => riceDecode({ ...encoded, riceParameter: 33 }), RiceError);
    assert.throws(() => riceEncode([5, 4]), RiceError);
    assert.throws(() => riceDecode({ firstValue: 0xffffffff, riceParameter: 2, numEntries: 1, encodedData: Buffer.from([0x02]) }), RiceError);
  });
});
