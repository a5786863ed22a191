import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig, ConfigError } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { networkBlock, DEFAULT_INDEPENDENCE } from '../../src/modules/reports/reporter-independence.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';

// The attacks of docs/poisoning.md, each through the public API as an attacker would send them. Public
// reports alone must never make a value high risk through identities that cost nothing (issue 12).

const REPORT = (value: string, narrative: string, extra: Record<string, unknown> = {}) => ({ scamType: 'investment', channel: 'call', narrative, indicators: [{ value, role: 'caller' }], ...extra });

for (const engine of ENGINES) {
  describe(`poisoning attacks (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let strict: Scamgraph;
    let strictApp: FastifyInstance;
    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      // A deployment that counts no public signal as independent: only officers and feeds condemn.
      strict = await openTestScamgraph(engine, { loadIndex: true }, { independence: { signals: [], ipv4Prefix: 24, ipv6Prefix: 48 } });
      strictApp = await buildApp(strict);
    });
    after(async () => {
      await app.close();
      await sg.close();
      await strictApp.close();
      await strict.close();
    });

    async function send(target: FastifyInstance, payload: object, remoteAddress: string, headers: Record<string, string> = {}): Promise<void> {
      const res = await target.inject({ method: 'POST', url: '/api/v1/reports', payload, remoteAddress, headers });
      assert.equal(res.statusCode, 201, res.body);
    }
    const level = (s: Scamgraph, value: string): string => s.verdicts.check(value).verdict.level;

    it('token rotation: three reports with three fresh client tokens from one address stay suspicious', async () => {
      for (let i = 0; i < 3; i++) await send(app, REPORT('+852 6300 0001', `attack ${i}`, { clientToken: randomBytes(16).toString('hex') }), '203.0.113.5');
      assert.equal(level(sg, '+852 6300 0001'), 'suspicious');
      // The reporters are still seen (officers get the exact count) but as one independent source.
      const exact = sg.verdicts.check('+852 6300 0001', undefined, { exact: true });
      assert.equal(exact.verdict.reportCount, 3);
      assert.match(exact.verdict.reasons[0]!.message.en, /not been shown to come from independent people/);
    });

    it('fake e-mails: three made-up contact addresses from one address stay suspicious', async () => {
      for (let i = 0; i < 3; i++) await send(app, REPORT('+852 6300 0002', `attack ${i}`, { contact: { email: `victim${i}@example.com`, consent: true } }), '203.0.113.6');
      assert.equal(level(sg, '+852 6300 0002'), 'suspicious');
    });

    it('one address: ten reports with different stories stay suspicious', async () => {
      for (let i = 0; i < 10; i++) await send(app, REPORT('+852 6300 0003', `story number ${i}`), '203.0.113.7');
      assert.equal(level(sg, '+852 6300 0003'), 'suspicious');
    });

    it('many addresses in one block: 20 addresses of one /24 (IPv4) or one /48 (IPv6), fresh tokens each, stay suspicious', async () => {
      for (let i = 1; i <= 20; i++) await send(app, REPORT('+852 6300 0004', `bot ${i}`, { clientToken: randomBytes(16).toString('hex') }), `198.51.100.${i}`);
      assert.equal(level(sg, '+852 6300 0004'), 'suspicious');
      for (let i = 1; i <= 20; i++) await send(app, REPORT('+852 6300 0005', `bot ${i}`), `2001:db8:42:${i.toString(16)}::${i}`);
      assert.equal(level(sg, '+852 6300 0005'), 'suspicious');
    });

    it('a forged X-Forwarded-For (no trusted proxy) changes nothing: the socket address counts', async () => {
      for (let i = 0; i < 3; i++) await send(app, REPORT('+852 6300 0006', `forged ${i}`), '203.0.113.8', { 'x-forwarded-for': `192.0.2.${i + 1}, 10.${i}.0.1` });
      assert.equal(level(sg, '+852 6300 0006'), 'suspicious');
    });

    it('the rule is explicit: three people on three networks make high risk; an officer always can', async () => {
      for (const address of ['203.0.113.20', '198.51.100.20', '192.0.2.20']) await send(app, REPORT('+852 6300 0007', `victim on ${address}`), address);
      assert.equal(level(sg, '+852 6300 0007'), 'high_risk');
      // With no public signal counted, the same three people leave it suspicious until an officer confirms.
      for (const address of ['203.0.113.20', '198.51.100.20', '192.0.2.20']) await send(strictApp, REPORT('+852 6300 0007', `victim on ${address}`), address);
      assert.equal(level(strict, '+852 6300 0007'), 'suspicious');
      await strict.verdicts.decide('user:officer', { value: '+852 6300 0007' }, 'high_risk', 'confirmed with the victims');
      assert.equal(level(strict, '+852 6300 0007'), 'high_risk');
    });

    it('the duplicate check is no oracle: a guess with a victim’s e-mail gets the answer any report gets', async () => {
      const victim = REPORT('+852 6300 0008', 'He said he was from the police', { contact: { email: 'victim@example.org', consent: true } });
      await send(app, victim, '203.0.113.30');
      const shape = async (payload: object): Promise<string[]> => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload, remoteAddress: '203.0.113.31' });
        assert.equal(res.statusCode, 201);
        const body = res.json() as Record<string, unknown>;
        return Object.entries(body).map(([k, v]) => (k === 'reference' || k === 'statusToken' || k === 'statusUrl' ? `${k}:${typeof v}` : `${k}:${JSON.stringify(v)}`));
      };
      const matching = await shape(victim); // the guess is right: same e-mail, type, channel and story
      const wrong = await shape({ ...victim, scamType: 'romance' }); // the guess is wrong
      assert.deepEqual(matching, wrong);
      assert.ok(!matching.some((f) => f.startsWith('duplicate')));
    });
  });
}

describe('the independence rule is configuration', () => {
  it('reads SCAMGRAPH_INDEPENDENT_BY and the block sizes, and refuses what it does not know', () => {
    assert.deepEqual(loadConfig({}).independence, DEFAULT_INDEPENDENCE);
    assert.deepEqual(loadConfig({ SCAMGRAPH_INDEPENDENT_BY: 'none' }).independence.signals, []);
    assert.deepEqual(loadConfig({ SCAMGRAPH_INDEPENDENT_BY: 'network,contact' }).independence.signals, ['network', 'contact']);
    assert.throws(() => loadConfig({ SCAMGRAPH_INDEPENDENT_BY: 'email' }), ConfigError);
    assert.equal(loadConfig({ SCAMGRAPH_NETWORK_PREFIX_V4: '16' }).independence.ipv4Prefix, 16);
  });

  it('puts addresses in their blocks (IPv4-mapped IPv6 is IPv4)', () => {
    assert.equal(networkBlock('203.0.113.77', DEFAULT_INDEPENDENCE), '203.0.113.0/24');
    assert.equal(networkBlock('::ffff:203.0.113.77', DEFAULT_INDEPENDENCE), '203.0.113.0/24');
    assert.equal(networkBlock('2001:db8:42:7::1', DEFAULT_INDEPENDENCE), '2001:db8:42::/48');
    assert.equal(networkBlock('not an address', DEFAULT_INDEPENDENCE), null);
  });
});
