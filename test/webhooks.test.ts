import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../src/http/app.js';
import type { Scamgraph } from '../src/main.js';
import { Webhooks } from '../src/modules/partners/webhooks.js';
import { childEnv, ENGINES, openTestScamgraph } from './helpers/database.js';
import { PASSWORD, assertRefused, bearer } from './helpers/http.js';
import { startChild } from './helpers/processes.js';

// Signed webhooks (issue 13): Standard Webhooks headers and signatures, checked with the project's own
// verifier package (`standardwebhooks`); at least once, retried with backoff, marked failed after the give-up
// time; replay from a sequence number with the same ids; the outbox in the database survives SIGKILL.

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A receiver on loopback that answers each request with what `answer` says (a status, or null to never answer). */
async function receiver(answer: (n: number, body: string) => number | null): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const open = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const status = answer(received.length, body);
      received.push({ headers: req.headers, body, status: status ?? 0 });
      if (status === null) open.add(res);
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/scamgraph`,
    received,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const headersOf = (r: Received) => ({ 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) });

for (const engine of ENGINES) {
  describe(`webhooks (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    const keys: Record<string, string> = {};

    before(async () => {
      sg = await openTestScamgraph(engine, { loadIndex: true }, { webhooks: { allowHttp: true, firstRetryMs: 10, leaseMs: 60_000 } });
      app = await buildApp(sg);
      for (const name of ['Hook Bank', 'Other Bank']) keys[name] = (await sg.partners.addOrganisation('cli', { name, type: 'bank', scopes: ['webhooks:manage'] }, 'webhook test')).key.token;
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const subscribe = async (payload: object, who = 'Hook Bank') => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/partner/webhooks', headers: bearer(keys[who] as string), payload });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { webhook: { id: number; cursor: number }; secret: string };
    };
    /** Runs the delivery job until nothing is due (no timers in this suite: each pass is explicit). */
    const drive = async (passes = 10) => {
      for (let i = 0; i < passes; i++) {
        await sg.webhooks.enqueue();
        await sg.webhooks.deliverDue();
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    };

    it('a receiver that fails three times then succeeds gets each event once, correctly signed, always with the same id', async () => {
      const hook = await receiver((n) => (n < 3 ? 503 : 204));
      try {
        const { webhook, secret } = await subscribe({ url: hook.url, kinds: ['phone'], levels: ['high_risk'] });
        assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0001' }, 'high_risk', 'webhook test');
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0002' }, 'high_risk', 'webhook test');
        await sg.verdicts.decide('user:officer', { value: 'https://not-selected.example/' }, 'high_risk', 'a link: another kind');
        await drive(30);
        const delivered = hook.received.filter((r) => r.status === 204);
        assert.equal(delivered.length, 2, `answers: ${hook.received.map((r) => r.status).join(',')}`);
        const ids = delivered.map((r) => r.headers['webhook-id']);
        assert.equal(new Set(ids).size, 2, 'each event once');
        const verifier = new Webhook(secret);
        for (const r of delivered) {
          const event = verifier.verify(r.body, headersOf(r)) as { type: string; data: { kind: string; value: string; level: string; previousLevel: string; seq: number } };
          assert.equal(event.type, 'verdict.changed');
          assert.equal(event.data.kind, 'phone');
          assert.equal(event.data.level, 'high_risk');
          assert.equal(event.data.previousLevel, 'no_record');
          assert.equal(r.headers['webhook-id'], `msg_${webhook.id}_${event.data.seq}`);
        }
        // The failed attempts were of the same events, under the same ids.
        assert.ok(hook.received.slice(0, 3).every((r) => ids.includes(r.headers['webhook-id'])));
        const listed = await app.inject({ url: `/api/v1/partner/webhooks/${webhook.id}/deliveries`, headers: bearer(keys['Hook Bank'] as string) });
        const rows = (listed.json() as { deliveries: { attempts: number; deliveredAt: string | null; lastStatus: number }[] }).deliveries;
        assert.equal(rows.length, 2);
        assert.ok(rows.every((d) => d.deliveredAt !== null && d.lastStatus === 204));
        assert.equal(rows.reduce((n, d) => n + d.attempts, 0), 5);
      } finally {
        await hook.close();
      }
    });

    it('a tampered body, a wrong secret or an old timestamp fails verification', async () => {
      const hook = await receiver(() => 200);
      try {
        const { secret } = await subscribe({ url: hook.url });
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0003' }, 'suspicious', 'webhook test');
        await drive(3);
        const r = hook.received.at(-1) as Received;
        const verifier = new Webhook(secret);
        assert.doesNotThrow(() => verifier.verify(r.body, headersOf(r)));
        assert.throws(() => verifier.verify(r.body.replace('suspicious', 'high_risk'), headersOf(r)), /signature/i);
        assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 9).toString('base64')}`).verify(r.body, headersOf(r)), /signature/i);
        assert.throws(() => verifier.verify(r.body, { ...headersOf(r), 'webhook-timestamp': String(Number(r.headers['webhook-timestamp']) - 3600) }), /timestamp/i);
      } finally {
        await hook.close();
      }
    });

    it('replay from a sequence number sends those events again with their first ids; another bank cannot touch the webhook', async () => {
      const hook = await receiver(() => 200);
      try {
        const { webhook } = await subscribe({ url: hook.url, kinds: ['phone'] });
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0004' }, 'high_risk', 'webhook test');
        await drive(3);
        const first = hook.received.map((r) => r.headers['webhook-id']);
        assert.equal(first.length, 1);
        const replay = (who: string) => app.inject({ method: 'POST', url: `/api/v1/partner/webhooks/${webhook.id}/replay`, headers: bearer(keys[who] as string), payload: { fromSeq: webhook.cursor } });
        assertRefused(await replay('Other Bank'), 'NOT_FOUND');
        assertRefused(await app.inject({ url: `/api/v1/partner/webhooks/${webhook.id}/deliveries`, headers: bearer(keys['Other Bank'] as string) }), 'NOT_FOUND');
        assertRefused(await app.inject({ method: 'POST', url: `/api/v1/partner/webhooks/${webhook.id}/disable`, headers: bearer(keys['Other Bank'] as string), payload: {} }), 'NOT_FOUND');
        const others = await app.inject({ url: '/api/v1/partner/webhooks', headers: bearer(keys['Other Bank'] as string) });
        assert.deepEqual((others.json() as { webhooks: unknown[] }).webhooks, []);
        assert.equal((await replay('Hook Bank')).statusCode, 200);
        await drive(3);
        assert.deepEqual(hook.received.map((r) => r.headers['webhook-id']), [...first, ...first]);
        const disabled = await app.inject({ method: 'POST', url: `/api/v1/partner/webhooks/${webhook.id}/disable`, headers: bearer(keys['Hook Bank'] as string), payload: {} });
        assert.equal(disabled.statusCode, 200, disabled.body);
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0005' }, 'high_risk', 'webhook test');
        await drive(3);
        assert.equal(hook.received.length, 2, 'a disabled webhook gets nothing');
      } finally {
        await hook.close();
      }
    });

    it('a partner whose keys are all revoked gets no more deliveries', async () => {
      const hook = await receiver(() => 200);
      try {
        const { organisation, key } = await sg.partners.addOrganisation('cli', { name: 'Leaving Bank', type: 'bank', scopes: ['webhooks:manage'] }, 'webhook test');
        const res = await app.inject({ method: 'POST', url: '/api/v1/partner/webhooks', headers: bearer(key.token), payload: { url: hook.url, kinds: ['phone'] } });
        assert.equal(res.statusCode, 200, res.body);
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0007' }, 'high_risk', 'webhook test');
        await drive(3);
        assert.equal(hook.received.length, 1);
        await sg.partners.revokeKey('cli', organisation.id, key.id, 'off-boarded');
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0008' }, 'high_risk', 'webhook test');
        await drive(3);
        assert.equal(hook.received.length, 1, 'nothing after the last key was revoked');
      } finally {
        await hook.close();
      }
    });

    it('a receiver that never succeeds is marked failed after the give-up time', async () => {
      const hook = await receiver(() => 500);
      try {
        const { webhook } = await subscribe({ url: hook.url, kinds: ['phone'] });
        const quick = new Webhooks(sg.db, sg.secrets.webhookKey, sg.secrets.auditKey, { allowHttp: true, firstRetryMs: 10, giveUpMs: 200 });
        await sg.verdicts.decide('user:officer', { value: '+852 6600 0006' }, 'high_risk', 'webhook test');
        for (let i = 0; i < 40; i++) {
          await quick.enqueue();
          await quick.deliverDue();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const [row] = await quick.deliveries((await sg.partners.organisation({ name: 'Hook Bank' })).id, webhook.id);
        assert.ok(row !== undefined && row.failed_at !== null && row.delivered_at === null, JSON.stringify(row));
        assert.ok(row.attempts >= 2, `${row.attempts} attempts, backing off`);
        const attempts = hook.received.length;
        await quick.deliverDue();
        assert.equal(hook.received.length, attempts, 'a failed delivery is not tried again');
      } finally {
        await hook.close();
      }
    });

    it('refuses a plain-http url where it is not allowed, a url with credentials, and a key without the scope', async () => {
      const strict = new Webhooks(sg.db, sg.secrets.webhookKey, sg.secrets.auditKey, { allowHttp: false });
      await assert.rejects(strict.subscribe({ id: 1, name: 'x' }, { url: 'http://bank.example/hooks' }), /must be https/);
      // Nor the server's own network: loopback, private, link-local and unique-local addresses, local names.
      for (const url of ['https://127.0.0.1/h', 'https://[::1]/h', 'https://10.1.2.3/h', 'https://192.168.0.9/h', 'https://169.254.169.254/latest', 'https://[fd00::1]/h', 'https://localhost:8443/h', 'https://db.internal/h', 'https://[::ffff:127.0.0.1]/h']) {
        await assert.rejects(strict.subscribe({ id: 1, name: 'x' }, { url }), /public host/, url);
      }
      const res = await app.inject({ method: 'POST', url: '/api/v1/partner/webhooks', headers: bearer(keys['Hook Bank'] as string), payload: { url: 'https://user:pass@bank.example/hooks' } });
      assertRefused(res, 'VALIDATION_FAILED');
      const payee = (await sg.partners.addOrganisation('cli', { name: 'No Hooks Bank', type: 'bank', scopes: ['payee:check'] }, 'webhook test')).key.token;
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/partner/webhooks', headers: bearer(payee), payload: { url: 'https://bank.example/hooks' } }), 'FORBIDDEN');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/partner/webhooks', payload: { url: 'https://bank.example/hooks' } }), 'UNAUTHENTICATED');
    });
  });
}

describe('webhooks survive a server killed mid-delivery', () => {
  const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
  const BIN = join(ROOT, 'bin', 'scamgraph.js');
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-webhooks-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const env = { SCAMGRAPH_WEBHOOK_ALLOW_HTTP: '1', SCAMGRAPH_WEBHOOK_LEASE_MS: '500', SCAMGRAPH_WEBHOOK_FIRST_RETRY_MS: '50' };
  const cli = (args: string[], stdin = '') => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--data', dir], { cwd: ROOT, input: stdin, encoding: 'utf8', env: childEnv(env) });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const serve = async () => {
    const child = startChild(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    const [, url] = await child.waitForStderr(/listening on (http:\/\/[^\s]+)/);
    return { child, url: url as string };
  };

  it('SIGKILL while the receiver has not answered: after a restart the event is delivered again, with the same id', async () => {
    cli(['user', 'add', 'hook-officer', '--role', 'officer', '--password-stdin'], `${PASSWORD}\n`);
    const token = (JSON.parse(cli(['partner', 'add', 'Killed Bank', '--type', 'bank', '--scopes', 'webhooks:manage', '--reason', 'webhook test', '--json'])) as { key: { token: string } }).key.token;
    let firstArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    // The first attempt is never answered; the ones after the restart are.
    const hook = await receiver((n) => {
      if (n === 0) firstArrived();
      return n === 0 ? null : 200;
    });
    try {
      let server = await serve();
      const post = (path: string, body: object, auth: string) => fetch(server.url + path, { method: 'POST', headers: { ...bearer(auth), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const { secret } = (await (await post('/api/v1/partner/webhooks', { url: hook.url }, token)).json()) as { secret: string };
      const login = (await (await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'hook-officer', password: PASSWORD }) })).json()) as { token: string };
      const decided = await post('/api/v1/officer/indicators/decision', { value: '+852 6600 0999', level: 'high_risk', reason: 'webhook kill test' }, login.token);
      assert.equal(decided.status, 200, await decided.text());
      await arrived;
      assert.equal(await server.child.stop('SIGKILL'), null, 'killed by the signal');
      server = await serve();
      for (let i = 0; i < 200 && hook.received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(hook.received.length, 2, 'delivered again after the restart');
      const [lost, again] = hook.received as [Received, Received];
      assert.equal(again.headers['webhook-id'], lost.headers['webhook-id']);
      assert.equal(again.body, lost.body);
      assert.doesNotThrow(() => new Webhook(secret).verify(again.body, headersOf(again)));
      await server.child.stop('SIGTERM');
    } finally {
      await hook.close();
    }
  });
});
