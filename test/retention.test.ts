import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Scamgraph } from '../src/main.js';
import { ERASED } from '../src/modules/audit/audit-crypto.js';
import { addUsage } from '../src/modules/partners/partners.repository.js';
import { refreshEvidence } from '../src/modules/verdicts/verdicts.repository.js';
import { ENGINES, openTestScamgraph } from './helpers/database.js';

// Retention with the clock moved forward (issue 17): contacts, narratives, message texts, sessions and
// fingerprints go on schedule; a report under a legal hold stays whole; and evidence, clusters and verdicts
// afterwards equal those rebuilt from what remains.

const DAY = 86_400_000;
const NOW = new Date('2027-06-01T04:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const report = (value: string, narrative: string, email: string | null) => ({
  scamType: 'investment' as const,
  channel: 'call' as const,
  narrative,
  indicators: [{ value, role: 'caller' as const }],
  ...(email === null ? {} : { contact: { email, consent: true as const } }),
});

for (const engine of ENGINES) {
  describe(`retention (${engine})`, () => {
    let sg: Scamgraph;
    const refs = {} as Record<'oldA' | 'oldA2' | 'oldB' | 'oldC' | 'held' | 'closed' | 'fresh', string>;
    const disputes: string[] = [];

    before(async () => {
      sg = await openTestScamgraph(engine, { loadIndex: true });
      // 500 days ago: the same reporter (one address) twice on one number, two others on it, and one report held.
      refs.oldA = (await sg.reports.submit(report('+852 6123 0001', 'Old story A naming a teacher', 'a@example.com'), '10.20.1.1', ago(500))).reference;
      refs.oldA2 = (await sg.reports.submit(report('+852 6123 0001', 'Old story A again', 'a@example.com'), '10.20.1.1', ago(499))).reference;
      refs.oldB = (await sg.reports.submit(report('+852 6123 0001', 'Old story B', 'b@example.com'), '10.20.2.1', ago(498))).reference;
      refs.oldC = (await sg.reports.submit(report('+852 6123 0001', 'Old story C', null), '10.20.3.1', ago(497))).reference;
      refs.held = (await sg.reports.submit(report('+852 6123 0002', 'Held story for a court case', 'h@example.com'), '10.20.4.1', ago(450))).reference;
      // 100 days ago, closed 95 days ago: its contact has gone past 90 days; its narrative and fingerprint have not.
      refs.closed = (await sg.reports.submit(report('+852 6123 0003', 'Recent story, closed', 'c@example.com'), '10.20.5.1', ago(100))).reference;
      // Recent and open: nothing of it goes.
      refs.fresh = (await sg.reports.submit(report('+852 6123 0004', 'Fresh story', 'f@example.com'), '10.20.6.1', ago(5))).reference;
      await sg.db.updateTable('reports').set({ status: 'closed', status_changed_at: ago(95) }).where('reference', 'in', [refs.oldA, refs.oldA2, refs.oldB, refs.held, refs.closed]).execute();
      await sg.retention.hold('user:officer', refs.held, '2028-01-01', 'court case 2027/41', ago(1));
      await sg.messages.forward({ channel: 'sms', sender: '+852 6123 0005', text: 'Old parcel scam https://old-parcel.top/x' }, sg.messages.publicForwarder(undefined, '10.20.7.1'), 'en', ago(400));
      await sg.auth.addUser('retention-user', 'a-long-password-123', 'analyst');
      await sql`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_used_at)
        SELECT decode(md5('old session'), 'hex'), id, ${ago(60)}, ${ago(59)}, ${ago(59)} FROM users WHERE username = 'retention-user'`.execute(sg.db);
      // Sign-in throttles: one spent long ago, one recent.
      await sql`INSERT INTO login_throttle (name_hash, failures, last_failure_at, locked_until)
        VALUES (decode(md5('old name'), 'hex'), 5, ${ago(60)}, ${ago(59)}), (decode(md5('new name'), 'hex'), 2, ${ago(2)}, NULL)`.execute(sg.db);
      // Disputes of the fresh number: one decided 95 days ago (its person goes), one decided 10 days ago, one open.
      for (const [i, decidedDaysAgo] of [95, 10, null].entries()) {
        const d = await sg.disputes.submit({ request: 'dispute', value: '+852 6123 0004', role: 'owner', explanation: `Dispute ${i}: this is my shop’s number.`, contact: { name: 'Chan Tai Man', email: `shop${i}@example.com` } }, ago(120));
        disputes.push(d.reference);
        if (decidedDaysAgo !== null) await sg.disputes.decide('user:officer', d.reference, 'uphold', 'reports stand', undefined, ago(decidedDaysAgo));
      }
      // Officers read two contacts that go on schedule, and one that stays, each with a reason naming the person.
      await sg.reports.readContact('user:officer', refs.closed, 'calling Mr Chan Tai Man back about the closed case');
      await sg.reports.readContact('user:officer', refs.fresh, 'calling Ms Fresh back about the open case');
      await sg.disputes.readContact('user:officer', disputes[0]!, 'calling Mr Chan Tai Man about his dispute');
      // A partner's daily counts: one day 500 days ago (past the 400 days kept), one recent.
      const bank = (await sg.partners.addOrganisation('cli', { name: 'Retention Bank', type: 'bank', scopes: ['payee:check'] }, 'test')).organisation.id;
      await addUsage(sg.db, [ago(500), ago(5)].map((d) => ({ organisationId: bank, day: d.toISOString().slice(0, 10), route: 'POST /api/v1/partner/payee-check', calls: 7, refused: 0 })));
    });
    after(() => sg.close());

    const row = (reference: string) => sg.db.selectFrom('reports').select(['id', 'narrative', 'fingerprint', 'independence', 'narrative_redacted_at', 'fingerprint_rekeyed_at']).where('reference', '=', reference).executeTakeFirstOrThrow();
    const hasContact = async (reference: string) =>
      (await sg.db.selectFrom('reporter_contacts').innerJoin('reports', 'reports.id', 'reporter_contacts.report_id').select('report_id').where('reference', '=', reference).execute()).length === 1;
    const evidence = async () => (await sg.db.selectFrom('evidence').selectAll().orderBy('key').execute()).map((r) => JSON.stringify(r));
    /** The evidence recomputed from the reports (pairs recounted too), in a transaction rolled back. */
    const rebuilt = async (): Promise<string[]> => {
      const rollback = new Error('rollback');
      let rows: string[] = [];
      await assert.rejects(
        sg.db.transaction().execute(async (trx) => {
          const keys = (await sql<{ key: string }>`SELECT key FROM evidence`.execute(trx)).rows.map((r) => r.key);
          await refreshEvidence(trx, keys, { ...sg.verdicts.judgeContext(), now: NOW.getTime() / 1000 }, { recountReporters: true });
          rows = (await trx.selectFrom('evidence').selectAll().orderBy('key').execute()).map((r) => JSON.stringify(r));
          throw rollback;
        }),
        (e) => e === rollback,
      );
      return rows;
    };
    const clusters = async () => (await sql<{ r: string; c: number }>`SELECT r.reference AS r, rc.cluster_id AS c FROM report_clusters rc JOIN reports r ON r.id = rc.report_id ORDER BY 1`.execute(sg.db)).rows;

    it('a dry run counts what would go and changes nothing', async () => {
      const before = await evidence();
      const run = await sg.retention.run('cli', { dryRun: true, now: NOW });
      assert.deepEqual(run.deleted, { contacts: 4, narratives: 4, messages: 1, fingerprints: 3, independence: 3, sessions: 1, disputes: 1, usage: 1, throttles: 1 });
      assert.equal((await row(refs.oldA)).narrative, 'Old story A naming a teacher');
      assert.ok(await hasContact(refs.oldA));
      assert.deepEqual(await evidence(), before);
      assert.equal((await sg.db.selectFrom('audit_log').select('seq').where('action', '=', 'retention.run').execute()).length, 0, 'a dry run is not audited as a run');
    });

    it('a run removes what the schedule says, leaves a held report whole, and audits the counts', async () => {
      const evidenceBefore = await evidence();
      const clustersBefore = await clusters();
      const levelsBefore = ['+852 6123 0001', '+852 6123 0002', '+852 6123 0003', '+852 6123 0004'].map((v) => sg.verdicts.check(v, undefined, { exact: true }).verdict);
      const rebuiltBefore = await rebuilt();
      const oldA = await row(refs.oldA);
      const oldB = await row(refs.oldB);
      const fresh = await row(refs.fresh);

      const run = await sg.retention.run('cli', { now: NOW });
      assert.deepEqual(run.deleted, { contacts: 4, narratives: 4, messages: 1, fingerprints: 3, independence: 3, sessions: 1, disputes: 1, usage: 1, throttles: 1 });

      // Contacts: closed more than 90 days ago go, the held one stays, open reports' stay.
      assert.deepEqual(await Promise.all([refs.oldA, refs.oldA2, refs.oldB, refs.closed, refs.held, refs.fresh].map(hasContact)), [false, false, false, false, true, true]);
      // Narratives older than 365 days are redacted; the held one and recent ones are not.
      const after = Object.fromEntries(await Promise.all(Object.entries(refs).map(async ([k, v]) => [k, await row(v)] as const)));
      assert.deepEqual(Object.fromEntries(Object.entries(after).map(([k, r]) => [k, r.narrative])), {
        oldA: '', oldA2: '', oldB: '', oldC: '', held: 'Held story for a court case', closed: 'Recent story, closed', fresh: 'Fresh story',
      });
      // Fingerprints re-keyed: changed, still equal for one reporter's two reports, still distinct between reporters.
      assert.ok(!after.oldA!.fingerprint.equals(oldA.fingerprint) && !after.oldB!.fingerprint.equals(oldB.fingerprint));
      assert.ok(after.oldA!.fingerprint.equals(after.oldA2!.fingerprint));
      assert.ok(!after.oldA!.fingerprint.equals(after.oldB!.fingerprint));
      assert.ok(after.fresh!.fingerprint.equals(fresh.fingerprint), 'a recent report keeps its fingerprint');
      assert.equal(after.held!.fingerprint_rekeyed_at, null, 'a held report keeps its fingerprint');
      // Message text redacted, its template kept; the old session deleted.
      const [message] = await sg.db.selectFrom('messages').select(['text', 'template']).execute();
      assert.deepEqual([message?.text, message?.template.includes('⟨link⟩')], ['', true]);
      assert.equal((await sg.db.selectFrom('sessions').select('user_id').execute()).length, 0);
      assert.equal((await sg.db.selectFrom('login_throttle').select('failures').execute()).map((t) => t.failures).join(), '2', 'the spent throttle goes, the recent one stays');
      // Disputes: the one decided 95 days ago loses its person's contact and words, keeps its outcome; the others are whole.
      const stored = await sg.db.selectFrom('disputes').select(['reference', 'status', 'explanation', 'contact_ciphertext', 'redacted_at']).orderBy('id').execute();
      assert.deepEqual(stored.map((d) => [d.status, d.explanation === '', d.contact_ciphertext.length === 0, d.redacted_at !== null]), [
        ['upheld', true, true, true],
        ['upheld', false, false, false],
        ['open', false, false, false],
      ]);
      await assert.rejects(sg.disputes.readContact('user:officer', disputes[0]!, 'calling back'), /deleted under the retention schedule/);
      assert.equal((await sg.disputes.readContact('user:officer', disputes[1]!, 'calling back')).email, 'shop1@example.com');
      assert.equal((await sg.db.selectFrom('partner_usage').select('day').execute()).length, 1, 'only the recent day of counts stays');

      // Evidence, clusters and verdicts: unchanged, and equal to a rebuild from what remains.
      assert.deepEqual(await evidence(), evidenceBefore);
      assert.deepEqual(await clusters(), clustersBefore);
      await sg.verdicts.catchUp();
      const levelsAfter = ['+852 6123 0001', '+852 6123 0002', '+852 6123 0003', '+852 6123 0004'].map((v) => sg.verdicts.check(v, undefined, { exact: true }).verdict);
      assert.deepEqual(levelsAfter, levelsBefore);
      assert.deepEqual(await rebuilt(), rebuiltBefore, 'evidence rebuilt from the remaining reports equals evidence rebuilt before');
      await sg.clusters.rebuild('test');
      assert.deepEqual(await clusters(), clustersBefore, 'clusters rebuilt from what remains are the same');

      const audit = await sg.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'retention.run').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.actor, 'cli');
      assert.deepEqual((audit[0]?.details as { deleted: unknown }).deleted, run.deleted);
      // The officers' reasons for reading the contacts that went are shredded with them; the kept one's is readable.
      const reads = await sg.audit.list(0, 1000);
      const reasonOf = (action: string, subject: string) => (reads.find((r) => r.action === action && r.subject === subject)?.details as { reason?: unknown } | undefined)?.reason;
      assert.equal(reasonOf('contact.read', refs.closed), ERASED);
      assert.equal(reasonOf('dispute.contact_read', disputes[0]!), ERASED);
      assert.equal(reasonOf('contact.read', refs.fresh), 'calling Ms Fresh back about the open case');
      assert.equal((audit[0]?.details as { shreddedKeys: number }).shreddedKeys, 2);
    });

    it('a second run finds nothing more to do; lifting the hold lets the schedule reach the report', async () => {
      assert.deepEqual((await sg.retention.run('cli', { now: NOW })).deleted, { contacts: 0, narratives: 0, messages: 0, fingerprints: 0, independence: 0, sessions: 0, disputes: 0, usage: 0, throttles: 0 });
      assert.deepEqual((await sg.retention.holds(NOW)).map((h) => h.reference), [refs.held]);
      assert.deepEqual(await sg.retention.lift('user:officer', refs.held, 'case closed', NOW), { lifted: true });
      const run = await sg.retention.run('cli', { now: NOW });
      assert.deepEqual([run.deleted.contacts, run.deleted.narratives, run.deleted.fingerprints], [1, 1, 1]);
      assert.equal((await row(refs.held)).narrative, '');
      const actions = (await sg.db.selectFrom('audit_log').select('action').where('subject', '=', refs.held).orderBy('seq').execute()).map((a) => a.action);
      assert.deepEqual(actions, ['legal_hold.place', 'legal_hold.lift']);
    });

    it('refuses a hold without a valid future day, or on no report', async () => {
      await assert.rejects(sg.retention.hold('user:officer', refs.fresh, '2020-01-01', 'too late', NOW), /today or later/);
      await assert.rejects(sg.retention.hold('user:officer', refs.fresh, 'next year', 'bad day', NOW), /YYYY-MM-DD/);
      // A day that does not exist is refused as what it is, not left to the database (a 500).
      await assert.rejects(sg.retention.hold('user:officer', refs.fresh, '2029-02-31', 'no such day', NOW), (e: Error & { code?: string }) => e.code === 'VALIDATION_FAILED');
      await assert.rejects(sg.retention.hold('user:officer', 'SG-0000-0000-0000', '2028-01-01', 'no such report', NOW), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
    });
  });
}
