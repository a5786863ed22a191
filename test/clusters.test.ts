import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { normalize } from '../src/modules/indicators/index.js';
import { correlateReports } from '../src/modules/clusters/clusters.repository.js';
import { rebuildClusters } from '../src/modules/clusters/clusters-rebuild.repository.js';
import { lockChangeLog } from '../src/modules/verdicts/verdicts.repository.js';
import type { Database } from '../src/storage/schema.js';
import { ENGINES, openTestScamgraph } from './helpers/database.js';

// Clusters are kept incrementally as reports arrive and as officers mark values; a full rebuild must land on
// the very same clusters (same members, same ids), and both must equal the components computed by brute force.

type Scamgraph = Awaited<ReturnType<typeof openTestScamgraph>>;

const WARNING_LISTED = 'phone:+85225277177'; // the Hong Kong Police hotline
const PLATFORM = 'domain:facebook.com';
const POOL = [
  'phone:+85291234560', 'phone:+85291234561', 'phone:+85262345678', 'bank_account:hk:004-123-456789',
  'url:https://evil.example/login', 'url:https://bit.ly/abc', 'email:mule@example.com', 'crypto_wallet:0xabc',
  WARNING_LISTED, PLATFORM,
];
const VALUE_OF: Record<string, { value: string; kind: string }> = {
  'phone:+85291234560': { value: '+852 9123 4560', kind: 'phone' },
  'phone:+85291234561': { value: '+852 9123 4561', kind: 'phone' },
  'phone:+85262345678': { value: '+852 6234 5678', kind: 'phone' },
  'url:https://evil.example/login': { value: 'https://evil.example/login', kind: 'url' },
  'email:mule@example.com': { value: 'mule@example.com', kind: 'email' },
};

let nextId = 1;

/** Stores bare reports with the given keys and clusters them, as storeReports does. */
async function addReports(db: Kysely<Database>, reports: { id: number; keys: string[] }[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockChangeLog(trx);
    for (const r of reports) {
      await sql`
        INSERT INTO reports (id, reference, source, fingerprint, independence, content_hash, received_at, channel, scam_type)
        VALUES (${r.id}, ${`T-${r.id}`}, 'test', ${Buffer.from([r.id % 256])}, ${Buffer.from([r.id % 256])}, ${Buffer.from([1])}, now(), 'sms', 'investment')`.execute(trx);
      for (const key of r.keys) {
        await sql`INSERT INTO report_indicators (report_id, key, kind, canonical) VALUES (${r.id}, ${key}, ${key.split(':')[0]}, ${key.slice(key.indexOf(':') + 1)})`.execute(trx);
      }
    }
    await correlateReports(trx, reports);
  });
}

async function stored(db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db.selectFrom('report_clusters').select(['report_id', 'cluster_id']).execute();
  return new Map(rows.map((r) => [r.report_id, r.cluster_id]));
}

/** Partition as a sorted list of sorted member lists. */
function partition(clusterOf: Map<number, number>): number[][] {
  const groups = new Map<number, number[]>();
  for (const [report, cluster] of clusterOf) groups.set(cluster, [...(groups.get(cluster) ?? []), report]);
  return [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => (a[0] as number) - (b[0] as number));
}

/** Brute force: reports are joined when a chain of shared, unblocked keys connects them. */
function oracle(reports: { id: number; keys: string[] }[], blocked: Set<string>): number[][] {
  const label = new Map(reports.map((r) => [r.id, r.id]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of reports)
      for (const b of reports) {
        if (a.keys.some((k) => !blocked.has(k) && b.keys.includes(k))) {
          const low = Math.min(label.get(a.id) as number, label.get(b.id) as number);
          if (label.get(a.id) !== low || label.get(b.id) !== low) {
            label.set(a.id, low);
            label.set(b.id, low);
            changed = true;
          }
        }
      }
  }
  return partition(label);
}

async function consistent(db: Kysely<Database>): Promise<void> {
  const bad = await sql<{ problem: string }>`
    SELECT 'count' AS problem FROM clusters c WHERE report_count <> (SELECT count(*) FROM report_clusters rc WHERE rc.cluster_id = c.id)
    UNION ALL SELECT 'orphan cluster' FROM report_clusters rc WHERE NOT EXISTS (SELECT 1 FROM clusters c WHERE c.id = rc.cluster_id)
    UNION ALL SELECT 'id not a member' FROM clusters c WHERE NOT EXISTS (SELECT 1 FROM report_clusters rc WHERE rc.report_id = c.id AND rc.cluster_id = c.id)
    UNION ALL SELECT 'key cluster' FROM report_indicators ri JOIN correlation_keys ck ON ck.key = ri.key JOIN report_clusters rc ON rc.report_id = ri.report_id
      WHERE ck.cluster_id IS DISTINCT FROM (CASE WHEN ck.blocked = 0 THEN rc.cluster_id END)`.execute(db);
  assert.deepEqual(bad.rows, []);
}

async function reset(db: Kysely<Database>): Promise<void> {
  await sql`TRUNCATE reports, report_indicators, report_clusters, clusters, correlation_keys, correlation_exclusions CASCADE`.execute(db);
}

for (const engine of ENGINES) {
  describe(`clusters (${engine})`, () => {
    let sg: Scamgraph;
    before(async () => {
      sg = await openTestScamgraph(engine, {});
    });
    after(async () => sg.close());

    it('incremental clusters equal the brute-force components and a full rebuild, ids included (random graphs and marks)', async () => {
      const markable = Object.keys(VALUE_OF);
      const step = fc.record({
        reports: fc.array(fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        mark: fc.option(fc.tuple(fc.constantFrom(...markable), fc.boolean()), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
          await reset(sg.db);
          const all: { id: number; keys: string[] }[] = [];
          const excluded = new Set<string>();
          for (const s of steps) {
            const batch = s.reports.map((keys) => ({ id: nextId++, keys }));
            all.push(...batch);
            await addReports(sg.db, batch);
            if (s.mark !== undefined) {
              const [key, correlate] = s.mark;
              if (correlate && !excluded.has(key)) continue;
              await sg.clusters.setCorrelation('officer', VALUE_OF[key] as { value: string; kind: 'phone' }, correlate, 'property test');
              if (correlate) excluded.delete(key);
              else excluded.add(key);
            }
          }
          const incremental = await stored(sg.db);
          assert.deepEqual(partition(incremental), oracle(all, new Set([...excluded, WARNING_LISTED, PLATFORM])));
          await consistent(sg.db);
          await rebuildClusters(sg.db);
          assert.deepEqual([...(await stored(sg.db))].sort(), [...incremental].sort(), 'a rebuild keeps every report in a cluster of the same id');
          await consistent(sg.db);
        }),
        { numRuns: 25 },
      );
    });

    it('a warning-listed number or a platform joins no two reports', async () => {
      await reset(sg.db);
      const [a, b, c, d] = [nextId++, nextId++, nextId++, nextId++];
      await addReports(sg.db, [{ id: a, keys: [WARNING_LISTED] }, { id: b, keys: [WARNING_LISTED, PLATFORM] }]);
      await addReports(sg.db, [{ id: c, keys: [PLATFORM] }, { id: d, keys: ['url:https://bit.ly/'] }]);
      assert.deepEqual(partition(await stored(sg.db)), [[a], [b], [c], [d]]);
      const keys = await sg.db.selectFrom('correlation_keys').select(['key', 'blocked', 'cluster_id']).orderBy('key').execute();
      assert.deepEqual(keys.map((k) => [k.key, k.blocked, k.cluster_id]), [[PLATFORM, 1, null], [WARNING_LISTED, 1, null], ['url:https://bit.ly/', 1, null]]);
    });

    it('marking a value "do not correlate" splits its cluster; unmarking merges it back under the same id', async () => {
      await reset(sg.db);
      const [a, b, c] = [nextId++, nextId++, nextId++];
      await addReports(sg.db, [{ id: a, keys: ['phone:+85291234560'] }, { id: b, keys: ['phone:+85291234560', 'email:mule@example.com'] }]);
      await addReports(sg.db, [{ id: c, keys: ['email:mule@example.com'] }]);
      assert.deepEqual([...(await stored(sg.db)).values()], [a, a, a]);
      const marked = await sg.clusters.setCorrelation('officer-1', { value: 'mule@example.com', kind: 'email' }, false, 'a shared test mailbox');
      assert.deepEqual(marked, { key: 'email:mule@example.com', state: 'do_not_correlate' });
      assert.deepEqual(Object.fromEntries(await stored(sg.db)), { [a]: a, [b]: a, [c]: c });
      const unmarked = await sg.clusters.setCorrelation('officer-1', { value: 'mule@example.com', kind: 'email' }, true, 'it is the mule after all');
      assert.equal(unmarked.state, 'correlates');
      assert.deepEqual(Object.fromEntries(await stored(sg.db)), { [a]: a, [b]: a, [c]: a });
      await consistent(sg.db);
      const audit = await sg.db.selectFrom('audit_log').select(['action', 'subject']).where('subject', '=', 'email:mule@example.com').where('actor', '=', 'officer-1').orderBy('seq').execute();
      assert.deepEqual(audit.map((r) => r.action), ['correlation.exclude', 'correlation.include']);
      await assert.rejects(sg.clusters.setCorrelation('officer-1', { value: 'mule@example.com', kind: 'email' }, true, 'again'), { code: 'NOT_FOUND' });
    });

    it('protecting a site splits the clusters its links held together; removing the protection merges them', async () => {
      await reset(sg.db);
      const [a, b] = [nextId++, nextId++];
      await addReports(sg.db, [{ id: a, keys: ['url:https://www.bank.example/login'] }, { id: b, keys: ['url:https://www.bank.example/login'] }]);
      assert.deepEqual(partition(await stored(sg.db)), [[a, b]]);
      await sg.verdicts.protect('officer-1', { value: 'bank.example', kind: 'domain' }, 'Example Bank');
      assert.deepEqual(partition(await stored(sg.db)), [[a], [b]]);
      await sg.verdicts.unprotect('officer-1', { value: 'bank.example', kind: 'domain' }, 'removed', 'test over');
      assert.deepEqual(partition(await stored(sg.db)), [[a, b]]);
      await consistent(sg.db);
    });

    it('related clusters are suggested, never merged: a number block, one site, look-alike sites', async () => {
      await reset(sg.db);
      const url = (value: string): string => normalize('url', value).key;
      const ids = Array.from({ length: 6 }, () => nextId++);
      const keys = [
        ['phone:+85291234560'], ['phone:+85291234561'],
        [url('https://evil-shop.example/a')], [url('https://evil-shop.example/b')],
        [url('https://hsbc.co/login')], [url('https://hsb\u0441.com/verify')],
      ];
      await addReports(sg.db, ids.map((id, i) => ({ id, keys: keys[i] as string[] })));
      assert.equal(new Set((await stored(sg.db)).values()).size, 6, 'six clusters: none of these merge');
      const related = async (id: number): Promise<string[]> => (await sg.clusters.show(id)).suggestions.map((s) => `${s.relation} ${s.cluster}`);
      assert.deepEqual(await related(ids[0]!), [`number_block ${ids[1]}`]);
      assert.deepEqual(await related(ids[2]!), [`same_site ${ids[3]}`]);
      assert.deepEqual(await related(ids[4]!), [`lookalike_site ${ids[5]}`]);
      const summary = await sg.clusters.show(ids[0]!);
      assert.deepEqual([summary.reportCount, summary.topIndicators], [1, [{ key: 'phone:+85291234560', kind: 'phone', reports: 1 }]]);
    });
  });
}
