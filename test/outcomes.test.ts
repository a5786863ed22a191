import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Scamgraph } from '../src/main.js';
import { ENGINES, openTestScamgraph } from './helpers/database.js';
import { freshAddress } from './helpers/http.js';

// Outcomes flow back (issue 12): a report closed as not a scam or as a duplicate stops counting as evidence;
// the values it named are recomputed, the verdict log says so, and re-opening the report restores it.

const report = (value: string, narrative: string) => ({ scamType: 'investment' as const, channel: 'call' as const, narrative, indicators: [{ value, role: 'caller' as const }] });

for (const engine of ENGINES) {
  describe(`outcomes flow back into verdicts (${engine})`, () => {
    let sg: Scamgraph;
    before(async () => {
      sg = await openTestScamgraph(engine);
    });
    after(() => sg.close());

    const threeReports = async (value: string): Promise<string[]> => {
      const refs: string[] = [];
      for (let i = 0; i < 3; i++) refs.push((await sg.reports.submit(report(value, `person ${i} lost money`), freshAddress())).reference);
      assert.equal(sg.verdicts.check(value).verdict.level, 'high_risk');
      return refs;
    };
    const exactCount = (value: string): number => sg.verdicts.check(value, undefined, { exact: true }).verdict.reportCount;

    it('three reports closed as not a scam leave the number with no record, and the verdict log says so', async () => {
      const refs = await threeReports('+852 6400 0001');
      const from = (await sg.verdicts.snapshot()).seq;
      await sg.triage.close('user:officer', refs[0]!, 'not_a_scam', 'a real investment firm');
      assert.equal(exactCount('+852 6400 0001'), 2);
      assert.equal(sg.verdicts.check('+852 6400 0001').verdict.level, 'suspicious');
      await sg.triage.closeMany('user:officer', refs.slice(1), 'not_a_scam', 'the same firm');
      const after = sg.verdicts.check('+852 6400 0001');
      assert.equal(after.verdict.level, 'no_record');
      assert.deepEqual(after.verdict.reasons.map((r) => r.code), ['NO_RECORD']);
      const rows = await sg.verdicts.changesSince(from, { kinds: ['phone'] });
      assert.deepEqual(rows.map((r) => `${r.previous}>${r.level}`), ['high_risk>suspicious', 'suspicious>no_record']);
    });

    it('re-opening a report closed as not a scam restores what it gave', async () => {
      const [first] = await sg.db.selectFrom('reports').select('reference').where('narrative', '=', 'person 0 lost money').orderBy('id').execute();
      await sg.triage.reopen('user:officer', first!.reference, 'closed by mistake');
      assert.equal(exactCount('+852 6400 0001'), 1);
      assert.equal(sg.verdicts.check('+852 6400 0001').verdict.level, 'suspicious');
      const status = await sg.db.selectFrom('reports').select(['status', 'outcome']).where('reference', '=', first!.reference).executeTakeFirstOrThrow();
      assert.deepEqual(status, { status: 'triaged', outcome: null });
      await assert.rejects(sg.triage.reopen('user:officer', first!.reference, 'again'), { code: 'INVALID_TRANSITION' });
    });

    it('closing as a duplicate stops counting too; closing with action taken does not', async () => {
      const refs = await threeReports('+852 6400 0002');
      await sg.triage.close('user:officer', refs[0]!, 'action_taken', 'referred to the bank');
      assert.equal(exactCount('+852 6400 0002'), 3);
      await sg.triage.close('user:officer', refs[1]!, 'duplicate', 'the same victim reported twice');
      assert.equal(exactCount('+852 6400 0002'), 2);
      assert.equal(sg.verdicts.check('+852 6400 0002').verdict.level, 'suspicious');
    });

    it('a whole cluster closed as not a scam clears all its values', async () => {
      await threeReports('+852 6400 0003');
      const row = await sg.db
        .selectFrom('reports as r')
        .innerJoin('report_clusters as c', 'c.report_id', 'r.id')
        .innerJoin('report_indicators as i', 'i.report_id', 'r.id')
        .select('c.cluster_id')
        .where('i.key', '=', 'phone:+85264000003')
        .executeTakeFirstOrThrow();
      await sg.triage.closeCluster('user:officer', row.cluster_id, 'not_a_scam', 'a genuine call centre');
      assert.equal(sg.verdicts.check('+852 6400 0003').verdict.level, 'no_record');
    });

    it('a reporter whose report stopped counting counts again with a new report (the counted pairs are rebuilt)', async () => {
      const address = freshAddress();
      const { reference } = await sg.reports.submit(report('+852 6400 0004', 'first story'), address);
      await sg.triage.close('user:officer', reference, 'not_a_scam', 'mistaken');
      assert.equal(sg.verdicts.check('+852 6400 0004').verdict.level, 'no_record');
      await sg.reports.submit(report('+852 6400 0004', 'it happened again, for real this time'), address);
      assert.equal(exactCount('+852 6400 0004'), 1);
    });

    it('officers deciding values while others work reports all succeed: every writer locks the change log before the audit log', async () => {
      // On PostgreSQL each runs on its own connection; locks taken in two orders would deadlock some of them.
      const refs = await threeReports('+852 6400 0005');
      const actions = Array.from({ length: 12 }, (_, i) => [
        sg.verdicts.decide('user:officer', { value: `+852 6400 01${String(i).padStart(2, '0')}` }, 'high_risk', 'confirmed by the bank'),
        sg.triage.note('user:officer', refs[i % 3]!, `note ${i}`),
        sg.triage.triage('user:officer', refs[(i + 1) % 3]!, { vulnerable: i % 2 === 0 }),
      ]).flat();
      const results = await Promise.allSettled(actions);
      assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
    });
  });
}
