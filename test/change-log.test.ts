import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openScamgraph, type Scamgraph } from '../src/main.js';
import { allEvidence } from '../src/modules/verdicts/verdict-log.repository.js';
import type { Evidence } from '../src/modules/verdicts/verdict.types.js';
import { freshDatabase, testConfig, type FreshDatabase } from './helpers/database.js';

const report = (phone: string) => ({ scamType: 'investment' as const, channel: 'call' as const, narrative: 'Promised returns', indicators: [{ value: phone, role: 'caller' as const }] });

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

// Two API servers on one PostgreSQL, each with its own in-memory index: only meaningful with a server.
if (process.env.DATABASE_URL) {
  describe('two servers on one PostgreSQL follow one change log', () => {
    let fresh: FreshDatabase;
    let a: Scamgraph;
    let b: Scamgraph;
    before(async () => {
      fresh = await freshDatabase('postgres');
      a = await openScamgraph(testConfig(fresh.url), { loadIndex: true, follow: true });
      b = await openScamgraph(testConfig(fresh.url), { loadIndex: true, follow: true });
    });
    after(async () => {
      await a.close();
      await b.close();
      await fresh.drop();
    });

    it('a report written through one server shows on the other within one second', async () => {
      for (let i = 0; i < 3; i++) await a.reports.submit(report('+852 9123 0042'), `10.1.${i}.1`);
      assert.equal(a.verdicts.check('+85291230042').verdict.level, 'high_risk');
      const waited = await until(() => b.verdicts.check('+85291230042').verdict.level === 'high_risk', 1000);
      assert.equal(b.verdicts.check('+85291230042').verdict.level, 'high_risk', `not seen after ${waited} ms`);
      assert.ok(waited < 1000);
    });

    it("an officer's decision on the other server shows on the first within one second", async () => {
      await b.verdicts.decide('user:test', { value: '+85291230042' }, 'cleared', 'the caller is a real investment firm');
      const waited = await until(() => a.verdicts.check('+85291230042').verdict.level === 'no_record', 1000);
      assert.equal(a.verdicts.check('+85291230042').verdict.reasons[0]?.code, 'OFFICER_CLEARED', `not seen after ${waited} ms`);
      assert.ok(b.verdicts.index.seq > 0 && a.verdicts.index.seq === b.verdicts.index.seq);
    });

    it('a server started later loads the same verdicts', async () => {
      const c = await openScamgraph(testConfig(fresh.url), { loadIndex: true });
      try {
        assert.equal(c.verdicts.check('+85291230042').verdict.level, 'no_record');
        assert.equal(c.verdicts.index.seq, a.verdicts.index.seq);
      } finally {
        await c.close();
      }
    });
  });
}

describe('the index follows its own writes (embedded database)', () => {
  let sg: Scamgraph;
  before(async () => {
    sg = await openScamgraph(testConfig(null), { loadIndex: true });
  });
  after(() => sg.close());

  it('counts independent reporters once each and explains the verdict', async () => {
    await sg.reports.submit(report('+852 6123 0099'), '10.2.0.1');
    await sg.reports.submit(report('+852 6123 0099'), '10.2.0.1'); // the same report again: a duplicate
    const one = sg.verdicts.check('+852 6123 0099');
    assert.equal(one.verdict.level, 'suspicious');
    assert.equal(one.verdict.reportCount, 1);
    await sg.reports.submit({ ...report('+852 6123 0099'), narrative: 'Another story' }, '10.2.0.1'); // same reporter, new report
    assert.equal(sg.verdicts.check('+852 6123 0099').verdict.reportCount, 1);
    await sg.reports.submit(report('+852 6123 0099'), '10.2.2.1');
    await sg.reports.submit(report('+852 6123 0099'), '10.2.3.1');
    const three = sg.verdicts.check('+852 6123 0099', undefined, { exact: true });
    assert.equal(three.verdict.level, 'high_risk');
    assert.equal(three.verdict.reportCount, 3);
    assert.deepEqual(three.verdict.scamTypes, ['investment']);
  });

  it('loads the same evidence through COPY (the fast path) as through rows, escapes and NULLs included', async () => {
    assert.ok(sg.storage.copyOut !== null);
    await sql`INSERT INTO evidence (key, kind, report_count, source_count, first_seen, last_seen, last_report, scam_types, feed_level, feed_name, decision, decided_at, protection, feed_until)
      VALUES ('urle:odd.top/a\\b\tc?ü=1', 'url', 1, 1, now(), now(), NULL, 3, 2, 'feed with \\ and 中文', 0, NULL, 0, now() + interval '1 day')`.execute(sg.db);
    const viaCopy: Evidence[] = [];
    // One block per page through COPY (in block order), two rows per page through rows (in key order).
    for await (const page of allEvidence(sg.db, sg.storage.copyOut, 2, 1)) viaCopy.push(...page);
    const viaRows: Evidence[] = [];
    for await (const page of allEvidence(sg.db, null, 2)) viaRows.push(...page);
    assert.ok(viaRows.length >= 2);
    const byEntry = (a: Evidence, b: Evidence): number => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0);
    assert.deepEqual(viaCopy.sort(byEntry), viaRows);
    assert.ok(viaCopy.some((e) => e.feedName === 'feed with \\ and 中文' && e.entry === 'urle:odd.top/a\\b\tc?ü=1' && e.lastReport === null));
  });
});
