import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/http/app.js';
import type { Scamgraph } from '../../../src/main.js';
import { databaseRows, openTestScamgraph } from '../../../test/helpers/database.js';
import { ScamgraphClient, ScamgraphError, Transport, memoryStorage, type StorageAdapter } from '../src/index.js';

// The client SDK against a real Scamgraph server on loopback: link lists (Safe Browsing v4 updates, RICE,
// checksum recovery, full-hash caching), number lists (filter and bucket), the public check and reports,
// retries with back-off, and a browser bundle with nothing of Node in it.

interface Sent {
  url: string;
  body: string;
}

/** fetch, recording every request the client makes. */
function recordingFetch(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    sent.push({ url: String(input), body: typeof init?.body === 'string' ? init.body : '' });
    return fetch(input, init);
  };
}

describe('client SDK (packages/client) against a server', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  let baseUrl: string;
  let apiKey: string;
  const sent: Sent[] = [];
  const flaggedNumbers = Array.from({ length: 150 }, (_, i) => `+8526${String(5_000_000 + i * 13).padStart(7, '0')}`);
  const client = (storage: StorageAdapter = memoryStorage()) => new ScamgraphClient({ baseUrl, apiKey, storage, fetch: recordingFetch(sent) });

  before(async () => {
    sg = await openTestScamgraph('pglite');
    app = await buildApp(sg);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    apiKey = (await sg.partners.addOrganisation('cli', { name: 'SDK App', type: 'app', scopes: ['lists:read'] }, 'sdk test')).key.token;
    for (const site of ['sdk-phish.example', 'sdk-other.example']) await sg.verdicts.decide('user:test', { value: site, kind: 'domain' }, 'high_risk', 'sdk test');
    await sg.verdicts.decide('user:test', { value: 'sdk-dubious.example', kind: 'domain' }, 'suspicious', 'sdk test');
    for (const n of flaggedNumbers) await sg.verdicts.decide('user:test', { value: n }, 'high_risk', 'sdk test');
  });
  after(async () => {
    await app.close();
    await sg.close();
  });

  it('syncs the link lists and checks links on the device, asking only for matching prefixes', async () => {
    const c = client();
    const first = await c.links.sync();
    assert.deepEqual(first.lists.map((l) => [l.threatType, l.update, l.prefixes]), [['SOCIAL_ENGINEERING', 'FULL_UPDATE', 2], ['UNWANTED_SOFTWARE', 'FULL_UPDATE', 1]]);
    assert.ok(first.nextUpdateAt > Date.now() + 100_000, 'the server asks for a wait of 120 s');
    // Within the minimum wait, a sync is not sent at all.
    const before = sent.length;
    assert.deepEqual((await c.links.sync()).lists, []);
    assert.equal(sent.length, before);

    const unlisted = await c.checkUrlLocally('https://www.unlisted-sdk.example/login?u=1');
    assert.deepEqual(unlisted, { level: 'no_record', askedServer: false });
    assert.equal(sent.length, before, 'a page that matches no local prefix causes no request');

    const phish = await c.checkUrlLocally('https://login.sdk-phish.example/account/verify.html?id=7');
    assert.equal(phish.level, 'high_risk');
    assert.equal(phish.threatType, 'SOCIAL_ENGINEERING');
    assert.equal(phish.expression, 'sdk-phish.example/');
    assert.equal(phish.askedServer, true);
    assert.deepEqual(phish.verdict?.reasons.map((r) => r.code), ['OFFICER_CONFIRMED']);
    assert.ok((phish.verdict?.headline['zh-Hant'] ?? '').length > 0);
    // The answer is cached for the server's cacheDuration: the same site again asks nothing.
    const asked = sent.length;
    assert.equal((await c.checkUrlLocally('http://sdk-phish.example/other')).askedServer, false);
    assert.equal(sent.length, asked);
    assert.equal((await c.checkUrlLocally('http://sdk-dubious.example/')).level, 'suspicious');
  });

  it('follows partial updates, and a list that fails its checksum is dropped and fetched whole', async () => {
    const storage = memoryStorage();
    const c = client(storage);
    await c.links.sync();
    await sg.verdicts.decide('user:test', { value: 'sdk-new.example', kind: 'domain' }, 'high_risk', 'sdk test');
    await sg.verdicts.decide('user:test', { value: 'sdk-other.example', kind: 'domain' }, 'cleared', 'sdk test');
    const partial = await c.links.sync({ force: true });
    assert.deepEqual(partial.lists.map((l) => [l.threatType, l.update, l.checksumReset]), [['SOCIAL_ENGINEERING', 'PARTIAL_UPDATE', false], ['UNWANTED_SOFTWARE', 'PARTIAL_UPDATE', false]]);
    assert.equal((await c.checkUrlLocally('https://sdk-new.example/')).level, 'high_risk');
    assert.equal((await c.checkUrlLocally('https://sdk-other.example/')).level, 'no_record');

    // A device whose stored list lost a prefix (a bad write, a bug): its next partial update does not check
    // out, so the client drops that list and fetches it whole in the same sync.
    const stored = JSON.parse((await storage.get('links:SOCIAL_ENGINEERING')) as string) as { state: string; prefixes: string };
    const bytes = Buffer.from(stored.prefixes, 'base64');
    await storage.set('links:SOCIAL_ENGINEERING', JSON.stringify({ ...stored, prefixes: bytes.subarray(4).toString('base64') }));
    const restarted = client(storage);
    assert.equal((await restarted.links.sizes()).SOCIAL_ENGINEERING, 1);
    await sg.verdicts.decide('user:test', { value: 'sdk-third.example', kind: 'domain' }, 'high_risk', 'sdk test');
    const synced = await restarted.links.sync({ force: true });
    assert.deepEqual(
      synced.lists.map((l) => [l.threatType, l.update, l.checksumReset]),
      [['UNWANTED_SOFTWARE', 'PARTIAL_UPDATE', false], ['SOCIAL_ENGINEERING', 'FULL_UPDATE', true]],
    );
    assert.equal((await restarted.links.sizes()).SOCIAL_ENGINEERING, 3);
    for (const site of ['sdk-phish.example', 'sdk-new.example', 'sdk-third.example']) assert.equal((await restarted.checkUrlLocally(`https://${site}/`)).level, 'high_risk', site);
  });

  it('checks numbers on the device: a filter hit asks for a bucket, a miss asks nothing', async () => {
    const c = client();
    const synced = await c.numbers.sync('phone');
    assert.equal(synced.count, flaggedNumbers.length);
    assert.ok(synced.downloaded > 32);
    assert.equal((await c.numbers.sync('phone')).downloaded, 0, 'an unchanged list is not downloaded again');
    const listed = await c.checkNumberLocally('6500 0013');
    assert.deepEqual(listed, { level: 'high_risk', canonical: '+85265000013', askedServer: true });
    let asked = 0;
    for (let i = 0; i < 300; i++) {
      const other = await c.checkNumberLocally(`+852 9${String(7_000_000 + i * 31).padStart(7, '0')}`);
      assert.equal(other.level, 'no_record');
      if (other.askedServer) asked++;
    }
    assert.ok(asked < 12, `${asked} of 300 unlisted numbers hit the filter (1 in 256 expected)`);

    // The list moves on: the app takes a delta (what was flagged since its full filter), not the list again.
    await sg.verdicts.decide('user:test', { value: '+852 6600 0001' }, 'high_risk', 'sdk test');
    await sg.verdicts.decide('user:test', { value: flaggedNumbers[0] as string }, 'cleared', 'sdk test');
    const delta = await c.numbers.sync('phone');
    assert.equal(delta.filter, 'delta');
    assert.ok(delta.downloaded < 100 && delta.downloaded < synced.downloaded / 5, `${delta.downloaded} bytes against ${synced.downloaded}`);
    assert.equal((await c.checkNumberLocally('+852 6600 0001')).level, 'high_risk');
    assert.deepEqual(await c.checkNumberLocally(flaggedNumbers[0] as string), { level: 'no_record', canonical: flaggedNumbers[0], askedServer: true });
    assert.equal((await c.checkNumberLocally(flaggedNumbers[5] as string)).level, 'high_risk');
  });

  it('sent no link, host, full hash or number: only prefixes and buckets', () => {
    const wire = sent.map((s) => s.url + ' ' + s.body).join('\n');
    for (const secret of ['sdk-phish', 'sdk-dubious', 'sdk-new', 'unlisted-sdk', '65000013', '6500 0013', '97000', '66000001', '6600 0001']) assert.ok(!wire.includes(secret), secret);
    const paths = new Set(sent.map((s) => new URL(s.url).pathname.replace(/\/buckets\/\d+$/, '/buckets/N')));
    assert.deepEqual([...paths].sort(), ['/api/v1/partner/lists/phone', '/api/v1/partner/lists/phone/buckets/N', '/api/v1/partner/lists/phone/filter', '/safebrowsing/v4/fullHashes:find', '/safebrowsing/v4/threatListUpdates:fetch']);
    for (const s of sent.filter((x) => x.url.includes('fullHashes'))) {
      const body = JSON.parse(s.body) as { threatInfo: { threatEntries: { hash: string }[] } };
      for (const e of body.threatInfo.threatEntries) assert.equal(Buffer.from(e.hash, 'base64').length, 4);
    }
  });

  it('checks and reports through the public API', async () => {
    const c = new ScamgraphClient({ baseUrl });
    const result = await c.check('sdk-phish.example', 'domain');
    assert.equal(result.verdict.level, 'high_risk');
    const [good, bad] = await c.checkMany(['sdk-phish.example', 'not a value at all']);
    assert.ok(good !== undefined && 'verdict' in good);
    assert.ok(bad !== undefined && 'error' in bad);
    const receipt = await c.report({ scamType: 'phishing_courier', channel: 'sms', narrative: 'A text said my parcel was held and linked to sdk-phish.example.', indicators: [{ kind: 'url', value: 'https://sdk-phish.example/pay' }] });
    assert.match(receipt.reference, /^SG-/);
    await assert.rejects(c.links.sync(), (e: unknown) => e instanceof ScamgraphError && e.status === 401 && e.code === 'UNAUTHORIZED');
    const wrongKey = new ScamgraphClient({ baseUrl, apiKey: 'sgk_wrong' });
    await assert.rejects(wrongKey.numbers.sync('phone'), (e: unknown) => e instanceof ScamgraphError && e.status === 401);
  });
});

describe('client SDK: the server learns no number an app checks', () => {
  it('after 1,000 checks of listed and unlisted numbers, neither the log nor a changed row holds one', async () => {
    const sg = await openTestScamgraph('pglite');
    let log = '';
    const app = await buildApp(sg, { logger: { level: 'info', stream: new Writable({ write: (chunk: Buffer, _e, done) => void ((log += chunk.toString()), done()) }) } });
    try {
      const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
      const apiKey = (await sg.partners.addOrganisation('cli', { name: 'Caller ID', type: 'app', scopes: ['lists:read'] }, 'sdk test')).key.token;
      const listed = Array.from({ length: 250 }, (_, i) => `+8526${String(3_000_000 + i * 17).padStart(7, '0')}`);
      for (const n of listed) await sg.verdicts.decide('user:test', { value: n }, 'high_risk', 'sdk privacy test');
      const unlisted = Array.from({ length: 750 }, (_, i) => `+8529${String(4_000_000 + i * 23).padStart(7, '0')}`);
      const before = new Set(await databaseRows(sg));
      const c = new ScamgraphClient({ baseUrl, apiKey });
      await c.numbers.sync('phone');
      let warned = 0;
      let asked = 0;
      for (const n of [...listed, ...unlisted]) {
        const found = await c.checkNumberLocally(n);
        if (found.level === 'high_risk') warned++;
        if (found.askedServer) asked++;
      }
      await app.close(); // the request log writes its summaries on close
      assert.equal(warned, listed.length, 'every listed number is found');
      assert.ok(asked >= 250 && asked < 270, `buckets asked only on a filter hit (${asked})`);
      assert.match(log, /"route":"\/api\/v1\/partner\/lists\/:kind\/buckets\/:bucket"/, 'the log was written');
      // What the checks wrote, if anything (partner usage is counted per day and route, in memory first).
      const changed = (await databaseRows(sg)).filter((row) => !before.has(row));
      for (const n of [...listed, ...unlisted]) {
        for (const form of [n, n.slice(4), n.slice(1)]) {
          assert.ok(!log.includes(form), `the log holds ${form}`);
          assert.ok(!changed.some((row) => row.includes(form)), `a row written by the checks holds ${form}`);
        }
      }
      // The unlisted numbers are nowhere at all, not only not in what the checks wrote.
      const everything = (await databaseRows(sg)).join('\n');
      for (const n of unlisted) assert.ok(!everything.includes(n.slice(4)), n);
    } finally {
      await app.close();
      await sg.close();
    }
  });
});

describe('client SDK transport: retries with back-off', () => {
  const answers = (...statuses: (number | Error)[]): { fetch: typeof fetch; calls: () => number } => {
    let n = 0;
    return {
      calls: () => n,
      fetch: async () => {
        const s = statuses[Math.min(n++, statuses.length - 1)] as number | Error;
        if (s instanceof Error) throw s;
        return new Response(JSON.stringify(s === 200 ? { ok: true } : { error: { code: s === 400 ? 'VALIDATION_FAILED' : 'UNAVAILABLE', message: 'no' } }), {
          status: s,
          headers: s === 429 ? { 'retry-after': '2' } : {},
        });
      },
    };
  };

  it('retries network failures, 429 and 5xx with doubling, jittered waits, at least the Retry-After', async () => {
    const waits: number[] = [];
    const server = answers(new TypeError('fetch failed'), 503, 429, 200);
    const t = new Transport({ baseUrl: 'http://sg.test', fetch: server.fetch, sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
    assert.deepEqual(await t.json('/x'), { ok: true });
    assert.equal(server.calls(), 4);
    assert.deepEqual(waits, [250, 500, 2000]);
  });

  it('does not retry a refusal, and gives up after its retries with the last answer or NETWORK_ERROR', async () => {
    const refused = answers(400, 200);
    const t = new Transport({ baseUrl: 'http://sg.test', fetch: refused.fetch, sleep: async () => {} });
    await assert.rejects(t.json('/x'), (e: unknown) => e instanceof ScamgraphError && e.code === 'VALIDATION_FAILED' && e.status === 400);
    assert.equal(refused.calls(), 1);
    const down = answers(new TypeError('connect ECONNREFUSED'));
    const t2 = new Transport({ baseUrl: 'http://sg.test', fetch: down.fetch, sleep: async () => {}, retry: { retries: 2 } });
    await assert.rejects(t2.json('/x'), (e: unknown) => e instanceof ScamgraphError && e.code === 'NETWORK_ERROR');
    assert.equal(down.calls(), 3);
    const busy = answers(503);
    const t3 = new Transport({ baseUrl: 'http://sg.test', fetch: busy.fetch, sleep: async () => {}, retry: { retries: 1 } });
    await assert.rejects(t3.json('/x'), (e: unknown) => e instanceof ScamgraphError && e.status === 503);
    assert.equal(busy.calls(), 2);
  });

  it('a failed list sync backs off as Safe Browsing prescribes (15 min, then 30, doubling)', async () => {
    let now = 1_000_000;
    const down = answers(503);
    const c = new ScamgraphClient({ baseUrl: 'http://sg.test', apiKey: 'k', fetch: down.fetch, sleep: async () => {}, retry: { retries: 0 }, random: () => 0, now: () => now });
    await assert.rejects(c.links.sync());
    assert.equal(down.calls(), 1);
    await assert.rejects(c.links.sync().then(() => Promise.reject(new Error('skipped'))), /skipped/);
    assert.equal(down.calls(), 1, 'no request within the back-off');
    now += 15 * 60_000;
    await assert.rejects(c.links.sync());
    now += 29 * 60_000;
    await c.links.sync();
    assert.equal(down.calls(), 2, 'the second wait is 30 minutes');
  });
});

describe('client SDK bundle', () => {
  it('bundles for the browser with nothing of Node in it', async () => {
    const result = await build({ entryPoints: [new URL('../src/index.ts', import.meta.url).pathname], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, logLevel: 'silent' });
    const code = result.outputFiles[0]?.text ?? '';
    assert.ok(code.length > 10_000);
    assert.doesNotMatch(code, /\bfrom\s*"node:|require\("node:|\bBuffer\./);
  });
});
