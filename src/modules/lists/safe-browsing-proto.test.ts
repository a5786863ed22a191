import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { riceDecode } from './rice.js';
import { decodeMessage, encodeMessage, messageType } from './safe-browsing-proto.js';

/**
 * ThreatEntrySet messages serialized by Google's server, as published with its Go client's tests
 * (github.com/google/safebrowsing, hash_test.go TestDecodeHashes and TestDecodeIndices): the sets in hex,
 * and the hash prefixes or removal indices they hold.
 */
const HASH_VECTORS: [string[], string[]][] = [
  [
    ['0802222308a08fcb6d101c18062218dda588628aad88f883e2421a66384d10bce123dd22030202', '08011219081512151c9e466c435e51f99f059ff356185c730351d2f2b6'],
    ['17f15426', '1c9e466c435e51f99f059ff356185c730351d2f2b6', '47ba02b7', '573373a2', 'a0c7b20d', 'a19edd3e', 'd2c60aef', 'f1fa25a2'],
  ],
  [['0802221408dfea9d4e101c1802220991280dd01f2c9d5301'], ['33341993', '5f75c709', '83bfca1d']],
  [['0802222008c2ee8cc801101c18052214b0e8007275b8ba8319e39f2d4ea7f1df8b1a1202'], ['0f64be45', '42370319', '6650275f', '95ba6fd7', '9aab0322', 'db7cbd52']],
  [['0802221108d793e4ff0a101c180122052f701aef01', '0801120f080b120baca3f0f63591bbeb500ef6'], ['58dd71ff', 'aca3f0f63591bbeb500ef6', 'd709f9af']],
];
const INDEX_VECTORS: [string, number[]][] = [
  ['08022a1c08ac01101c18052213720000c0210000100400001a01006017000000', [172, 229, 364, 494, 776, 963]],
  ['08022a22084b101c1807221a34010000110000300500000a0000e0100000a80100007a000000', [75, 229, 297, 463, 473, 608, 714, 958]],
  ['08022a0308e607', [998]],
  ['08022a1408c101101c1803220b360300c02b0000b8040000', [193, 604, 779, 930]],
];

type Rice = { firstValue?: string; riceParameter?: number; numEntries?: number; encodedData?: string };
const rice = (r: Rice) => riceDecode({ firstValue: Number(r.firstValue ?? 0), riceParameter: r.riceParameter ?? 0, numEntries: r.numEntries ?? 0, encodedData: Buffer.from(r.encodedData ?? '', 'base64') });

/** The prefixes a ThreatEntrySet holds, as a client reads them: raw by prefix size, Rice as little-endian integers. */
function prefixesOf(hex: string): string[] {
  const set = decodeMessage('ThreatEntrySet', Buffer.from(hex, 'hex')) as { compressionType: string; rawHashes?: { prefixSize: number; rawHashes: string }; riceHashes?: Rice };
  if (set.compressionType === 'RAW') {
    const raw = Buffer.from(set.rawHashes?.rawHashes ?? '', 'base64');
    const size = set.rawHashes?.prefixSize as number;
    return Array.from({ length: raw.length / size }, (_, i) => raw.subarray(i * size, (i + 1) * size).toString('hex'));
  }
  return rice(set.riceHashes as Rice).map((n) => {
    const p = Buffer.alloc(4);
    p.writeUInt32LE(n, 0);
    return p.toString('hex');
  });
}

describe('Safe Browsing v4 protobuf messages', () => {
  it('read the server’s own ThreatEntrySets: raw and Rice-coded prefixes', () => {
    for (const [sets, expected] of HASH_VECTORS) assert.deepEqual(sets.flatMap(prefixesOf).sort(), expected);
  });

  it('read the server’s own Rice-coded removal indices', () => {
    for (const [hex, expected] of INDEX_VECTORS) {
      const set = decodeMessage('ThreatEntrySet', Buffer.from(hex, 'hex')) as { compressionType: string; riceIndices: Rice };
      assert.equal(set.compressionType, 'RICE');
      assert.deepEqual(rice(set.riceIndices), expected);
    }
  });

  it('encode an answer’s JSON form, durations included, and read back the same', () => {
    const json = {
      listUpdateResponses: [{ threatType: 'SOCIAL_ENGINEERING', threatEntryType: 'URL', platformType: 'ANY_PLATFORM', responseType: 'FULL_UPDATE', additions: [{ compressionType: 'RICE', riceHashes: { firstValue: '4294967295', riceParameter: 2, numEntries: 1, encodedData: '9wI=' } }], newClientState: 'AQEAAAAAAAAAKg==', checksum: { sha256: Buffer.alloc(32, 1).toString('base64') } }],
      minimumWaitDuration: '120s',
    };
    const type = messageType('FetchThreatListUpdatesResponse');
    const back = type.toObject(type.decode(encodeMessage('FetchThreatListUpdatesResponse', json)), { enums: String, bytes: String, longs: String });
    assert.deepEqual(back, { ...json, minimumWaitDuration: { seconds: '120' } });
  });
});
