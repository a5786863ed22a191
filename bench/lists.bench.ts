// The hashed link lists for browsers and apps (Safe Browsing v4 shape): what a listed link costs a client to
// download, raw and Rice-coded, what an update of 10,000 changes weighs, and what the local check of a page
// costs beside computing its lookup expressions alone. The check hashes each expression (SHA-256), which the
// expressions alone do not, so its target is a time per page, with the ratio shown.
import { randomBytes } from 'node:crypto';
import { canonicalizeUrl, lookupExpressions } from '../src/modules/indicators/index.js';
import { buildFuseFilter, encodeFuseFilter, fuseFilterHas } from '../src/modules/lists/fuse-filter.js';
import { fullHash } from '../src/modules/lists/hash-lists.js';
import { riceEncode } from '../src/modules/lists/rice.js';
import { openPhishUrls } from '../test/helpers/shared-data.js';
import { compare, type Comparison } from './harness.js';

const LISTED = 200_000;
const CHANGES = 10_000;

/** Rice-coded bytes of a set of 4-byte prefixes, as threatListUpdates:fetch sends them. */
function riceBytes(prefixes: Buffer[]): number {
  return riceEncode(prefixes.map((p) => p.readUInt32LE(0)).sort((a, b) => a - b)).encodedData.length;
}

export function listBenchmarks(): Comparison[] {
  // Prefixes of SHA-256 hashes are uniform: random 4-byte values stand for 200,000 listed links.
  const prefixes = Array.from({ length: LISTED }, () => randomBytes(4)).sort(Buffer.compare);
  const riceTotal = riceBytes(prefixes);
  // 10,000 changes: half the entries removed (Rice-coded indices), half new ones added.
  const removed = Array.from({ length: CHANGES / 2 }, (_, i) => Math.floor((i * LISTED) / (CHANGES / 2))).sort((a, b) => a - b);
  const added = Array.from({ length: CHANGES / 2 }, () => randomBytes(4));
  const updateRice = riceBytes(added) + riceEncode(removed).encodedData.length;
  const updateRaw = 4 * added.length + 4 * removed.length;

  const urls = openPhishUrls().slice(0, 20_000).flatMap((u) => {
    try {
      return [canonicalizeUrl(u)];
    } catch {
      return [];
    }
  });
  const held = new Set(prefixes.map((p) => p.readUInt32BE(0)));
  const local = compare(
    { inputs: urls },
    (url) => lookupExpressions(url).length,
    (url) => lookupExpressions(url).some((expression) => held.has(fullHash(expression).readUInt32BE(0))),
    5,
  );
  // The on-device number filter: 100,000 flagged numbers, probed with 1,000,000 that are not.
  const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => `+8529${String(from + i).padStart(7, '0')}`);
  const filter = buildFuseFilter(numbers(0, 100_000));
  const bits = (8 * encodeFuseFilter(filter).length) / 100_000;
  const probes = numbers(5_000_000, 1_000_000);
  const falsePositives = probes.filter((n) => fuseFilterHas(filter, n)).length / probes.length;
  return [
    { name: 'number filter, bits per number (100,000 numbers)', unit: 'bits', baselineName: 'a Bloom filter at 1/256 (1.44·log2 256)', baseline: 1.44 * 8, candidate: bits, target: '≤ 10 bits', pass: bits <= 10 },
    { name: 'number filter, false positives (1,000,000 unlisted)', unit: '%', baselineName: 'the issue’s bound', baseline: 0.4, candidate: 100 * falsePositives, target: '< 0.4 %', pass: falsePositives < 0.004 },
    { name: `bytes per listed link, Rice-coded (${LISTED.toLocaleString('en-US')} links)`, unit: 'B', baselineName: '4-byte raw prefix', baseline: 4, candidate: riceTotal / LISTED, target: '< 2.5 B', pass: riceTotal / LISTED < 2.5 },
    { name: `update of ${CHANGES.toLocaleString('en-US')} changes (half removals), Rice-coded`, unit: 'kB', baselineName: 'raw prefixes and indices', baseline: updateRaw / 1000, candidate: updateRice / 1000, target: '< 0.6× raw', pass: updateRice / updateRaw < 0.6 },
    { name: `local check of a page (${urls.length.toLocaleString('en-US')} OpenPhish URLs)`, unit: 'pages/s', baselineName: 'its lookup expressions alone', ...local, target: '≥ 50,000/s (20 µs a page)', pass: local.candidate >= 50_000 },
  ];
}
