import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, bearer, countRows, freshAddress, login, PASSWORD } from '../helpers/http.js';

// The SMS Sender Registry over HTTP (issue 16): administrators import and manage it, audited; a check of a
// sender ID says registered, suspended, a look-alike (which, and why) or an unregistered # ID; telcos read it
// as a feed and their SMS screening refuses spoofed and suspended # senders.

const SAMPLE = readFileSync(new URL('../fixtures/sender-registry.sample.csv', import.meta.url), 'utf8');

interface Check {
  verdict: { level: string };
  registry?: { status: string; senderId?: string; organisation?: string; reasons: { code: string; en: string; 'zh-Hant': string }[] };
}

for (const engine of ENGINES) {
  describe(`the SMS sender registry over HTTP (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let admin: string;
    let officer: string;
    let telco: string;

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      await sg.auth.addUser('registry-admin', PASSWORD, 'admin');
      await sg.auth.addUser('registry-officer', PASSWORD, 'officer');
      admin = await login(app, 'registry-admin');
      officer = await login(app, 'registry-officer');
      telco = (await sg.partners.addOrganisation('cli', { name: 'Telco R', type: 'telco', scopes: ['feeds:read', 'calls:screen'] }, 'test partner')).key.token;
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const check = async (value: string): Promise<Check> => {
      const res = await app.inject({ url: `/api/v1/check?value=${encodeURIComponent(value)}&kind=sms_sender`, remoteAddress: freshAddress() });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Check;
    };
    const importCsv = (token: string, csv: string) => app.inject({ method: 'POST', url: '/api/v1/officer/senders/import', headers: bearer(token), payload: { csv, reason: 'OFCA register of 2026-12-01' } });

    it('before a registry is loaded, a check of a # sender says nothing of a registry', async () => {
      assert.equal((await check('#HSBC1')).registry, undefined);
    });

    it('only administrators import; a bad file stores nothing and names each bad row; a good one twice changes nothing the second time', async () => {
      assertRefused(await importCsv(officer, SAMPLE), 'FORBIDDEN');
      const before = await countRows(sg);
      const bad = await importCsv(admin, 'sender_id,organisation,status,registered_on,expires_on\n#OK,Fine Ltd,active,2024-01-01,\n#BAD,,active,2024-01-01,\n#WORSE,Worse Ltd,paused,2024-01-01,\n');
      assertRefused(bad, 'INVALID_SENDER_REGISTRY');
      const rows = (bad.json() as { error: { rows: { line: number; code: string }[] } }).error.rows;
      assert.deepEqual(rows.map((r) => [r.line, r.code]), [[3, 'MISSING_ORGANISATION'], [4, 'INVALID_STATUS']]);
      assert.deepEqual(await countRows(sg), before);
      const first = await importCsv(admin, SAMPLE);
      assert.equal(first.statusCode, 200, first.body);
      const counts = first.json() as { added: number; changed: boolean };
      assert.ok(counts.added >= 15 && counts.changed);
      const again = (await importCsv(admin, SAMPLE)).json() as { added: number; updated: number; changed: boolean };
      assert.deepEqual([again.added, again.updated, again.changed], [0, 0, false]);
      const audit = await sg.db.selectFrom('audit_log').select(['action', 'actor']).where('action', 'like', 'sender_registry.%').execute();
      assert.deepEqual(audit, [{ action: 'sender_registry.import', actor: 'user:registry-admin' }]);
    });

    it('a check says registered (verified), a look-alike and of which ID, or an unregistered # ID, in both languages', async () => {
      const registered = await check('#HSBC');
      assert.equal(registered.verdict.level, 'verified');
      assert.equal(registered.registry?.status, 'registered');
      assert.match(registered.registry?.organisation ?? '', /Hongkong and Shanghai/);
      for (const lookalike of ['#HSBC1', 'HSBC-Alert', 'HSBC']) {
        const answer = await check(lookalike);
        assert.equal(answer.registry?.status, 'lookalike', lookalike);
        assert.equal(answer.registry?.senderId, '#HSBC', lookalike);
        assert.ok(answer.registry?.reasons.every((r) => r.en.length > 0 && /\p{Script=Han}/u.test(r['zh-Hant'])), lookalike);
      }
      const spoof = await check('#QuickLoan');
      assert.equal(spoof.registry?.status, 'unregistered_hash');
      assert.equal(spoof.registry?.senderId, undefined);
    });

    it('suspension takes the verification away and gateways refuse the # ID; reinstating gives it back; both audited', async () => {
      const suspend = await app.inject({ method: 'POST', url: '/api/v1/officer/senders/suspend', headers: bearer(admin), payload: { senderId: '#HSBC', reason: 'registration suspended by OFCA' } });
      assert.equal(suspend.statusCode, 200, suspend.body);
      assert.equal((suspend.json() as { changed: boolean }).changed, true);
      await sg.verdicts.catchUp();
      const suspended = await check('#HSBC');
      assert.equal(suspended.registry?.status, 'suspended');
      assert.notEqual(suspended.verdict.level, 'verified');
      const screen = await app.inject({ method: 'POST', url: '/api/v1/partner/sms-screen', headers: bearer(telco), payload: { senderId: '#HSBC', text: 'Your account is locked' } });
      assert.equal(screen.statusCode, 200, screen.body);
      const screened = screen.json() as { decision: string; sender: { status: string }; reasons: { code: string }[] };
      assert.deepEqual([screened.decision, screened.sender.status, screened.reasons[0]?.code], ['block', 'suspended', 'SENDER_SUSPENDED']);
      const spoofed = (await app.inject({ method: 'POST', url: '/api/v1/partner/sms-screen', headers: bearer(telco), payload: { senderId: '#QuickLoan' } })).json() as { decision: string; sender: { status: string } };
      assert.deepEqual([spoofed.decision, spoofed.sender.status], ['block', 'spoofed']);
      const lookalike = (await app.inject({ method: 'POST', url: '/api/v1/partner/sms-screen', headers: bearer(telco), payload: { senderId: 'HangSeng-HK' } })).json() as { decision: string; sender: { status: string; imitates?: string } };
      assert.deepEqual([lookalike.decision, lookalike.sender.status, lookalike.sender.imitates], ['alert', 'lookalike', '#HangSeng']);
      // A # ID off the register is a spoof, the more so when it imitates one on it: blocked, and saying which.
      for (const imitation of ['#H5BC', '#HangSeng1']) {
        const res = (await app.inject({ method: 'POST', url: '/api/v1/partner/sms-screen', headers: bearer(telco), payload: { senderId: imitation } })).json() as { decision: string; sender: { status: string; imitates?: string }; reasons: { code: string }[] };
        assert.deepEqual([res.decision, res.sender.status, res.reasons.map((r) => r.code).filter((c) => c.startsWith('SENDER_'))], ['block', 'spoofed', ['SENDER_SPOOFED', 'SENDER_LOOKALIKE']], imitation);
        assert.ok(res.sender.imitates === '#HSBC' || res.sender.imitates === '#HangSeng', imitation);
      }

      await app.inject({ method: 'POST', url: '/api/v1/officer/senders/reinstate', headers: bearer(admin), payload: { senderId: '#HSBC', reason: 'suspension lifted' } });
      await sg.verdicts.catchUp();
      assert.equal((await check('#HSBC')).verdict.level, 'verified');
      const audit = await sg.db.selectFrom('audit_log').select('action').where('subject', '=', 'sms_sender:#hsbc').orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => a.action), ['sender_registry.suspend', 'sender_registry.reinstate']);
    });

    it('telcos read the registry as a feed: every entry from 0, then what changed after the cursor', async () => {
      const feed = async (since?: number) => {
        const res = await app.inject({ url: `/api/v1/partner/feeds/sms-senders${since === undefined ? '' : `?since=${since}`}`, headers: bearer(telco) });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { cursor: number; senders: { senderId: string; status: string; inForce: boolean }[] };
      };
      const all = await feed();
      assert.ok(all.senders.length >= 15);
      assert.equal(all.senders.find((s) => s.senderId === '#HSBC')?.inForce, true);
      assert.deepEqual((await feed(all.cursor)).senders, []);
      await app.inject({ method: 'POST', url: '/api/v1/officer/senders/suspend', headers: bearer(admin), payload: { senderId: '#BOCHK', reason: 'test suspension' } });
      const next = await feed(all.cursor);
      assert.deepEqual(next.senders.map((s) => [s.senderId, s.status, s.inForce]), [['#BOCHK', 'suspended', false]]);
    });

    it('a forwarded message’s answer carries the registry’s word on its sender', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/messages', remoteAddress: freshAddress(), payload: { channel: 'sms', sender: 'HSBC-Alert', text: 'Your card is frozen. Unlock it at https://hsbc-unlock.top now.' } });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((res.json() as { sender: Check }).sender.registry?.status, 'lookalike');
    });

    it('refuses anonymous calls (401), writes by a non-administrator (403), and the feed to a key without feeds:read', async () => {
      assertRefused(await app.inject({ url: '/api/v1/officer/senders' }), 'UNAUTHENTICATED');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/senders/suspend', payload: { senderId: '#HSBC', reason: 'x y z' } }), 'UNAUTHENTICATED');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/senders/suspend', headers: bearer(officer), payload: { senderId: '#HSBC', reason: 'x y z' } }), 'FORBIDDEN');
      assertRefused(await app.inject({ url: '/api/v1/partner/feeds/sms-senders' }), 'UNAUTHENTICATED');
      const bank = (await sg.partners.addOrganisation('cli', { name: 'Bank S', type: 'bank', scopes: ['payee:check'] }, 'test partner')).key.token;
      assertRefused(await app.inject({ url: '/api/v1/partner/feeds/sms-senders', headers: bearer(bank) }), 'FORBIDDEN');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/senders/suspend', headers: bearer(admin), payload: { senderId: '#Nobody', reason: 'not there' } }), 'NOT_FOUND');
      const list = await app.inject({ url: '/api/v1/officer/senders', headers: bearer(officer) });
      assert.equal(list.statusCode, 200);
    });
  });
}
