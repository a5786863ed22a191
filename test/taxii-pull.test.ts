import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import type { Scamgraph } from '../src/main.js';
import { StixPublisher } from '../src/modules/feeds/stix.js';
import { patternValues } from '../src/modules/feeds/stix-pattern-values.js';
import { justBefore, pullTaxiiCollection } from '../src/modules/feeds/taxii-pull.js';
import { AppError } from '../src/errors.js';
import { childEnv, ENGINES, openTestScamgraph, TEST_SECRET } from './helpers/database.js';
import { stixPatternErrors } from './helpers/stix-pattern.js';

// Pulling a peer centre's TAXII 2.1 collection into a feed (issue 14): `scamgraph import --as feed:NAME --taxii
// URL --collection ID`. The peer here is a second Scamgraph serving its collections over HTTP on loopback:
// pages by limit/more/next (TAXII 2.1 §3.4), resumption by added_after from X-TAXII-Date-Added-Last (§3.4.1,
// §3.2), and revoked indicators (STIX 2.1 §3.6) ending the listings they began.

const VALUES = [
  ['scam-peer.example', 'domain'],
  ['https://peer-phish.example/login', 'url'],
  ['crook@peer.example', 'email'],
  ['198.51.100.7', 'ip'],
  ['+85264003001', 'phone'],
  ['GB33BUKB20201555555555', 'bank_account'],
  ['004-123-456789', 'bank_account'],
  ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'crypto_wallet'],
  ['fps:7654321', 'payment_proxy'],
  ['#PEERSCAM', 'sms_sender'],
  ['https://www.facebook.com/peer.scammer', 'social_account'],
] as const;

describe('STIX patterns read as values (STIX 2.1 §9)', () => {
  it('every pattern Scamgraph publishes is valid by the OASIS grammar and reads back as the value it is about', () => {
    const publisher = new StixPublisher(TEST_SECRET);
    const cases: [string, string, string, string][] = [
      ['domain:scam.example/', 'domain', 'domain', 'scam.example'],
      ['url:peer.example/login', 'url', 'url', 'https://peer.example/login'],
      ['email:a@b.example', 'email', 'email', 'a@b.example'],
      ['ip:2001:db8::1', 'ip', 'ip', '2001:db8::1'],
      ['phone:+85264003001', 'phone', 'phone', '+85264003001'],
      ['bank_account:iban:GB33BUKB20201555555555', 'bank_account', 'bank_account', 'GB33BUKB20201555555555'],
      ['bank_account:hk:004123456789', 'bank_account', 'bank_account', '004123456789'],
      ['crypto_wallet:btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'crypto_wallet', 'crypto_wallet', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['payment_proxy:fps:7654321', 'payment_proxy', 'payment_proxy', 'fps:7654321'],
      ['sms_sender:#PEERSCAM', 'sms_sender', 'sms_sender', '#PEERSCAM'],
      ['social_account:facebook:peer.scammer', 'social_account', 'social_account', 'facebook:peer.scammer'],
    ];
    for (const [entry, kind, expectedKind, expectedValue] of cases) {
      const observed = publisher.observed(entry, kind);
      assert.ok(observed !== null, entry);
      assert.deepEqual(stixPatternErrors(observed.pattern), [], observed.pattern);
      const reading = patternValues(observed.pattern);
      assert.ok('values' in reading, `${observed.pattern}: ${JSON.stringify(reading)}`);
      assert.deepEqual(
        reading.values.map((v) => v.kind),
        reading.values.map(() => expectedKind),
      );
      assert.ok(
        reading.values.some((v) => v.value === expectedValue),
        `${observed.pattern} → ${JSON.stringify(reading.values)}`,
      );
    }
  });

  it('resumes one microsecond before the last date kept (added_after is exclusive, §3.4.1)', () => {
    assert.equal(justBefore('2026-12-04T08:00:00.000000Z'), '2026-12-04T07:59:59.999999Z');
    assert.equal(justBefore('2026-12-04T08:00:00.5Z'), '2026-12-04T08:00:00.499999Z');
    assert.equal(justBefore('2026-12-04T08:00:00Z'), '2026-12-04T07:59:59.999999Z');
    assert.equal(justBefore('2026-12-04 08:00'), null);
  });

  it('string literals unescape \\\' and \\\\ (§9.3); OR between observations gives each value; AND groups one object', () => {
    const r = patternValues("[url:value = 'http://quote.example/it\\'s'] OR [domain-name:value = 'a\\\\b.example']");
    assert.deepEqual(r, { values: [{ kind: 'url', value: "http://quote.example/it's" }, { kind: 'domain', value: 'a\\b.example' }], passedOver: [] });
    assert.deepEqual(patternValues("[bank-account:country = 'HK' AND bank-account:account_number = '004123456789']"), { values: [{ kind: 'bank_account', value: '004123456789' }], passedOver: [] });
  });

  it('detection logic that is not a list of values is refused with its reason, never guessed at', () => {
    for (const pattern of [
      "[file:hashes.'SHA-256' = 'aa']",
      "[domain-name:value = 'a.example'] FOLLOWEDBY [url:value = 'http://b.example/']",
      "[domain-name:value = 'a.example'] AND [url:value = 'http://b.example/']",
      "[domain-name:value = 'a.example'] WITHIN 5 SECONDS",
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "[domain-name:value != 'a.example']",
      "[(domain-name:value = 'a.example')]",
      "[domain-name:value = 'a.example' AND url:value = 'http://b.example/']",
      "[url:value LIKE 'http://b.example/%']",
      "[x-custom:value = 'a']",
      "[domain-name:value = 'unclosed]",
    ]) {
      const r = patternValues(pattern);
      assert.ok('refused' in r && r.refused.length > 0, `${pattern} → ${JSON.stringify(r)}`);
    }
    // A value beside an alternative that names none: the value is kept, the other passed over with its reason.
    const mixed = patternValues("[domain-name:value = 'a.example' OR url:value LIKE 'http://a.example/%']");
    assert.ok('values' in mixed);
    assert.deepEqual(mixed.values, [{ kind: 'domain', value: 'a.example' }]);
    assert.equal(mixed.passedOver.length, 1);
  });
});

for (const engine of ENGINES) {
  describe(`pulling a peer's TAXII collection into a feed (${engine})`, () => {
    let peer: Scamgraph;
    let app: FastifyInstance;
    let us: Scamgraph & { url: string | null };
    let apiRoot: string;
    let collection: string;
    let key: string;
    /** The objects requests the peer saw, and whether to fail the next one (a connection lost mid-pull). */
    const seen: URLSearchParams[] = [];
    let failNext = false;

    before(async () => {
      peer = await openTestScamgraph(engine);
      us = await openTestScamgraph(engine);
      app = await buildApp(peer);
      app.addHook('onRequest', async (request, reply) => {
        if (!request.url.includes('/objects/')) return;
        seen.push(new URL(request.url, 'http://peer').searchParams);
        if (failNext) {
          failNext = false;
          return reply.code(503).send();
        }
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address() as { port: number };
      key = (await peer.partners.addOrganisation('cli', { name: 'Peer CERT', type: 'peer_centre', scopes: ['feeds:read'] }, 'test partner')).key.token;
      for (const [value, kind] of VALUES) await peer.verdicts.decide('user:peer', { value, kind }, 'high_risk', 'peer case');
      const base = `http://127.0.0.1:${address.port}`;
      const discovery = (await (await fetch(`${base}/taxii2/`, { headers: { authorization: `Bearer ${key}`, accept: 'application/taxii+json;version=2.1' } })).json()) as { default: string };
      apiRoot = new URL(discovery.default, base).toString();
      const { collections } = (await (await fetch(`${apiRoot}collections/`, { headers: { authorization: `Bearer ${key}` } })).json()) as { collections: { id: string; alias: string }[] };
      collection = collections.find((c) => c.alias === 'all-high-risk')?.id as string;
      assert.ok(collection !== undefined);
    });
    after(async () => {
      await app?.close();
      await peer?.close();
      await us?.close();
    });

    const listed = async (feed: string) => (await us.db.selectFrom('feed_entries').select('canonical').where('feed', '=', feed).execute()).map((r) => r.canonical).sort();
    const pull = (feed: string, extra: object = {}) =>
      pullTaxiiCollection(us.db, feed, { apiRoot, collection, headers: { authorization: `Bearer ${key}` }, region: 'HK', rejectsPath: join(tmpdir(), `taxii-pull-${process.pid}.rejects.jsonl`), level: 'high_risk', ...extra });

    it('refuses an unauthenticated pull with the status and no credentials in the message', async () => {
      await assert.rejects(
        pullTaxiiCollection(us.db, 'peer', { apiRoot, collection, headers: { authorization: 'Bearer sgp_wrong' }, region: 'HK', rejectsPath: join(tmpdir(), `taxii-pull-${process.pid}.rejects.jsonl`), level: 'high_risk' }),
        (error: unknown) => error instanceof AppError && error.code === 'FEED_FETCH_FAILED' && /answered 401/.test(error.message) && !error.message.includes('sgp_wrong'),
      );
      await assert.rejects(pullTaxiiCollection(us.db, 'peer', { apiRoot: `${apiRoot.replace('/taxii2/feeds/', '/api/v1/')}`, collection, region: 'HK', rejectsPath: join(tmpdir(), 'x.jsonl'), level: 'high_risk' }), (error: unknown) => error instanceof AppError && error.code === 'FEED_FETCH_FAILED');
      assert.deepEqual(await listed('peer'), []);
    });

    it('pages by limit and next, stopped midway resumes from the last page kept, and a pull again asks only for what was added since', async () => {
      seen.length = 0;
      // The peer's answers: a page of 4 objects at a time; the third request fails, as a lost connection would.
      let requests = 0;
      const hook = (): void => {
        requests++;
        if (requests === 2) failNext = true;
      };
      await assert.rejects(pull('peer', { pageLimit: 4, onPage: hook }), (error: unknown) => error instanceof AppError && error.code === 'FEED_FETCH_FAILED' && /503/.test(error.message));
      const partly = await listed('peer');
      assert.ok(partly.length > 0 && partly.length < VALUES.length, `kept what two pages held: ${partly.length}`);
      const saved = await us.db.selectFrom('taxii_pulls').select(['added_after']).where('feed', '=', 'peer').executeTakeFirstOrThrow();
      seen.length = 0;
      const rest = await pull('peer', { pageLimit: 4 });
      assert.equal(seen[0]?.get('added_after'), justBefore(saved.added_after), 'resumed from just before the last date kept');
      assert.equal(seen[0]?.get('next'), null);
      assert.ok(seen.slice(1).every((q) => q.get('next') !== null && q.get('added_after') === justBefore(saved.added_after)), 'then §3.4 next, with the same added_after');
      assert.ok(rest.pages >= 2);
      const all = await listed('peer');
      assert.equal(all.length, VALUES.length, all.join(' '));
      assert.ok(all.includes('+85264003001') && all.includes('scam-peer.example') && all.includes('fps:7654321'));
      // Again: nothing new, one request after the last date added.
      seen.length = 0;
      const again = await pull('peer');
      assert.deepEqual([again.stored, again.pages], [0, 1]);
      assert.ok(again.objects <= 2, 'at most the objects of the last date kept, read again');
      assert.equal(seen.length, 1);
      // Our verdict: the peer's listing, as any trusted feed's.
      const check = await us.verdicts.checkFromDatabase('+852 6400 3001');
      assert.equal(check.verdict.level, 'high_risk');
      assert.ok(check.verdict.reasons.some((r) => r.code === 'FEED_HIGH_RISK'));
    });

    it('a value the peer clears comes back revoked and its listing here ends; listed again, it is listed again', async () => {
      await peer.verdicts.decide('user:peer', { value: '+85264003001', kind: 'phone' }, 'cleared', 'a legitimate shop after all');
      const cleared = await pull('peer');
      assert.equal(cleared.delisted, 1);
      assert.ok(!(await listed('peer')).includes('+85264003001'));
      assert.equal((await us.verdicts.checkFromDatabase('+852 6400 3001')).verdict.level, 'no_record');
      await peer.verdicts.decide('user:peer', { value: '+85264003001', kind: 'phone' }, 'high_risk', 'the shop turned out a front');
      const relisted = await pull('peer');
      assert.equal(relisted.stored, 1);
      assert.ok((await listed('peer')).includes('+85264003001'));
    });

    it('scamgraph import --taxii URL --collection ID: the CLI pulls, prints what it did, and refuses bad usage with exit 2', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'taxii-cli-'));
      try {
        const BIN = fileURLToPath(new URL('../bin/scamgraph.js', import.meta.url));
        const env = childEnv(us.url === null ? {} : { DATABASE_URL: us.url });
        const run = (args: string[]) =>
          new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
            execFile(process.execPath, [BIN, ...args], { cwd: dir, env }, (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr })),
          );
        const data = us.url === null ? ['--data', join(dir, 'data')] : [];
        const ok = await run(['import', '--taxii', apiRoot, '--collection', collection, '--as', 'feed:peer-cli', '--level', 'high_risk', '--header', `Authorization: Bearer ${key}`, '--rejects', join(dir, 'r.jsonl'), ...data]);
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, /TAXII objects in 1 pages; 0 listings ended/);
        assert.match(ok.stdout, /entries of feed peer-cli added/);
        assert.ok(!ok.stdout.includes(key) && !ok.stderr.includes(key), 'the key is never printed');
        assert.equal(readFileSync(join(dir, 'r.jsonl'), 'utf8'), '');
        for (const args of [
          ['import', '--taxii', apiRoot, '--as', 'feed:x', '--level', 'high_risk'],
          ['import', '--taxii', apiRoot, '--collection', collection, '--level', 'high_risk'],
          ['import', '--taxii', 'ftp://peer', '--collection', collection, '--as', 'feed:x', '--level', 'high_risk'],
          ['import', 'file.csv', '--collection', collection],
        ]) {
          const bad = await run([...args, ...data]);
          assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
