import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Scamgraph } from '../src/main.js';
import { openTestScamgraph } from './helpers/database.js';

// The recent checks are bounded by bytes, not by how many values they hold (issue 12: 50,000 distinct long
// links through the public check took a server from 403 to 880 MiB while the README promised about 128 MB).

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const BUDGET = 16 * 1024 * 1024;

describe('the memory of the recent checks', () => {
  let sg: Scamgraph;
  before(async () => {
    sg = await openTestScamgraph('pglite', { loadIndex: true }, { checkCacheBytes: BUDGET });
  });
  after(() => sg.close());

  it('20,000 distinct long links (non-ASCII, so their normal forms are three times as long) stay within the budget', () => {
    // What a hostile client sends: every value distinct, as long as a value may be, and percent-encoded in
    // normal form, so that the normal forms (canonical link, key, display, lookup expressions) dwarf the value.
    const link = (i: number): string => `https://long-link-${i % 97}.example/${'中文/'.repeat(600)}${i}?q=${'é'.repeat(1000)}${i}`;
    sg.verdicts.checkJson('+852 6123 4567'); // loads the code paths, holds a few hundred bytes
    const before = heapUsed();
    for (let i = 0; i < 20_000; i++) sg.verdicts.checkJson(link(i));
    const grown = heapUsed() - before;
    const mib = `the heap grew by ${(grown / 1024 / 1024).toFixed(1)} MiB for a budget of ${BUDGET / 1024 / 1024} MiB`;
    assert.ok(grown < 1.25 * BUDGET, mib);
    assert.ok(grown > 0.4 * BUDGET, `${mib}: the budget is used, not wasted by an estimate far too high`);
    // And the cache still works: a value checked again is answered from it (same bytes object).
    const again = sg.verdicts.checkJson(link(19_999));
    assert.equal(sg.verdicts.checkJson(link(19_999)), again);
  });
});
