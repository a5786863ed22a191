import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, countRows, freshAddress, login } from '../helpers/http.js';

// Disputes over HTTP (issue 17): a flagged value's owner disputes it, an officer decides, the verdict follows
// and the disputer reads the outcome on the private status page. Bad input is refused with stable codes and
// stores nothing; disputes are rate-limited; no answer names, counts or points to the value's reporters.

const REPORT = { scamType: 'investment', channel: 'call', narrative: 'They promised 30% a month.' };
const CONTACT = { name: 'Wong Siu Ming', email: 'owner@harbour-tea.example' };

interface Receipt {
  reference: string;
  statusToken: string;
  statusUrl: string;
  request: string;
  kind: string;
  canonical: string;
  status: string;
}

for (const engine of ENGINES) {
  describe(`disputes over HTTP (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    const tokens: Record<'analyst' | 'officer', string> = { analyst: '', officer: '' };
    /** What could point to reporters: their report references and addresses. */
    const reportRefs: string[] = [];
    const reporterAddresses: string[] = [];
    /** Every answer of a dispute route in this suite, to look for reporters in. */
    const answers: string[] = [];

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      app.addHook('onSend', async (request, _reply, payload) => {
        if (request.url.includes('/disputes')) answers.push(String(payload));
        return payload;
      });
      await sg.auth.addUser('dp-analyst', PASSWORD, 'analyst');
      await sg.auth.addUser('dp-officer', PASSWORD, 'officer');
      tokens.analyst = await login(app, 'dp-analyst');
      tokens.officer = await login(app, 'dp-officer');
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    async function report(phone: string, times: number): Promise<void> {
      for (let i = 0; i < times; i += 1) {
        const address = freshAddress();
        reporterAddresses.push(address);
        const res = await app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: address, payload: { ...REPORT, indicators: [{ value: phone, role: 'caller' }] } });
        assert.equal(res.statusCode, 201, res.body);
        reportRefs.push((res.json() as { reference: string }).reference);
      }
    }
    const level = async (value: string): Promise<string> => ((await app.inject({ method: 'GET', url: '/api/v1/check', query: { value } })).json() as { verdict: { level: string } }).verdict.level;
    const post = (payload: unknown, remoteAddress = freshAddress()): Promise<LightMyRequestResponse> => app.inject({ method: 'POST', url: '/api/v1/disputes', remoteAddress, payload: payload as object });
    const statusOf = (reference: string, token?: string): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'GET', url: `/api/v1/disputes/status/${reference}`, headers: token === undefined ? {} : { 'x-status-token': token }, remoteAddress: freshAddress() });
    const officer = (method: 'GET' | 'POST', url: string, who: 'analyst' | 'officer' | null, payload?: object): Promise<LightMyRequestResponse> =>
      app.inject({ method, url: `/api/v1/officer${url}`, headers: who === null ? {} : bearer(tokens[who]), ...(payload === undefined ? {} : { payload }) });
    const body = (value: string, extra: object = {}) => ({ request: 'dispute', value, role: 'owner', explanation: 'It is the number of our tea house in Sham Shui Po.', contact: CONTACT, ...extra });

    let cleared: Receipt;

    it('a value with 3 independent reports is high risk; its owner disputes it and gets a reference and private link once', async () => {
      await report('+852 2700 0001', 3);
      assert.equal(await level('+852 2700 0001'), 'high_risk');
      const res = await post(body('2700 0001', { evidence: 'Business registration 12345678', links: ['https://harbour-tea.example/contact'] }));
      assert.equal(res.statusCode, 201, res.body);
      cleared = res.json() as Receipt;
      assert.deepEqual(Object.keys(cleared).sort(), ['canonical', 'kind', 'reference', 'request', 'status', 'statusToken', 'statusUrl']);
      assert.match(cleared.reference, /^DP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      assert.equal(cleared.statusUrl, `/dispute/${cleared.reference}#${cleared.statusToken}`);
      assert.equal(cleared.canonical, '+85227000001');
      const status = await statusOf(cleared.reference, cleared.statusToken);
      assert.equal(status.statusCode, 200, status.body);
      assert.equal((status.json() as { status: string }).status, 'open');
    });

    it('a wrong token, no token and an unknown reference get the same NOT_FOUND', async () => {
      const answers = [await statusOf(cleared.reference, 'not-the-token'), await statusOf(cleared.reference), await statusOf('DP-AAAA-AAAA-AAAA', cleared.statusToken), await statusOf(reportRefs[0] as string, cleared.statusToken)];
      for (const res of answers) assertRefused(res, 'NOT_FOUND');
      assert.equal(new Set(answers.map((r) => r.body)).size, 1);
      assertRefused(await statusOf('DP-nope', cleared.statusToken), 'VALIDATION_FAILED');
    });

    it('bad input is refused with stable codes and stores nothing', async () => {
      await report('+852 2700 0002', 1);
      const rows = await countRows(sg);
      const cases: [object, Parameters<typeof assertRefused>[1]][] = [
        [body('+852 2700 0002', { contact: undefined }), 'VALIDATION_FAILED'],
        [body('+852 2700 0002', { contact: { name: 'No Address' } }), 'INVALID_CONTACT'],
        [body('+852 2700 0002', { contact: { name: 'Bad Phone', phone: '12' } }), 'INVALID_CONTACT'],
        [body('+852 2700 0002', { links: ['javascript:alert(1)'] }), 'VALIDATION_FAILED'],
        [body('+852 2700 0002', { links: Array.from({ length: 6 }, (_, i) => `https://a.example/${i}`) }), 'VALIDATION_FAILED'],
        [body('+852 2700 0002', { request: 'remove' }), 'VALIDATION_FAILED'],
        [body('+852 2700 0002', { role: 'victim' }), 'VALIDATION_FAILED'],
        [body('+852 2700 0002', { reporter: 'who?' }), 'VALIDATION_FAILED'],
        [body('+852 2700 0002', { explanation: 'short' }), 'VALIDATION_FAILED'],
        [body('+852 2700 0002', { request: 'verify' }), 'VALIDATION_FAILED'],
        [body('+852 2799 9999'), 'NOT_DISPUTABLE'],
        [body('zzz', { kind: 'phone' }), 'INVALID_PHONE'],
        [body('not a value at all !!'), 'UNRECOGNIZED'],
      ];
      for (const [payload, code] of cases) assertRefused(await post(payload), code);
      assert.deepEqual(await countRows(sg), rows);
    });

    it('is rate-limited per address: 3 a minute, then RATE_LIMITED; another address is still served', async () => {
      await report('+852 2700 0003', 1);
      const address = freshAddress();
      for (let i = 0; i < 3; i += 1) assert.equal((await post(body('+852 2700 0003', { contact: { name: 'Same Sender', email: `a${i}@example.com` } }), address)).statusCode === 429, false);
      assertRefused(await post(body('+852 2700 0003'), address), 'RATE_LIMITED');
      // The value has 3 open disputes now (some refused for the cap, whichever came first): the cap answers, not the limit.
      assertRefused(await post(body('+852 2700 0003')), 'TOO_MANY_DISPUTES');
    });

    it('officer routes refuse anonymous callers (401) and analysts’ decisions and reveals (403)', async () => {
      assertRefused(await officer('GET', '/disputes', null), 'UNAUTHENTICATED');
      assertRefused(await officer('GET', `/disputes/${cleared.reference}`, null), 'UNAUTHENTICATED');
      assertRefused(await officer('POST', `/disputes/${cleared.reference}/decide`, null, { decision: 'clear', reason: 'no session' }), 'UNAUTHENTICATED');
      const rows = await countRows(sg);
      assertRefused(await officer('POST', `/disputes/${cleared.reference}/decide`, 'analyst', { decision: 'clear', reason: 'analysts read only' }), 'FORBIDDEN');
      assertRefused(await officer('POST', `/disputes/${cleared.reference}/contact`, 'analyst', { reason: 'analysts read only' }), 'FORBIDDEN');
      assert.deepEqual(await countRows(sg), rows);
      assert.equal(await level('+852 2700 0001'), 'high_risk');
    });

    it('the queue shows open disputes first; a dispute’s view is audited and holds no contact', async () => {
      const list = await officer('GET', '/disputes?status=all', 'analyst');
      assert.equal(list.statusCode, 200, list.body);
      const { disputes } = list.json() as { disputes: { reference: string; status: string; levelNow: string }[] };
      assert.ok(disputes.some((d) => d.reference === cleared.reference && d.levelNow === 'high_risk'));
      const view = await officer('GET', `/disputes/${cleared.reference}`, 'analyst');
      assert.equal(view.statusCode, 200, view.body);
      assert.ok(!view.body.includes(CONTACT.email) && !view.body.includes(CONTACT.name));
      assert.deepEqual((view.json() as { links: string[] }).links, ['https://harbour-tea.example/contact']);
      const contact = await officer('POST', `/disputes/${cleared.reference}/contact`, 'officer', { reason: 'to tell them the outcome' });
      assert.equal(contact.statusCode, 200, contact.body);
      assert.deepEqual((contact.json() as { contact: unknown }).contact, CONTACT);
      const audit = await sg.db.selectFrom('audit_log').select(['actor', 'action', 'details']).where('subject', '=', cleared.reference).orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => `${a.actor} ${a.action}`), ['user:dp-analyst dispute.read', 'user:dp-officer dispute.contact_read']);
    });

    it('clear: the verdict follows (high risk to cleared), with its audit rows; the disputer sees the outcome', async () => {
      assertRefused(await officer('POST', `/disputes/${cleared.reference}/decide`, 'officer', { decision: 'verify', reason: 'wrong decision' }), 'DECISION_DOES_NOT_FIT');
      const res = await officer('POST', `/disputes/${cleared.reference}/decide`, 'officer', { decision: 'clear', reason: 'The registration matches the tea house.' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as { status: string }).status, 'cleared');
      assert.equal(await level('+852 2700 0001'), 'no_record');
      const actions = (await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject']).orderBy('seq', 'desc').limit(2).execute()).reverse();
      assert.deepEqual(actions, [
        { actor: 'user:dp-officer', action: 'indicator.decide', subject: 'phone:+85227000001' },
        { actor: 'user:dp-officer', action: 'dispute.decide', subject: cleared.reference },
      ]);
      assertRefused(await officer('POST', `/disputes/${cleared.reference}/decide`, 'officer', { decision: 'uphold', reason: 'again' }), 'DISPUTE_DECIDED');
      const status = (await statusOf(cleared.reference, cleared.statusToken)).json() as { status: string; reason: string; statusText: { en: string; 'zh-Hant': string } };
      assert.equal(status.status, 'cleared');
      assert.equal(status.reason, 'The registration matches the tea house.');
      assert.match(status.statusText.en, /warning has been removed/);
      assert.match(status.statusText['zh-Hant'], /警示已撤銷/);
    });

    it('verify: a business’s number becomes verified under its name', async () => {
      const res = await post({ ...body('+852 2700 0004'), request: 'verify', role: 'representative', organisation: 'Harbour Tea House Ltd' });
      assert.equal(res.statusCode, 201, res.body);
      const { reference } = res.json() as Receipt;
      const decided = await officer('POST', `/disputes/${reference}/decide`, 'officer', { decision: 'verify', reason: 'Companies Registry entry checked.' });
      assert.equal(decided.statusCode, 200, decided.body);
      assert.equal(await level('+852 2700 0004'), 'verified');
      const actions = (await sg.db.selectFrom('audit_log').select(['action', 'details']).orderBy('seq', 'desc').limit(2).execute()).reverse();
      assert.deepEqual(actions.map((a) => a.action), ['protected.add', 'dispute.decide']);
    });

    it('counts are there for the transparency report', async () => {
      const res = await officer('GET', '/disputes/counts', 'analyst');
      assert.equal(res.statusCode, 200, res.body);
      const counts = (res.json() as { counts: { request: string; status: string; count: number }[] }).counts;
      assert.equal(counts.find((c) => c.request === 'dispute' && c.status === 'cleared')?.count, 1);
      assert.equal(counts.find((c) => c.request === 'verify' && c.status === 'verified')?.count, 1);
      assertRefused(await officer('GET', '/disputes/counts?since=2024-13', 'analyst'), 'VALIDATION_FAILED');
    });

    it('clear on a site’s front page clears the site that the check page flagged (the host), not that one link alone', async () => {
      for (let i = 0; i < 3; i += 1) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: freshAddress(), payload: { ...REPORT, indicators: [{ value: `https://tea-shop-hk.top/item/${i}` }] } });
        assert.equal(res.statusCode, 201, res.body);
      }
      assert.equal(await level('https://tea-shop-hk.top/'), 'high_risk');
      const res = await post({ ...body('https://tea-shop-hk.top/'), explanation: 'It is the web shop of our tea house in Sham Shui Po.' });
      assert.equal(res.statusCode, 201, res.body);
      const { reference } = res.json() as Receipt;
      const decided = await officer('POST', `/disputes/${reference}/decide`, 'officer', { decision: 'clear', reason: 'The shop is registered and trades.' });
      assert.equal(decided.statusCode, 200, decided.body);
      assert.equal((decided.json() as { levelNow: string }).levelNow, 'no_record');
      assert.equal(await level('https://tea-shop-hk.top/'), 'no_record');
      // A page of it keeps what was reported of that page itself (one report: suspicious), as before the site's three made it high risk.
      assert.equal(await level('https://tea-shop-hk.top/item/1'), 'suspicious');
    });

    it('no answer of a dispute route names, counts or points to the value’s reporters', () => {
      assert.ok(answers.length > 20);
      const reporterTraces = [...reportRefs, ...reporterAddresses, 'reportCount', 'fingerprint', 'independence', 'reporters', 'firstSeen', 'scamTypes', 'narrative', REPORT.narrative];
      for (const answer of answers) for (const trace of reporterTraces) assert.ok(!answer.includes(trace), `${trace} in ${answer.slice(0, 200)}`);
    });
  });
}
