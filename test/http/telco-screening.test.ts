import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, bearer, countRows, freshAddress, login, PASSWORD } from '../helpers/http.js';

// Call and SMS screening for telcos, and what telcos report back (issue 14): the decision is the strictest
// its reasons give, public reports alone never block, forged caller IDs and # senders are seen for what they
// are, and the outcomes a telco reports show on the value's page and per day on the dashboard.

const report = (value: string, role: 'caller' | 'link', narrative: string) => ({ scamType: 'impersonating_officials' as const, channel: 'call' as const, narrative, indicators: [{ value, role }] });

interface Screened {
  decision: string;
  reasons: { code: string; covers?: string }[];
  label: { en: string; 'zh-Hant': string } | null;
  caller?: { canonical: string | null; region: string | null; level: string | null };
  sender?: { canonical: string; status: string; imitates?: string; level: string };
  found?: { kind: string; canonical: string; level: string }[];
}

for (const engine of ENGINES) {
  describe(`call and SMS screening (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let telco: string;
    let bank: string;
    let officer: string;

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      telco = (await sg.partners.addOrganisation('cli', { name: 'Telco T', type: 'telco', scopes: ['calls:screen', 'outcomes:write'] }, 'test partner')).key.token;
      bank = (await sg.partners.addOrganisation('cli', { name: 'Bank B', type: 'bank', scopes: ['payee:check', 'feeds:read'] }, 'test partner')).key.token;
      await sg.auth.addUser('ts-officer', PASSWORD, 'officer');
      officer = await login(app, 'ts-officer');
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const call = async (body: object, token = telco): Promise<Screened> => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/partner/call-screen', headers: bearer(token), payload: body });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Screened;
    };
    const sms = async (body: object): Promise<Screened> => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/partner/sms-screen', headers: bearer(telco), payload: body });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Screened;
    };
    const codes = (s: Screened) => s.reasons.map((r) => r.code);

    it('refuses a call without a key (401) and a key without calls:screen or outcomes:write (403)', async () => {
      for (const url of ['/api/v1/partner/call-screen', '/api/v1/partner/sms-screen', '/api/v1/partner/telco-outcomes']) {
        assertRefused(await app.inject({ method: 'POST', url, payload: {} }), 'UNAUTHENTICATED');
        assertRefused(await app.inject({ method: 'POST', url, headers: bearer(bank), payload: {} }), 'FORBIDDEN');
      }
      assertRefused(await app.inject({ url: '/api/v1/officer/telco-outcomes' }), 'UNAUTHENTICATED');
      // A partner key is not an officer's session.
      assertRefused(await app.inject({ url: '/api/v1/officer/telco-outcomes', headers: bearer(telco) }), 'UNAUTHENTICATED');
    });

    it('a local number with no record, called at home, is allowed with nothing to show', async () => {
      const a = await call({ caller: '+85291234567', callee: '+85261234567', ingress: 'domestic' });
      assert.deepEqual(a, { decision: 'allow', reasons: [{ code: 'NO_RECORD' }], label: null, caller: { canonical: '+85291234567', region: 'HK', level: 'no_record' } });
    });

    it('Hong Kong’s rule: a call from overseas that shows a +852 number alerts the callee; a foreign number from abroad does not', async () => {
      const a = await call({ caller: '+85291234567', ingress: 'international' });
      assert.equal(a.decision, 'alert');
      assert.deepEqual(codes(a), ['LOCAL_NUMBER_FROM_ABROAD']);
      assert.match(a.label?.en ?? '', /overseas/);
      assert.match(a.label?.['zh-Hant'] ?? '', /海外/);
      // National digits are read in the deployment's region: still a local number.
      assert.equal((await call({ caller: '91234567', ingress: 'international' })).decision, 'alert');
      assert.deepEqual(await call({ caller: '+442079460000', ingress: 'international' }), { decision: 'allow', reasons: [{ code: 'NO_RECORD' }], label: null, caller: { canonical: '+442079460000', region: 'GB', level: 'no_record' } });
    });

    it('reports make a caller high risk: alerted, never blocked; an officer’s confirmation blocks', async () => {
      for (let i = 0; i < 3; i++) await sg.reports.submit(report('+852 6400 2001', 'caller', `person ${i} got a call from a fake officer`), freshAddress());
      const a = await call({ caller: '+85264002001', ingress: 'domestic' });
      assert.equal(a.decision, 'alert');
      assert.deepEqual(codes(a), ['REPORTS_HIGH_RISK']);
      assert.equal(a.caller?.level, 'high_risk');
      assert.match(a.label?.en ?? '', /reported for scams/);
      await sg.verdicts.decide('user:officer', { value: '+85264002001', kind: 'phone' }, 'high_risk', 'case 7: confirmed');
      const b = await call({ caller: '+85264002001', ingress: 'domestic' });
      assert.equal(b.decision, 'block');
      assert.ok(codes(b).includes('OFFICER_CONFIRMED'));
      assert.equal(b.label, null, 'a blocked call has no callee to show a label to');
    });

    it('one report is suspicious: labelled', async () => {
      await sg.reports.submit(report('+852 6400 2002', 'caller', 'a call about a parcel'), freshAddress());
      const a = await call({ caller: '+85264002002', ingress: 'domestic' });
      assert.equal(a.decision, 'label');
      assert.deepEqual(codes(a), ['REPORTS_SUSPICIOUS']);
      assert.equal(a.label?.en, 'Suspected scam');
    });

    it('a protected local line is allowed at home and blocked from abroad (forged); a caller showing the callee’s own number is alerted', async () => {
      await sg.verdicts.protect('user:officer', { value: '+852 2233 3000', kind: 'phone' }, 'HSBC Hong Kong hotline');
      const home = await call({ caller: '+85222333000', ingress: 'domestic' });
      assert.equal(home.decision, 'allow');
      assert.deepEqual(codes(home), ['PROTECTED_ENTITY']);
      const abroad = await call({ caller: '+85222333000', ingress: 'international' });
      assert.equal(abroad.decision, 'block');
      assert.deepEqual(codes(abroad), ['PROTECTED_NUMBER_FROM_ABROAD', 'PROTECTED_ENTITY', 'LOCAL_NUMBER_FROM_ABROAD']);
      const self = await call({ caller: '+85261234567', callee: '61234567', ingress: 'domestic' });
      assert.equal(self.decision, 'alert');
      assert.deepEqual(codes(self), ['CALLER_IS_CALLEE']);
    });

    it('a number that cannot exist is labelled; a caller ID that is not digits is refused', async () => {
      const a = await call({ caller: '+85212', ingress: 'domestic' });
      assert.deepEqual(a, { decision: 'label', reasons: [{ code: 'NOT_A_VALID_NUMBER' }], label: { en: 'The number shown cannot exist', 'zh-Hant': '來電顯示的號碼並不存在' }, caller: { canonical: null, region: null, level: null } });
      assert.equal((await call({ caller: '+85212', ingress: 'international' })).decision, 'alert', 'and from abroad it still shows +852');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/partner/call-screen', headers: bearer(telco), payload: { caller: 'anonymous', ingress: 'domestic' } }), 'VALIDATION_FAILED');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/partner/call-screen', headers: bearer(telco), payload: { caller: '+85291234567', ingress: 'roaming' } }), 'VALIDATION_FAILED');
    });

    it('SMS: without a sender register a # proves nothing; with it, registered, spoofed, look-alike and unregistered senders', async () => {
      assert.equal((await sms({ senderId: '#HSBC' })).sender?.status, 'unknown');
      await sg.verdicts.protect('user:officer', { value: '#HSBC', kind: 'sms_sender' }, 'HSBC (SMS Sender Registration Scheme)');
      const registered = await sms({ senderId: '#HSBC' });
      assert.deepEqual([registered.decision, registered.sender?.status, codes(registered)], ['allow', 'registered', ['PROTECTED_ENTITY']]);
      const spoofed = await sms({ senderId: '#HSBCHK' });
      assert.deepEqual([spoofed.decision, spoofed.sender?.status, codes(spoofed)[0]], ['block', 'spoofed', 'SENDER_SPOOFED']);
      const lookalike = await sms({ senderId: 'HSBC' });
      assert.deepEqual([lookalike.decision, lookalike.sender?.status, lookalike.sender?.imitates], ['alert', 'lookalike', '#HSBC']);
      assert.deepEqual(lookalike.reasons.find((r) => r.code === 'SENDER_LOOKALIKE'), { code: 'SENDER_LOOKALIKE', covers: '#HSBC' });
      const unregistered = await sms({ senderId: 'KFC' });
      assert.deepEqual([unregistered.decision, unregistered.sender?.status, codes(unregistered)], ['allow', 'unregistered', ['SENDER_UNREGISTERED']]);
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/partner/sms-screen', headers: bearer(telco), payload: { senderId: '!!!' } }), 'INVALID_SMS_SENDER');
    });

    it('SMS: the links and numbers in the text carry their verdicts; a confirmed one blocks the message', async () => {
      for (let i = 0; i < 3; i++) await sg.reports.submit(report('https://hk-parcel-fee.example.top/pay', 'link', `person ${i} got a parcel text`), freshAddress());
      const text = 'Your parcel is held. Pay the fee at https://hk-parcel-fee.example.top/pay or call +852 6400 2002';
      const a = await sms({ senderId: 'KFC', text });
      assert.equal(a.decision, 'alert');
      assert.deepEqual(
        a.reasons.filter((r) => r.code.startsWith('TEXT_')).sort((x, y) => x.code.localeCompare(y.code)),
        [
          { code: 'TEXT_HIGH_RISK', covers: 'https://hk-parcel-fee.example.top/pay' },
          { code: 'TEXT_SUSPICIOUS', covers: '+85264002002' },
        ],
      );
      assert.deepEqual(a.found?.map((f) => f.level).sort(), ['high_risk', 'suspicious']);
      assert.match(a.label?.en ?? '', /link or number reported/);
      await sg.verdicts.decide('user:officer', { value: 'https://hk-parcel-fee.example.top/pay', kind: 'url' }, 'high_risk', 'case 8: confirmed');
      assert.equal((await sms({ senderId: 'KFC', text })).decision, 'block');
    });

    it('telcos report outcomes: kept once, all or nothing, on the value’s page and per day on the dashboard', async () => {
      const post = (outcomes: object[]) => app.inject({ method: 'POST', url: '/api/v1/partner/telco-outcomes', headers: bearer(telco), payload: { outcomes } });
      const first = await post([
        { value: '+852 6400 2001', outcome: 'number_suspended', reference: 'TT-1001' },
        { value: 'https://hk-parcel-fee.example.top/pay', outcome: 'link_blocked' },
        { value: 'hk-parcel-fee.example.top', kind: 'domain', outcome: 'takedown_done' },
      ]);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), { recorded: 3, alreadyRecorded: 0 });
      assert.deepEqual((await post([{ value: '64002001', outcome: 'number_suspended' }])).json(), { recorded: 0, alreadyRecorded: 1 }, 'the same number in another form is the same outcome');
      const before = await countRows(sg);
      assertRefused(await post([{ value: '+852 6400 2002', outcome: 'number_suspended' }, { value: '+852 6400 2002', kind: 'phone', outcome: 'link_blocked' }]), 'OUTCOME_DOES_NOT_FIT');
      assertRefused(await post([{ value: '+852 6400 2002', outcome: 'number_suspended' }, { value: '12', outcome: 'number_suspended' }]), 'INVALID_PHONE');
      assert.deepEqual(await countRows(sg), before, 'a refused batch writes nothing');

      const profile = await app.inject({ url: '/api/v1/officer/indicators/profile?value=%2B85264002001', headers: bearer(officer) });
      assert.equal(profile.statusCode, 200, profile.body);
      const outcomes = (profile.json() as { partnerOutcomes: { organisation: string; organisationType: string; entry: string; outcome: string; reference: string | null }[] }).partnerOutcomes;
      assert.deepEqual(
        outcomes.map((o) => [o.organisation, o.organisationType, o.entry, o.outcome, o.reference]),
        [['Telco T', 'telco', '+85264002001', 'number_suspended', 'TT-1001']],
      );
      const stats = await app.inject({ url: '/api/v1/officer/telco-outcomes?days=7', headers: bearer(officer) });
      assert.equal(stats.statusCode, 200, stats.body);
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual((stats.json() as { outcomesPerDay: unknown[] }).outcomesPerDay, [
        { day: today, outcome: 'link_blocked', count: 1 },
        { day: today, outcome: 'number_suspended', count: 1 },
        { day: today, outcome: 'takedown_done', count: 1 },
      ]);
      const audit = await sg.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'telco.outcomes').execute();
      assert.equal(audit.length, 2);
      assert.ok(!JSON.stringify(audit).includes('6400'), 'audited as counts, never the values');
    });
  });
}
