import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { VerdictFilter } from '../src/modules/verdicts/verdict-log.repository.js';
import type { VerdictLevel } from '../src/modules/verdicts/verdict.types.js';
import { ENGINES, openTestScamgraph } from './helpers/database.js';

// Followers can compact (issue 12): a snapshot at sequence N plus the verdict-log rows after N gives the same
// set as replaying the log from 0, and as a snapshot taken at the end — whatever reports, officer decisions
// and lapses happened in between, for any filter.

const DAY = 86_400;
const VALUES = ['+852 6200 0001', '+852 6200 0002', '+852 6200 0003', 'https://compact.example/a', 'https://compact.example/b'];

type Op = { kind: 'report'; value: number; block: number } | { kind: 'decide'; value: number; level: 'high_risk' | 'suspicious' | 'cleared' } | { kind: 'clock'; days: number } | { kind: 'snapshot' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('report' as const), value: fc.nat({ max: VALUES.length - 1 }), block: fc.nat({ max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('decide' as const), value: fc.nat({ max: VALUES.length - 1 }), level: fc.constantFrom('high_risk' as const, 'suspicious' as const, 'cleared' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), days: fc.constantFrom(1, 200) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
);

const FILTERS: VerdictFilter[] = [{}, { kinds: ['phone'], levels: ['high_risk'] }, { kinds: ['url', 'domain'] }, { levels: ['suspicious', 'high_risk'] }];

type Entries = Map<string, VerdictLevel>;
const asObject = (m: Entries): Record<string, VerdictLevel> => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));

for (const engine of ENGINES) {
  describe(`verdict log compaction (${engine})`, () => {
    let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
    let run = 0;
    before(async () => {
      sg = await openTestScamgraph(engine);
    });
    after(() => sg.close());

    /** Applies verdict-log rows after `seq` to a follower's set. */
    async function follow(from: Entries, seq: number, filter: VerdictFilter): Promise<Entries> {
      const set = new Map(from);
      const wanted = (level: VerdictLevel): boolean => level !== 'no_record' && (filter.levels === undefined || filter.levels.includes(level));
      for (let cursor = seq; ; ) {
        const rows = await sg.verdicts.changesSince(cursor, filter, 7); // small pages: paging is part of following
        if (rows.length === 0) return set;
        for (const row of rows) {
          if (wanted(row.level)) set.set(row.entry, row.level);
          else set.delete(row.entry);
        }
        cursor = rows[rows.length - 1]!.seq;
      }
    }

    it('snapshot(N) + changesSince(N) = replay from 0 = snapshot(M), for every filter', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 18 }), async (ops) => {
          run += 1;
          let clock = Date.now() / 1000;
          const snapshots: { filter: VerdictFilter; seq: number; entries: Entries }[] = [];
          const take = async (): Promise<void> => {
            for (const filter of FILTERS) {
              const s = await sg.verdicts.snapshot(filter);
              snapshots.push({ filter, seq: s.seq, entries: new Map(s.entries.map((e) => [e.entry, e.level])) });
            }
          };
          let n = 0;
          for (const o of ops) {
            n += 1;
            const value = `${VALUES[o.kind === 'report' || o.kind === 'decide' ? o.value : 0]}`;
            if (o.kind === 'report') {
              const indicators = [{ value, role: value.startsWith('http') ? ('link' as const) : ('caller' as const) }];
              await sg.reports.submit({ scamType: 'investment', channel: 'call', narrative: `run ${run} op ${n}`, indicators }, `10.${90 + o.block}.${run & 255}.${n}`, new Date(clock * 1000));
            } else if (o.kind === 'decide') await sg.verdicts.decide('user:test', { value }, o.level, 'property test');
            else if (o.kind === 'clock') {
              clock += o.days * DAY;
              await sg.verdicts.applyDueChanges(clock);
            } else await take();
          }
          await take();
          for (const s of snapshots) {
            const final = snapshots.filter((t) => t.filter === s.filter).at(-1)!;
            const fromSnapshot = await follow(s.entries, s.seq, s.filter);
            const replayed = await follow(new Map(), 0, s.filter);
            assert.deepEqual(asObject(fromSnapshot), asObject(replayed), `snapshot at ${s.seq} + rows after it, ${JSON.stringify(s.filter)}`);
            assert.deepEqual(asObject(replayed), asObject(final.entries), `replay = snapshot at ${final.seq}`);
          }
        }),
        { numRuns: engine === 'pglite' ? 12 : 8 },
      );
    });
  });
}
