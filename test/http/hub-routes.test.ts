import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, bearer, freshAddress, login } from '../helpers/http.js';
import { openApiDocument, recordAnswers, undocumentedAnswers } from '../helpers/openapi.js';

// The hub end to end over HTTP: a new report is found in the queue (with why it ranks where it does),
// triaged, noted, referred with its whole cluster and closed, while the reporter's status page follows in
// plain words; the cluster's summary, graph and split; stats; and every action in the audit log.

const SHARED = '+852 6123 4567';

interface QueueAnswer {
  total: number;
  items: { reference: string; status: string; cluster: number; clusterReports: number; priority: number; vulnerable: boolean; assignee: string | null; reasons: { code: string; points: number; text: { en: string } }[] }[];
}

for (const engine of ENGINES) {
  describe(`hub routes: triage flow (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    /** Every route and status answered in this suite, checked against the API document at the end. */
    let answers: Set<string>;
    let officer: string;
    let analyst: string;
    const reports: { reference: string; statusToken: string }[] = [];

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      answers = recordAnswers(app);
      await sg.auth.addUser('duty-officer', PASSWORD, 'officer');
      await sg.auth.addUser('an-analyst', PASSWORD, 'analyst');
      officer = await login(app, 'duty-officer');
      analyst = await login(app, 'an-analyst');
      const submit = async (payload: object): Promise<void> => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload, remoteAddress: freshAddress() });
        assert.equal(res.statusCode, 201, res.body);
        reports.push(res.json());
      };
      // Three victims of one caller (a cluster), the first with a large loss; one unrelated report.
      await submit({ scamType: 'impersonating_officials', channel: 'call', narrative: 'Caller said he was from the police and my account was involved in money laundering', loss: { amount: 250000, currency: 'HKD' }, indicators: [{ value: SHARED, role: 'caller' }] });
      await submit({ scamType: 'impersonating_officials', channel: 'call', narrative: 'A man claiming to be mainland public security told me to transfer money', indicators: [{ value: SHARED, role: 'caller' }, { value: '012-345-678901', kind: 'bank_account', role: 'payee_account' }] });
      await submit({ scamType: 'other', channel: 'call', narrative: 'Same caller again', indicators: [{ value: SHARED, role: 'caller' }] });
      await submit({ scamType: 'online_shopping', channel: 'website', narrative: 'I bought a phone from an online shop and it never arrived', indicators: [{ value: 'https://cheap-phones.example/shop', role: 'website' }] });
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const get = async <T>(url: string, token = analyst): Promise<T> => {
      const res = await app.inject({ method: 'GET', url, headers: bearer(token) });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      return res.json() as T;
    };
    const post = async <T>(url: string, payload: object, expected = 200): Promise<T> => {
      const res = await app.inject({ method: 'POST', url, headers: bearer(officer), payload });
      assert.equal(res.statusCode, expected, `${url}: ${res.body}`);
      return res.json() as T;
    };
    const statusPage = async (i: number): Promise<{ status: string; statusText: { en: string } }> => {
      const { reference, statusToken } = reports[i] as { reference: string; statusToken: string };
      const res = await app.inject({ method: 'GET', url: `/api/v1/reports/status/${reference}?token=${statusToken}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };

    it('the queue lists the new reports, the large loss in a growing cluster first, and says why', async () => {
      const queue = await get<QueueAnswer>('/api/v1/officer/queue');
      assert.equal(queue.total, 4);
      const first = queue.items[0]!;
      assert.equal(first.reference, reports[0]!.reference);
      const points = first.reasons.map((r) => r.points);
      assert.deepEqual(points, [...points].sort((a, b) => b - a), 'reasons come largest first');
      assert.deepEqual(first.reasons.map((r) => r.code).sort(), ['cluster', 'growth', 'loss', 'recency']);
      assert.ok(first.reasons.some((r) => r.code === 'loss' && r.text.en === 'HKD 250,000.00 was lost.'), JSON.stringify(first.reasons));
      assert.ok(first.reasons.some((r) => r.code === 'cluster' && r.text.en === 'Its cluster holds 3 reports.'));
      assert.equal(first.priority, first.reasons.reduce((n, r) => n + r.points, 0), 'the priority is the sum of its reasons');
      const alone = queue.items.find((i) => i.reference === reports[3]!.reference)!;
      assert.equal(alone.clusterReports, 1);
      assert.ok(alone.priority < first.priority);
      const byCluster = await get<QueueAnswer>(`/api/v1/officer/queue?cluster=${first.cluster}&sort=newest`);
      assert.deepEqual(byCluster.items.map((i) => i.reference), [reports[2]!.reference, reports[1]!.reference, reports[0]!.reference]);
      assert.equal((await get<QueueAnswer>('/api/v1/officer/queue?scamType=online_shopping')).total, 1);
      const pastTheEnd = await get<QueueAnswer>(`/api/v1/officer/clusters/${first.cluster}/reports?offset=10`);
      assert.deepEqual([pastTheEnd.total, pastTheEnd.items.length], [3, 0], 'a page past the end still counts the reports');
    });

    it("a report's working view: its cluster, a suggested type with the words that drove it, no contact", async () => {
      const work = await get<{ cluster: number; suggestedType: { scamType: string; signals: { cue: string }[] }; reasons: unknown[]; status: string; notes: unknown[] }>(`/api/v1/officer/reports/${reports[0]!.reference}/work`);
      assert.equal(work.suggestedType.scamType, 'impersonating_officials');
      assert.deepEqual(work.suggestedType.signals.map((s) => s.cue).sort(), ['money laundering', 'police']);
      assert.equal(work.status, 'new');
      assert.ok(work.reasons.length > 0);
      assert.ok(!('contact' in work));
    });

    it('triage (assigned, vulnerable) raises the priority by the vulnerable points; a note stays internal', async () => {
      const before = (await get<QueueAnswer>('/api/v1/officer/queue')).items.find((i) => i.reference === reports[1]!.reference)!;
      assert.deepEqual(await post(`/api/v1/officer/reports/${reports[1]!.reference}/triage`, { assignee: 'duty-officer', vulnerable: true }), { status: 'triaged' });
      const after = (await get<QueueAnswer>('/api/v1/officer/queue?assigned=duty-officer')).items;
      assert.equal(after.length, 1);
      assert.deepEqual([after[0]!.status, after[0]!.assignee, after[0]!.vulnerable, after[0]!.priority - before.priority], ['triaged', 'duty-officer', true, 25]);
      await post(`/api/v1/officer/reports/${reports[1]!.reference}/notes`, { body: 'Victim is 82; son is helping.' });
      const work = await get<{ notes: { body: string; author: string }[] }>(`/api/v1/officer/reports/${reports[1]!.reference}/work`);
      assert.deepEqual(work.notes.map((n) => [n.author, n.body]), [['user:duty-officer', 'Victim is 82; son is helping.']]);
      const page = await statusPage(1);
      assert.equal(page.status, 'triaged');
      // The note's words and who works on it (not bare "82": a timestamp's milliseconds can hold it).
      assert.doesNotMatch(JSON.stringify(page), /Victim is 82|son is helping|duty-officer/);
      await post(`/api/v1/officer/reports/${reports[1]!.reference}/triage`, { assignee: 'an-analyst' }, 400);
    });

    it('the cluster: summary, graph, then referred as a whole; the reporters see it in plain words', async () => {
      const cluster = (await get<QueueAnswer>('/api/v1/officer/queue')).items[0]!.cluster;
      const summary = await get<{ reportCount: number; reporterCount: number; loss: unknown; topIndicators: { key: string; reports: number }[]; status: string }>(`/api/v1/officer/clusters/${cluster}`);
      assert.deepEqual([summary.reportCount, summary.reporterCount, summary.loss, summary.status], [3, 3, [{ currency: 'HKD', amount: '250000.00' }], 'new']);
      assert.deepEqual(summary.topIndicators[0], { key: 'phone:+85261234567', kind: 'phone', reports: 3 });
      const graph = await get<{ nodes: { id: string; type: string }[]; edges: unknown[] }>(`/api/v1/officer/clusters/${cluster}/graph`);
      assert.deepEqual(graph.nodes.filter((n) => n.type === 'indicator').map((n) => n.id), ['phone:+85261234567']);
      assert.equal(graph.edges.length, 3);
      const listed = await get<{ clusters: { id: number }[] }>('/api/v1/officer/clusters?minReports=2');
      assert.deepEqual(listed.clusters.map((c) => c.id), [cluster]);

      assert.deepEqual(await post(`/api/v1/officer/clusters/${cluster}/refer`, { target: { kind: 'partner', name: 'Bank fraud desk' }, reason: 'One caller, three victims' }), { reports: 3 });
      for (const i of [0, 1, 2]) {
        const page = await statusPage(i);
        assert.equal(page.status, 'referred');
        assert.equal(page.statusText.en, 'Passed on to the unit or partner who can act on it.');
      }
      assert.equal((await statusPage(3)).status, 'new', 'the unrelated report is untouched');
      assert.deepEqual(await post(`/api/v1/officer/reports/${reports[2]!.reference}/triage`, {}), { status: 'referred' }, 'nothing to change is not an error');
      const work = await get<{ referrals: { target: string; cluster: number | null }[] }>(`/api/v1/officer/reports/${reports[0]!.reference}/work`);
      assert.deepEqual(work.referrals.map((r) => [r.target, r.cluster]), [['Bank fraud desk', cluster]]);
      // Reassigning a referred report keeps it referred: the status never moves back.
      assert.deepEqual(await post(`/api/v1/officer/reports/${reports[2]!.reference}/triage`, { assignee: null }), { status: 'referred' });
    });

    it('closing ends it for good: the outcome in plain words, a second close refused', async () => {
      assert.deepEqual(await post(`/api/v1/officer/reports/${reports[0]!.reference}/close`, { outcome: 'action_taken', reason: 'Account frozen by the bank' }), { status: 'closed' });
      const page = await statusPage(0);
      assert.deepEqual([page.status, page.statusText.en], ['closed', 'Closed: action was taken on what you reported. Thank you.']);
      const again = await post<{ error: { code: string } }>(`/api/v1/officer/reports/${reports[0]!.reference}/close`, { outcome: 'duplicate', reason: 'again' }, 409);
      assert.equal(again.error.code, 'INVALID_TRANSITION');
      await post(`/api/v1/officer/reports/${reports[0]!.reference}/refer`, { target: { kind: 'unit', name: 'Cyber unit' }, reason: 'too late' }, 409);
      assert.equal((await get<QueueAnswer>('/api/v1/officer/queue')).items.some((i) => i.reference === reports[0]!.reference), false, 'closed reports leave the queue');
    });

    it('labels are kept beside the suggestion and measured in the stats, with checks per day', async () => {
      assert.deepEqual(await post(`/api/v1/officer/reports/${reports[2]!.reference}/label`, { scamType: 'impersonating_officials' }), { scamType: 'impersonating_officials', suggested: 'other' });
      await post(`/api/v1/officer/reports/${reports[3]!.reference}/label`, { scamType: 'online_shopping' });
      for (const value of [SHARED, 'https://cheap-phones.example/shop']) assert.equal((await app.inject({ method: 'GET', url: '/api/v1/check', query: { value } })).statusCode, 200);
      await sg.checks.flush();
      const stats = await get<{ reportsPerDay: { scamType: string; reports: number }[]; checksPerDay: { checks: number }[]; topClusters: { reportCount: number; lastWeek: number }[]; suggestions: { labelled: number; agreeing: number; accuracy: number } }>('/api/v1/officer/stats?days=7');
      const byType = Object.fromEntries(stats.reportsPerDay.map((r) => [r.scamType, r.reports]));
      assert.deepEqual(byType, { impersonating_officials: 3, online_shopping: 1 }, 'the label replaces the reported type "other"');
      assert.equal(stats.checksPerDay.reduce((n, d) => n + d.checks, 0), 2);
      assert.deepEqual(stats.topClusters.map((c) => [c.reportCount, c.lastWeek]), [[3, 3]]);
      assert.deepEqual(stats.suggestions, { labelled: 2, agreeing: 1, accuracy: 0.5, agreeingWhenLabelled: 1 });
    });

    it('"do not correlate" over HTTP splits the cluster; every action is in the audit log', async () => {
      const cluster = (await get<QueueAnswer>('/api/v1/officer/queue?status=referred')).items[0]!.cluster;
      assert.deepEqual(await post('/api/v1/officer/indicators/correlation', { value: SHARED, correlate: false, reason: 'a spoofed number shown to everyone' }), { key: 'phone:+85261234567', state: 'do_not_correlate' });
      const after = await get<QueueAnswer>('/api/v1/officer/queue?status=new,triaged,referred,closed');
      assert.deepEqual(after.items.map((i) => i.clusterReports), [1, 1, 1, 1]);
      assert.ok(after.items.some((i) => i.cluster === cluster));
      const audit = await sg.db.selectFrom('audit_log').select(['action', 'actor']).where('actor', '=', 'user:duty-officer').orderBy('seq').execute();
      for (const action of ['report.triage', 'report.note', 'cluster.refer', 'report.close', 'report.label', 'correlation.exclude']) assert.ok(audit.some((a) => a.action === action), action);
    });

    it('answered with no status the API document does not list for the route', async () => {
      assert.deepEqual(undocumentedAnswers(await openApiDocument(app), answers), []);
    });
  });
}
