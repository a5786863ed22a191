import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, type ErrorCode } from '../../errors.js';
import type { Scamgraph } from '../../main.js';
import { ENGINES, openTestScamgraph } from '../../../test/helpers/database.js';
import { disputeReference, type DisputeInput } from './disputes.service.js';
import { disputeCounts } from './disputes.repository.js';

// The dispute service on a real database: what it stores (contact only encrypted, bound to its dispute), what
// it refuses, the per-value cap, decisions through the verdicts' own paths, and the counts.

const EMAIL = 'owner-contact@example.com';

async function refusedWith(code: ErrorCode, run: () => Promise<unknown>): Promise<void> {
  await assert.rejects(run, (error: unknown) => error instanceof AppError && error.code === code);
}

for (const engine of ENGINES) {
  describe(`disputes (${engine})`, () => {
    let sg: Scamgraph;
    let reporters = 0;
    /** Reports a phone number from `n` independent reporters (their own network blocks). */
    async function flag(phone: string, n: number): Promise<void> {
      for (let i = 0; i < n; i += 1) {
        reporters += 1;
        await sg.reports.submit({ scamType: 'investment', channel: 'call', narrative: '', indicators: [{ value: phone, role: 'caller' }] }, `10.77.${reporters}.9`);
      }
    }
    const dispute = (value: string, extra: Partial<DisputeInput> = {}): DisputeInput => ({
      request: 'dispute',
      value,
      role: 'owner',
      explanation: 'This is my shop’s number; we never called anyone about investments.',
      contact: { name: 'Chan Tai Man', email: EMAIL },
      ...extra,
    });

    before(async () => {
      sg = await openTestScamgraph(engine);
    });
    after(() => sg.close());

    it('references are DP- and 12 Crockford characters', () => {
      assert.match(disputeReference(), /^DP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    });

    it('stores the value in normal form, the contact only encrypted and the token only hashed', async () => {
      await flag('+852 5100 0001', 1);
      const submitted = await sg.disputes.submit(dispute('5100 0001', { links: ['https://shop.example/about', 'https://shop.example/about'] }));
      assert.equal(submitted.canonical, '+85251000001');
      assert.equal(submitted.kind, 'phone');
      const row = await sg.db.selectFrom('disputes').selectAll().where('reference', '=', submitted.reference).executeTakeFirstOrThrow();
      assert.equal(row.indicator_key, 'phone:+85251000001');
      assert.equal(row.level_at_submission, 'suspicious');
      assert.deepEqual(row.evidence_links, ['https://shop.example/about']);
      const stored = JSON.stringify(row);
      assert.ok(!stored.includes(EMAIL) && !stored.includes('Chan Tai Man') && !stored.includes(submitted.statusToken));
      const status = await sg.disputes.status(submitted.reference, submitted.statusToken);
      assert.equal(status.status, 'open');
      assert.equal(status.statusText.en, 'Received. An officer will review your dispute.');
      await refusedWith('NOT_FOUND', () => sg.disputes.status(submitted.reference, 'not-the-token'));
      assert.deepEqual(await sg.disputes.readContact('an-officer', submitted.reference, 'to send the answer'), { name: 'Chan Tai Man', email: EMAIL });
      const audit = await sg.db.selectFrom('audit_log').select(['action', 'subject']).where('subject', '=', submitted.reference).execute();
      assert.deepEqual(audit, [{ action: 'dispute.contact_read', subject: submitted.reference }]);
    });

    it('a contact moved from another dispute does not decrypt: DATA_INTEGRITY, and the attempt is audited', async () => {
      await flag('+852 5100 0002', 1);
      const a = await sg.disputes.submit(dispute('+852 5100 0002'));
      const b = await sg.disputes.submit(dispute('+852 5100 0002', { contact: { name: 'Someone Else', phone: '+852 6100 0000' } }));
      const stolen = await sg.db.selectFrom('disputes').select(['contact_nonce', 'contact_ciphertext']).where('reference', '=', a.reference).executeTakeFirstOrThrow();
      await sg.db.updateTable('disputes').set(stolen).where('reference', '=', b.reference).execute();
      await refusedWith('DATA_INTEGRITY', () => sg.disputes.readContact('an-officer', b.reference, 'to send the answer'));
      const actions = (await sg.db.selectFrom('audit_log').select('action').where('subject', '=', b.reference).execute()).map((r) => r.action);
      assert.deepEqual(actions, ['dispute.contact_integrity_failure']);
    });

    it('refuses what cannot be answered or has nothing to dispute, storing nothing', async () => {
      await flag('+852 5100 0003', 1);
      const before = await sg.db.selectFrom('disputes').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      await refusedWith('INVALID_CONTACT', () => sg.disputes.submit(dispute('+852 5100 0003', { contact: { name: 'No Way Back' } })));
      await refusedWith('INVALID_CONTACT', () => sg.disputes.submit(dispute('+852 5100 0003', { contact: { name: 'Bad Mail', email: 'not an address' } })));
      await refusedWith('INVALID_CONTACT', () => sg.disputes.submit(dispute('+852 5100 0003', { contact: { name: '  ', email: EMAIL } })));
      await refusedWith('VALIDATION_FAILED', () => sg.disputes.submit(dispute('+852 5100 0003', { explanation: '   short  ' })));
      await refusedWith('VALIDATION_FAILED', () => sg.disputes.submit(dispute('+852 5100 0003', { request: 'verify' })));
      await refusedWith('NOT_DISPUTABLE', () => sg.disputes.submit(dispute('+852 5100 0099')));
      await refusedWith('INVALID_PHONE', () => sg.disputes.submit(dispute('zzz', { kind: 'phone' })));
      await refusedWith('UNRECOGNIZED', () => sg.disputes.submit(dispute('not a value at all !!')));
      const afterwards = await sg.db.selectFrom('disputes').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterwards.n), Number(before.n));
    });

    it('takes at most 3 open disputes of one value, however many addresses send them', async () => {
      await flag('+852 5100 0004', 1);
      const taken = await Promise.allSettled(Array.from({ length: 5 }, () => sg.disputes.submit(dispute('+852 5100 0004'))));
      assert.equal(taken.filter((t) => t.status === 'fulfilled').length, 3);
      for (const t of taken) if (t.status === 'rejected') assert.equal((t.reason as AppError).code, 'TOO_MANY_DISPUTES');
    });

    it('clear: the verdict follows through the officers’ decision path; the dispute is decided once', async () => {
      await flag('+852 5100 0005', 3);
      assert.equal(sg.verdicts.check('+85251000005').verdict.level, 'high_risk');
      const submitted = await sg.disputes.submit(dispute('+852 5100 0005'));
      await refusedWith('DECISION_DOES_NOT_FIT', () => sg.disputes.decide('an-officer', submitted.reference, 'verify', 'wrong kind of decision'));
      const decided = await sg.disputes.decide('an-officer', submitted.reference, 'clear', 'the shop showed its business registration');
      assert.equal(decided.status, 'cleared');
      assert.equal(decided.levelNow, 'no_record');
      assert.equal(sg.verdicts.check('+85251000005').verdict.level, 'no_record');
      const decision = await sg.db.selectFrom('decisions').selectAll().where('evidence_key', '=', 'phone:+85251000005').executeTakeFirstOrThrow();
      assert.match(decision.reason, new RegExp(`^dispute ${submitted.reference}: `));
      const actions = (await sg.db.selectFrom('audit_log').select(['action', 'subject']).orderBy('seq').execute()).filter((r) => r.subject === submitted.reference || r.subject === 'phone:+85251000005');
      assert.deepEqual(actions.map((r) => r.action), ['indicator.decide', 'dispute.decide']);
      await refusedWith('DISPUTE_DECIDED', () => sg.disputes.decide('an-officer', submitted.reference, 'uphold', 'second thoughts'));
      const status = await sg.disputes.status(submitted.reference, submitted.statusToken);
      assert.equal(status.status, 'cleared');
      assert.equal(status.reason, 'the shop showed its business registration');
      assert.ok(status.decidedAt !== null);
    });

    it('a decision recorded after the verdict change was already made (a retry) still records once', async () => {
      await flag('+852 5100 0006', 3);
      const submitted = await sg.disputes.submit(dispute('+852 5100 0006'));
      // As if a first attempt changed the verdict and failed before recording the dispute's decision.
      await sg.verdicts.decide('an-officer', { value: '+85251000006', kind: 'phone' }, 'cleared', `dispute ${submitted.reference}: first try`);
      const decided = await sg.disputes.decide('an-officer', submitted.reference, 'clear', 'second try');
      assert.equal(decided.status, 'cleared');
      assert.equal(sg.verdicts.check('+85251000006').verdict.level, 'no_record');
    });

    it('verify protects the value under the organisation’s name; reject and uphold change no verdict', async () => {
      const verify = await sg.disputes.submit({ ...dispute('+852 2100 0007'), request: 'verify', organisation: 'Harbour Tea House Ltd', role: 'representative' });
      const verified = await sg.disputes.decide('an-officer', verify.reference, 'verify', 'checked with the Companies Registry');
      assert.equal(verified.status, 'verified');
      assert.equal(sg.verdicts.check('+85221000007').verdict.level, 'verified');
      assert.ok((await sg.verdicts.listProtected()).some((p) => p.name === 'Harbour Tea House Ltd'));
      await refusedWith('NOT_DISPUTABLE', () => sg.disputes.submit({ ...dispute('+852 2100 0007'), request: 'verify', organisation: 'Again Ltd' }));

      await flag('+852 5100 0008', 3);
      const upheld = await sg.disputes.submit(dispute('+852 5100 0008'));
      assert.equal((await sg.disputes.decide('an-officer', upheld.reference, 'uphold', 'victims’ accounts are consistent')).status, 'upheld');
      assert.equal(sg.verdicts.check('+85251000008').verdict.level, 'high_risk');
      const rejected = await sg.disputes.submit({ ...dispute('+852 5100 0008'), request: 'verify', organisation: 'Scam Co' });
      assert.equal((await sg.disputes.decide('an-officer', rejected.reference, 'reject', 'not a registered business')).status, 'rejected');
      assert.equal(sg.verdicts.check('+85251000008').verdict.level, 'high_risk');
    });

    it('the queue shows open disputes first, the longest waiting first', async () => {
      const page = await sg.disputes.queue('all', 100, 0);
      const statuses = page.disputes.map((d) => d.status);
      const firstDecided = statuses.findIndex((s) => s !== 'open');
      assert.ok(firstDecided > 0 && statuses.slice(firstDecided).every((s) => s !== 'open'));
      const open = page.disputes.slice(0, firstDecided).map((d) => d.receivedAt.getTime());
      assert.deepEqual(open, [...open].sort((a, b) => a - b));
      assert.equal((await sg.disputes.queue('open', 100, 0)).total, firstDecided);
    });

    it('counts disputes by month, request, kind and status', async () => {
      await flag('+852 5100 0010', 1);
      await sg.disputes.submit(dispute('+852 5100 0010'), new Date('2024-03-31T23:30:00Z'));
      const counts = await disputeCounts(sg.db);
      assert.deepEqual(counts.filter((c) => c.month === '2024-03'), [{ month: '2024-03', request: 'dispute', kind: 'phone', status: 'open', count: 1 }]);
      const month = new Date().toISOString().slice(0, 7);
      const now = counts.filter((c) => c.month === month);
      assert.deepEqual(now.find((c) => c.request === 'dispute' && c.status === 'cleared'), { month, request: 'dispute', kind: 'phone', status: 'cleared', count: 2 });
      assert.deepEqual(now.find((c) => c.request === 'verify' && c.status === 'verified'), { month, request: 'verify', kind: 'phone', status: 'verified', count: 1 });
      assert.deepEqual((await sg.disputes.counts(new Date('2024-04-01T00:00:00Z'))).filter((c) => c.month === '2024-03'), []);
    });
  });
}
