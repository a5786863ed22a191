import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { appendAudit } from '../../src/modules/audit/audit.repository.js';
import { addUsage } from '../../src/modules/partners/partners.repository.js';
import { TransparencyService, reportPeriod } from '../../src/modules/transparency/transparency.service.js';
import type { TransparencyReport } from '../../src/modules/transparency/transparency.types.js';
import { addCheckCounts } from '../../src/modules/verdicts/check-counts.repository.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';

// The public transparency report (issue 17) end to end: data seeded through the services that write it in
// production, then each figure read back through GET /api/v1/transparency, rounded as the public trends are
// (under 10 not published, others rounded down to 5), and the data inventory following the schedule in force.

const DAY_MS = 86_400_000;
/** A schedule unlike the defaults, so that the inventory can only have its days from the config. */
const RETENTION = { contactDays: 31, narrativeDays: 222, messageDays: 111, fingerprintDays: 444, sessionDays: 9, usageDays: 555 };
const phone = (i: number): string => `+852 9100 ${String(1000 + i)}`;
const report = (value: string, contact?: { name: string; email: string; consent: true }) => ({
  scamType: 'investment' as const,
  channel: 'whatsapp' as const,
  narrative: 'Promised 30% a month, then stopped answering.',
  indicators: [{ value, role: 'caller' as const }],
  ...(contact === undefined ? {} : { contact }),
});

for (const engine of ENGINES) {
  describe(`GET /api/v1/transparency (${engine})`, () => {
    let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
    let app: FastifyInstance;
    /** The app as it will be tomorrow: the report counts whole days, so today's seeds show from then. */
    let tomorrowApp: FastifyInstance;
    const today = new Date();
    const tomorrow = new Date(Math.floor(today.getTime() / DAY_MS) * DAY_MS + DAY_MS);
    const { months } = reportPeriod(tomorrow);
    const thisMonth = months.length - 1;
    let body: TransparencyReport;

    before(async () => {
      sg = await openTestScamgraph(engine, { loadIndex: true }, { retention: RETENTION });
      app = await buildApp(sg);
      const transparency = new TransparencyService(sg.db, sg.config.retention, (since, until) => sg.disputes.counts(since, until), () => tomorrow);
      tomorrowApp = await buildApp({ ...sg, transparency });

      // 13 e-mail addresses reported, then lapsed: the verdict clock run past the decay window.
      for (let i = 0; i < 13; i++) await sg.reports.submit(report(`agent${i}@lapsing-scam.example`), `10.9.${i}.1`);
      await sg.verdicts.applyDueChanges(Date.now() / 1000 + (sg.config.verdicts.decayDays + 2) * 86_400);
      // 23 phone numbers reported (each suspicious), 12 of them with the reporter's contact; 11 cleared by an officer.
      const references: string[] = [];
      for (let i = 0; i < 23; i++) {
        const contact = i < 12 ? { name: `Reporter ${i}`, email: `reporter${i}@example.com`, consent: true as const } : undefined;
        references.push((await sg.reports.submit(report(phone(i), contact), `10.8.${i}.1`)).reference);
      }
      for (let i = 0; i < 11; i++) await sg.verdicts.decide('officer-1', { value: phone(i), kind: 'phone' }, 'cleared', 'the owner showed it is theirs');
      // 13 sites an officer confirmed as high risk.
      for (let i = 0; i < 13; i++) await sg.verdicts.decide('officer-1', { value: `confirmed-scam-${i}.example`, kind: 'domain' }, 'high_risk', 'seen in a raid');
      // 12 contacts revealed, each with a reason.
      for (let i = 0; i < 12; i++) await sg.reports.readContact('officer-1', references[i] as string, 'calling back about the case');
      // Checks: 23 today, 7 on a day of an earlier month.
      const earlier = `${months[thisMonth - 3]}-15`;
      await addCheckCounts(sg.db, new Map([[today.toISOString().slice(0, 10), 23], [earlier, 7]]));
      // Partners' calls: a bank 23 today, a telco 7.
      const bank = await sg.partners.addOrganisation('cli', { name: 'Harbour Bank', type: 'bank', scopes: ['payee:check'] }, 'transparency test');
      const telco = await sg.partners.addOrganisation('cli', { name: 'Harbour Mobile', type: 'telco', scopes: ['calls:screen'] }, 'transparency test');
      const day = today.toISOString().slice(0, 10);
      await addUsage(sg.db, [
        { organisationId: bank.organisation.id, day, route: 'POST /api/v1/partner/payee-check', calls: 20, refused: 0 },
        { organisationId: bank.organisation.id, day, route: 'GET /api/v1/partner/feeds/:feed', calls: 3, refused: 1 },
        { organisationId: telco.organisation.id, day, route: 'POST /api/v1/partner/calls/screen', calls: 7, refused: 0 },
      ]);
      // Two runs of the retention job (23 contacts, 7 narratives in all) and a dry run, which deletes nothing.
      const run = (dryRun: boolean, deleted: Record<string, number>) =>
        sg.db.transaction().execute((trx) => appendAudit(trx, sg.secrets.auditKey, { actor: 'retention', action: 'retention.run', subject: 'retention', details: { dryRun, deleted } }));
      await run(false, { contacts: 12, narratives: 7, messages: 0, fingerprints: 0, independence: 0, sessions: 0 });
      await run(false, { contacts: 11, narratives: 0, messages: 0, fingerprints: 0, independence: 0, sessions: 0 });
      await run(true, { contacts: 500, narratives: 500, messages: 500, fingerprints: 500, independence: 500, sessions: 500 });
      // Legal holds: 12 placed, one lifted again: 11 in force.
      for (let i = 0; i < 12; i++) await sg.retention.hold('officer-1', references[i] as string, '2099-12-31', 'court order');
      await sg.retention.lift('officer-1', references[0] as string, 'order discharged');
      // Disputes: 12 numbers still flagged, each disputed by its owner.
      for (let i = 11; i < 23; i++) {
        await sg.disputes.submit({ request: 'dispute', value: phone(i), kind: 'phone', role: 'owner', explanation: 'This is my own shop’s number, not a scam.', contact: { name: `Owner ${i}`, email: `owner${i}@example.com` } });
      }

      const res = await tomorrowApp.inject({ method: 'GET', url: '/api/v1/transparency' });
      assert.equal(res.statusCode, 200, res.body);
      body = res.json() as TransparencyReport;
    });
    after(async () => {
      await app?.close();
      await tomorrowApp?.close();
      await sg?.close();
    });

    const month = (counts: (number | null)[], i = thisMonth): number | null => counts[i] as number | null;
    const series = <T extends { name: string; counts: (number | null)[] }>(list: T[], name: string): (number | null)[] => (list.find((s) => s.name === name) as T).counts;

    it('counts 12 whole calendar months (UTC) up to today, oldest first', () => {
      assert.equal(body.months.length, 12);
      assert.equal(body.months.at(-1), today.toISOString().slice(0, 7), 'the last month is today’s: tomorrow counts up to its start');
      assert.equal(body.until, tomorrow.toISOString().slice(0, 10));
      assert.equal(body.from, `${body.months[0]}-01`);
      assert.deepEqual([body.smallestPublished, body.roundedTo], [10, 5]);
    });

    it('publishes checks per month rounded: 23 shows as 20, 7 not at all', () => {
      assert.equal(month(body.checks), 20);
      assert.equal(month(body.checks, thisMonth - 3), null);
      assert.equal(body.checks.filter((c) => c !== null).length, 1, 'every other month is zero, so unpublished');
    });

    it('counts reports per month by source: 36 public reports show as 35', () => {
      assert.equal(month(series(body.reports, 'public')), 35);
      for (const source of ['message', 'import', 'other']) assert.equal(month(series(body.reports, source)), null, source);
    });

    it('counts the values flagged now by kind and level', () => {
      const of = (kind: string) => body.flagged.find((f) => f.kind === kind);
      assert.deepEqual(of('phone'), { kind: 'phone', high_risk: null, suspicious: 10 }, '12 still suspicious');
      assert.deepEqual(of('domain'), { kind: 'domain', high_risk: 10, suspicious: null }, '13 confirmed');
      assert.deepEqual(of('email'), { kind: 'email', high_risk: null, suspicious: null }, 'all lapsed');
    });

    it('tells values that lapsed from values an officer cleared', () => {
      assert.equal(month(series(body.unflagged, 'lapsed')), 10, '13 lapsed');
      assert.equal(month(series(body.unflagged, 'officer')), 10, '11 cleared');
    });

    it('counts officers’ reveals of contact details', () => {
      assert.equal(month(series(body.contactReads, 'reporters')), 10, '12 read');
      assert.equal(month(series(body.contactReads, 'disputers')), null);
    });

    it('counts partners’ calls by organisation type', () => {
      assert.equal(month(series(body.partnerCalls, 'bank')), 20, '23 calls');
      assert.equal(month(series(body.partnerCalls, 'telco')), null, '7 calls');
    });

    it('sums what the retention job deleted, leaving dry runs out', () => {
      assert.equal(month(series(body.deletions, 'contacts')), 20, '12 + 11');
      assert.equal(month(series(body.deletions, 'narratives')), null, '7');
      assert.equal(month(series(body.deletions, 'sessions')), null, 'the dry run’s 500 are not counted');
    });

    it('counts legal holds in force and placed per month', () => {
      assert.equal(body.legalHolds.inForce, 10, '11 in force');
      assert.equal(month(body.legalHolds.placed), 10, '12 placed');
    });

    it('counts disputes received and their outcomes', () => {
      assert.equal(month(series(body.disputes.received, 'dispute')), 10, '12 received');
      assert.equal(month(series(body.disputes.received, 'verify')), null);
      assert.deepEqual(
        body.disputes.outcomes.filter((o) => o.request === 'dispute'),
        [
          { request: 'dispute', status: 'open', count: 10 },
          { request: 'dispute', status: 'upheld', count: null },
          { request: 'dispute', status: 'cleared', count: null },
        ],
      );
    });

    it('publishes the data inventory from the schedule in force, in both languages', () => {
      const days = Object.fromEntries(body.inventory.map((item) => [item.data, item.days]));
      assert.deepEqual(days, { reporter_contacts: 31, narratives: 222, messages: 111, disputes: 31, fingerprints: 444, sessions: 9, check_counts: null, partner_usage: 555, audit_log: null });
      const contacts = body.inventory.find((item) => item.data === 'reporter_contacts');
      assert.match(contacts?.kept.en ?? '', /\b31 days\b/);
      assert.match(contacts?.kept['zh-Hant'] ?? '', /31 日/);
    });

    it('no figure is a count under 10 or off the rounding', () => {
      const counts = JSON.stringify({ ...body, inventory: [] }).match(/"(?:counts|checks|placed)":\[[^\]]*\]|"(?:count|inForce|high_risk|suspicious)":(?:\d+|null)/g) ?? [];
      const numbers = counts.flatMap((c) => [...c.matchAll(/\d+/g)].map((m) => Number(m[0])));
      assert.ok(numbers.length > 0);
      for (const n of numbers) assert.ok(n >= 10 && n % 5 === 0, `${n} published`);
    });

    it('is public and cacheable: an ETag, If-None-Match gives 304; today’s seeds are not counted before tomorrow', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/transparency' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'public, max-age=300');
      const etag = String(res.headers.etag);
      assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
      const again = await app.inject({ method: 'GET', url: '/api/v1/transparency', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const now = res.json() as TransparencyReport;
      assert.equal(month(now.checks, now.months.length - 1), null, 'the period ends at the start of today');
      assert.equal(month(series(now.disputes.received, 'dispute'), now.months.length - 1), null, 'today’s disputes wait for tomorrow too');
      assert.ok(now.disputes.outcomes.every((o) => o.count === null));
      assert.deepEqual(now.inventory, body.inventory);
      const refused = await app.inject({ method: 'GET', url: '/api/v1/transparency?month=2024-01' });
      assert.equal(refused.statusCode, 400);
    });
  });
}
