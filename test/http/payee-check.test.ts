import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { CheckIds } from '../../src/modules/partners/check-id.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, bearer, freshAddress } from '../helpers/http.js';

// The bank payee check and mule accounts shared between banks (issue 13): risk, action, reasons and the
// customer's message from the index and the banks' shares; one bank counts once; the public never sees shares.

const report = (value: string, role: 'caller' | 'payment_proxy' | 'payee_account', narrative: string) => ({ scamType: 'investment' as const, channel: 'call' as const, narrative, indicators: [{ value, role }] });

interface Answer {
  checkId: string;
  risk: string;
  action: string;
  reasons: { code: string; count?: number; covers?: string }[];
  evidence: { reports: number; banksReporting: number; lastSeen: string | null; scamTypes: string[] };
  customerMessage: { en: string; 'zh-Hant': string } | null;
  payee: { type: string; canonical: string };
  reference?: string;
  error?: { code: string; message: string };
}

for (const engine of ENGINES) {
  describe(`payee check and shared accounts (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    const keys: Record<string, { token: string; id: number }> = {};

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      for (const [name, scopes] of [['Bank A', ['payee:check', 'accounts:share', 'outcomes:write']], ['Bank B', ['payee:check', 'accounts:share', 'outcomes:write']], ['Bank C', ['accounts:share']], ['Telco T', ['feeds:read']]] as const) {
        const { organisation, key } = await sg.partners.addOrganisation('cli', { name, type: name.startsWith('Bank') ? 'bank' : 'telco', scopes: [...scopes] }, 'test partner');
        keys[name] = { token: key.token, id: organisation.id };
      }
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const check = async (payees: object[], who = 'Bank A') => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/partner/payee-check', headers: bearer(keys[who]?.token as string), payload: { payees } });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { results: Answer[] }).results;
    };
    const share = (body: object, who = 'Bank A') => app.inject({ method: 'POST', url: '/api/v1/partner/accounts', headers: bearer(keys[who]?.token as string), payload: body });

    it('a payee with no record is allowed, with nothing to tell the customer', async () => {
      const [a] = await check([{ type: 'fps_id', value: '1234567', amount: 200, currency: 'HKD', newPayee: true, reference: 'tx-1' }]);
      assert.equal(a?.risk, 'none');
      assert.equal(a?.action, 'allow');
      assert.deepEqual(a?.reasons, [{ code: 'NO_RECORD' }]);
      assert.equal(a?.customerMessage, null);
      assert.equal(a?.reference, 'tx-1');
      assert.deepEqual(a?.payee, { type: 'fps_id', canonical: 'fps:1234567' });
    });

    it('an FPS phone proxy whose number three independent people reported: high risk, warned; a large amount is delayed', async () => {
      for (let i = 0; i < 3; i++) await sg.reports.submit(report('+852 6400 1001', 'caller', `person ${i} was called`), freshAddress());
      const [small, large] = await check([
        { type: 'fps_phone', value: '64001001', amount: 800, currency: 'HKD', newPayee: true },
        { type: 'fps_phone', value: '+852 6400 1001', amount: 50_000, currency: 'HKD', newPayee: false },
      ]);
      assert.equal(small?.risk, 'high');
      assert.equal(small?.action, 'warn');
      assert.deepEqual(small?.reasons.map((r) => r.code), ['REPORTS_HIGH_RISK', 'NEW_PAYEE']);
      assert.equal(small?.reasons[0]?.covers, '+85264001001', 'the evidence is the phone number the proxy is');
      assert.equal(small?.evidence.reports, 3);
      assert.deepEqual(small?.evidence.scamTypes, ['investment']);
      assert.match(small?.customerMessage?.en ?? '', /^This payee has been reported in scams\. Stop and think before you make this payment of HK\$800\.00/);
      assert.match(small?.customerMessage?.['zh-Hant'] ?? '', /^此收款人曾被舉報涉及騙案。/);
      assert.equal(large?.action, 'delay');
      assert.deepEqual(large?.reasons.map((r) => r.code), ['REPORTS_HIGH_RISK', 'LARGE_AMOUNT']);
    });

    it('banks share a mule account: one bank is medium, two are high, one bank sharing twice counts once; the public check shows nothing', async () => {
      const account = { type: 'hk_account', value: '004-123-456789-001' };
      assert.equal((await share({ share: [{ ...account, reason: 'mule_account', confidence: 'high', amount: 120_000, currency: 'HKD' }] })).statusCode, 200);
      let [a] = await check([account], 'Bank B');
      assert.equal(a?.risk, 'medium');
      assert.deepEqual(a?.reasons, [{ code: 'BANKS_REPORTED', count: 1 }, { code: 'NEW_PAYEE' }]);
      assert.equal(a?.evidence.banksReporting, 1);
      assert.match(a?.customerMessage?.en ?? '', /^Banks have flagged this payee as suspicious\./);
      // The same bank again, even as a new share: still one bank.
      assert.equal((await share({ share: [{ ...account, reason: 'received_scam_funds', confidence: 'medium' }] })).statusCode, 200);
      [a] = await check([account], 'Bank B');
      assert.equal(a?.evidence.banksReporting, 1);
      assert.equal((await share({ share: [{ ...account, reason: 'mule_account', confidence: 'high' }] }, 'Bank C')).statusCode, 200);
      [a] = await check([account], 'Bank B');
      assert.equal(a?.risk, 'high');
      assert.equal(a?.evidence.banksReporting, 2);
      // Evidence for partners, not a public accusation.
      const pub = await app.inject({ url: `/api/v1/check?value=${encodeURIComponent(account.value)}`, remoteAddress: freshAddress() });
      assert.equal(pub.statusCode, 200, pub.body);
      assert.equal((pub.json() as { verdict: { level: string } }).verdict.level, 'no_record');
      // Withdrawn: Bank C's share stops counting.
      const withdrawn = await share({ withdraw: [account] }, 'Bank C');
      assert.deepEqual(withdrawn.json(), { shared: 0, withdrawn: 1 });
      [a] = await check([account], 'Bank B');
      assert.equal(a?.evidence.banksReporting, 1);
      // A bank lists its own shares only.
      const own = await app.inject({ url: '/api/v1/partner/accounts', headers: bearer(keys['Bank C']?.token as string) });
      assert.deepEqual((own.json() as { accounts: unknown[] }).accounts, []);
      const mine = await app.inject({ url: '/api/v1/partner/accounts', headers: bearer(keys['Bank A']?.token as string) });
      // Its latest share of the account, in normal form.
      assert.deepEqual((mine.json() as { accounts: { canonical: string; reason: string }[] }).accounts.map((r) => [r.canonical, r.reason]), [['hk:004123456789001', 'received_scam_funds']]);
      // Audited as counts, never the account.
      const audit = await sg.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'accounts.share').execute();
      assert.equal(audit.length, 4);
      assert.ok(!JSON.stringify(audit).includes('456789'));
    });

    it('an officer’s confirmation is very high: delayed by default, and never blocked on reports alone', async () => {
      await sg.verdicts.decide('user:officer', { value: 'upi:mule99@okaxis', kind: 'payment_proxy' }, 'high_risk', 'confirmed mule in case 42');
      const [a] = await check([{ type: 'upi', value: 'mule99@okaxis', amount: 100, currency: 'INR' }]);
      assert.equal(a?.risk, 'very_high');
      assert.equal(a?.action, 'delay');
      assert.equal(a?.reasons[0]?.code, 'OFFICER_CONFIRMED');
      assert.match(a?.customerMessage?.en ?? '', /^The police have confirmed/);
    });

    it('a batch answers every payee in order; an invalid one gets its own error, the others are answered', async () => {
      const payees = Array.from({ length: 100 }, (_, i) => ({ type: 'fps_id', value: String(1_000_000 + i), reference: `r${i}` }));
      payees[7] = { type: 'iban', value: 'GB00 NOT AN IBAN', reference: 'r7' };
      const results = await check(payees);
      assert.equal(results.length, 100);
      assert.deepEqual(results.map((r) => r.reference), payees.map((p) => p.reference));
      assert.equal(results[7]?.error?.code, 'INVALID_BANK_ACCOUNT');
      assert.equal(results.filter((r) => r.error !== undefined).length, 1);
      const over = await app.inject({ method: 'POST', url: '/api/v1/partner/payee-check', headers: bearer(keys['Bank A']?.token as string), payload: { payees: [...payees, payees[0]] } });
      assertRefused(over, 'VALIDATION_FAILED');
      const empty = await app.inject({ method: 'POST', url: '/api/v1/partner/payee-check', headers: bearer(keys['Bank A']?.token as string), payload: { payees: [] } });
      assertRefused(empty, 'VALIDATION_FAILED');
      const [mismatch] = await check([{ type: 'hk_account', value: 'GB82 WEST 1234 5698 7654 32' }]);
      assert.equal(mismatch?.error?.code, 'INVALID_BANK_ACCOUNT');
      const [noCurrency] = await check([{ type: 'fps_id', value: '1234567', amount: 5 }]);
      assert.equal(noCurrency?.error?.code, 'VALIDATION_FAILED');
    });

    it('the check id seals who asked and what was answered, and nothing else can be read from it', async () => {
      const [a] = await check([{ type: 'fps_phone', value: '64001001' }], 'Bank B');
      const ids = new CheckIds(sg.secrets.checkIdKey);
      const sealed = ids.open(a?.checkId as string);
      assert.deepEqual({ ...sealed, at: undefined }, { organisationId: keys['Bank B']?.id, entry: 'payment_proxy:fps:+85264001001', risk: 'high', action: 'warn', at: undefined });
      assert.ok(!(a?.checkId as string).includes('85264001001'));
      const tampered = `${(a?.checkId as string).slice(0, -2)}${(a?.checkId as string).endsWith('A') ? 'B' : 'A'}A`;
      assert.equal(ids.open(tampered), null);
      assert.equal(new CheckIds(Buffer.alloc(32, 1)).open(a?.checkId as string), null);
      // One spelling only: base64's alphabet, padding or a stray character would be another id for the same check.
      const id = a?.checkId as string;
      assert.equal(ids.open(`${id}=`), null);
      assert.equal(ids.open(`${id}!`), null);
      const other = id.slice(3).replace(/-/g, '+').replace(/_/g, '/');
      if (other !== id.slice(3)) assert.equal(ids.open(`pc_${other}`), null);
    });

    it('outcomes: each is kept once, only the asking bank may report on its check, and the officers see the figures', async () => {
      await sg.auth.addUser('pc-analyst', 'a-long-password-123', 'analyst');
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), payload: { username: 'pc-analyst', password: 'a-long-password-123' } });
      const analyst = (login.json() as { token: string }).token;
      const [warned, legit] = await check([
        { type: 'fps_phone', value: '64001001', amount: 3_000, currency: 'HKD' },
        { type: 'fps_id', value: '7777777', amount: 100, currency: 'HKD' },
      ]);
      const report = (outcomes: object[], who = 'Bank A') => app.inject({ method: 'POST', url: '/api/v1/partner/outcomes', headers: bearer(keys[who]?.token as string), payload: { outcomes } });
      const first = await report([
        { checkId: warned?.checkId, outcome: 'warned_cancelled', amount: 3_000, currency: 'HKD' },
        { checkId: legit?.checkId, outcome: 'false_alarm' },
      ]);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), { recorded: 2, alreadyRecorded: 0 });
      // At least once is fine: the same outcome again is not counted twice.
      assert.deepEqual((await report([{ checkId: warned?.checkId, outcome: 'warned_cancelled', amount: 3_000, currency: 'HKD' }])).json(), { recorded: 0, alreadyRecorded: 1 });
      // Bank B was not given these checks; a tampered id is no check at all; nothing is written for either.
      const before = await sg.db.selectFrom('payee_outcomes').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assertRefused(await report([{ checkId: warned?.checkId, outcome: 'false_alarm' }], 'Bank B'), 'UNKNOWN_CHECK');
      assertRefused(await report([{ checkId: `${warned?.checkId.slice(0, -3)}AAA`, outcome: 'false_alarm' }]), 'UNKNOWN_CHECK');
      assertRefused(await report([{ checkId: legit?.checkId, outcome: 'warned_paid' }, { checkId: 'pc_nothing', outcome: 'warned_paid' }]), 'UNKNOWN_CHECK');
      const after = await sg.db.selectFrom('payee_outcomes').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
      const summary = await app.inject({ url: '/api/v1/officer/payee-outcomes?days=7', headers: bearer(analyst) });
      assert.equal(summary.statusCode, 200, summary.body);
      const today = new Date().toISOString().slice(0, 10);
      const body = summary.json() as { outcomesPerDay: unknown[]; kept: unknown[]; falseAlarms: { kind: string; value: string; banks: number }[] };
      assert.deepEqual(body.outcomesPerDay, [{ day: today, outcome: 'false_alarm', count: 1 }, { day: today, outcome: 'warned_cancelled', count: 1 }]);
      assert.deepEqual(body.kept, [{ currency: 'HKD', amount: '3000.00', payments: 1 }]);
      assert.deepEqual(body.falseAlarms.map((f) => [f.kind, f.value, f.banks]), [['payment_proxy', 'fps:7777777', 1]]);
      assertRefused(await app.inject({ url: '/api/v1/officer/payee-outcomes', headers: bearer(keys['Bank A']?.token as string) }), 'UNAUTHENTICATED');
    });

    it('every partner route refuses no key, and a key without its scope', async () => {
      const routes = [
        { method: 'POST' as const, url: '/api/v1/partner/outcomes', payload: { outcomes: [{ checkId: 'pc_x', outcome: 'false_alarm' }] }, scope: 'outcomes:write' },
        { method: 'POST' as const, url: '/api/v1/partner/payee-check', payload: { payees: [{ type: 'fps_id', value: '1234567' }] }, scope: 'payee:check' },
        { method: 'POST' as const, url: '/api/v1/partner/accounts', payload: { withdraw: [{ type: 'fps_id', value: '1234567' }] }, scope: 'accounts:share' },
        { method: 'GET' as const, url: '/api/v1/partner/accounts', scope: 'accounts:share' },
      ];
      for (const route of routes) {
        assertRefused(await app.inject({ ...route }), 'UNAUTHENTICATED');
        const res = await app.inject({ ...route, headers: bearer(keys['Telco T']?.token as string) });
        assertRefused(res, 'FORBIDDEN');
        assert.match(res.body, new RegExp(route.scope));
      }
      // Bank C may share but not check.
      assertRefused(await app.inject({ ...routes[0], headers: bearer(keys['Bank C']?.token as string) }), 'FORBIDDEN');
    });

    it('a share is all or nothing: one bad account refuses the whole request and nothing is written', async () => {
      const before = await sg.db.selectFrom('shared_accounts').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const res = await share({ share: [{ type: 'fps_id', value: '7654321', reason: 'mule_account', confidence: 'low' }, { type: 'wallet', value: 'not-a-wallet', reason: 'mule_account', confidence: 'low' }] });
      assertRefused(res, 'INVALID_CRYPTO_WALLET');
      assert.match(res.body, /share\[1\]/);
      assertRefused(await share({ share: [{ type: 'fps_id', value: '7654321', reason: 'mule_account', confidence: 'low' }], withdraw: [{ type: 'fps_id', value: '7654321' }] }), 'VALIDATION_FAILED');
      const after = await sg.db.selectFrom('shared_accounts').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });
  });
}
