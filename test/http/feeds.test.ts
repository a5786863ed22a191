import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, bearer } from '../helpers/http.js';

// Delta block lists for telcos, ISPs and platforms (issue 14): a snapshot with its cursor, additions and
// removals after it, JSON Lines and CSV, gzip, ETag / 304; snapshot(N) + deltas = snapshot(M); protected
// values never listed.

interface Line {
  op: 'add' | 'remove';
  kind: string;
  value: string;
  level?: string;
  seq?: number;
}

const lines = (body: string): Line[] => body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);

for (const engine of ENGINES) {
  describe(`partner block lists (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let telco = '';
    let bank = '';

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      telco = (await sg.partners.addOrganisation('cli', { name: 'Telco T', type: 'telco', scopes: ['feeds:read'] }, 'test partner')).key.token;
      bank = (await sg.partners.addOrganisation('cli', { name: 'Bank B', type: 'bank', scopes: ['payee:check'] }, 'test partner')).key.token;
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { ...bearer(telco), ...headers } });
    const decide = (value: string, level: 'high_risk' | 'suspicious' | 'cleared', kind?: 'domain') => sg.verdicts.decide('user:test', { value, ...(kind === undefined ? {} : { kind }) }, level, 'feed test');

    it('refuses no key and a key without feeds:read on every feed route; names the feeds there are', async () => {
      for (const url of ['/api/v1/partner/feeds', '/api/v1/partner/feeds/phones-high-risk', '/api/v1/partner/feeds/phones-high-risk?since=0']) {
        assertRefused(await app.inject({ url }), 'UNAUTHENTICATED');
        const res = await app.inject({ url, headers: bearer(bank) });
        assertRefused(res, 'FORBIDDEN');
        assert.match(res.body, /feeds:read/);
      }
      const listed = await get('/api/v1/partner/feeds');
      assert.equal(listed.statusCode, 200);
      const feeds = (listed.json() as { feeds: { name: string; kinds: string[]; levels: string[] }[] }).feeds;
      assert.deepEqual(feeds.find((f) => f.name === 'phones-high-risk'), { name: 'phones-high-risk', description: 'Phone numbers that are high risk (for call and SMS blocking).', kinds: ['phone'], levels: ['high_risk'], formats: ['jsonl', 'csv'] });
      assert.ok(feeds.every((f) => f.levels.every((l) => l === 'high_risk' || l === 'suspicious')));
      const missing = await get('/api/v1/partner/feeds/no-such-feed');
      assertRefused(missing, 'FEED_NOT_FOUND');
      assert.match(missing.body, /phones-high-risk/);
      assertRefused(await get('/api/v1/partner/feeds/phones-high-risk?from=3'), 'VALIDATION_FAILED');
      assertRefused(await get('/api/v1/partner/feeds/phones-high-risk?since=-1'), 'VALIDATION_FAILED');
      assertRefused(await get('/api/v1/partner/feeds/phones-high-risk?format=xml'), 'VALIDATION_FAILED');
      assertRefused(await get('/api/v1/partner/feeds/phones-high-risk?since=999999999'), 'CURSOR_AHEAD');
    });

    it('a snapshot with its cursor, then additions and removals after it, in pages that say whether more follow', async () => {
      await decide('+852 6400 1001', 'high_risk');
      await decide('+852 6400 1002', 'high_risk');
      await decide('+852 6400 1003', 'suspicious');
      const snapshot = await get('/api/v1/partner/feeds/phones-high-risk');
      assert.equal(snapshot.statusCode, 200);
      assert.equal(snapshot.headers['content-type'], 'application/jsonl; charset=utf-8');
      assert.equal(snapshot.headers['scamgraph-complete'], 'true');
      const at = Number(snapshot.headers['scamgraph-cursor']);
      assert.ok(at > 0);
      const listed = lines(snapshot.body).filter((l) => l.value.startsWith('+8526400'));
      assert.deepEqual(listed, [
        { op: 'add', kind: 'phone', value: '+85264001001', level: 'high_risk' },
        { op: 'add', kind: 'phone', value: '+85264001002', level: 'high_risk' },
      ]);
      // Nothing after the cursor yet: an empty delta at the same cursor.
      const none = await get(`/api/v1/partner/feeds/phones-high-risk?since=${at}`);
      assert.equal(none.body, '');
      assert.equal(Number(none.headers['scamgraph-cursor']), at);

      await decide('+852 6400 1002', 'cleared');
      await decide('+852 6400 1004', 'high_risk');
      await decide('+852 6400 1005', 'high_risk');
      await decide('+852 6400 1005', 'cleared'); // added and removed within the page: one removal
      const delta = await get(`/api/v1/partner/feeds/phones-high-risk?since=${at}`);
      const changed = lines(delta.body);
      assert.deepEqual(changed.map(({ seq: _, ...l }) => l), [
        { op: 'remove', kind: 'phone', value: '+85264001002' },
        { op: 'add', kind: 'phone', value: '+85264001004', level: 'high_risk' },
        { op: 'remove', kind: 'phone', value: '+85264001005' },
      ]);
      assert.ok(changed.every((l, i) => l.seq! > at && (i === 0 || l.seq! > changed[i - 1]!.seq!)));
      const end = Number(delta.headers['scamgraph-cursor']);
      assert.ok(end >= changed.at(-1)!.seq!);

      // Pages of one row: each says it is incomplete until the last, and following them gives the same set.
      const followed: Line[] = [];
      let cursor = at;
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 10);
        const page = await get(`/api/v1/partner/feeds/phones-high-risk?since=${cursor}&limit=1`);
        followed.push(...lines(page.body));
        cursor = Number(page.headers['scamgraph-cursor']);
        if (page.headers['scamgraph-complete'] === 'true') break;
        assert.equal(lines(page.body).length, 1);
      }
      assert.equal(cursor, end);
      assert.deepEqual(followed.map((l) => [l.op, l.value]), [['remove', '+85264001002'], ['add', '+85264001004'], ['add', '+85264001005'], ['remove', '+85264001005']]);
    });

    it('protected values are never on a block list: protecting a listed site removes it, deciding on a protected one adds nothing', async () => {
      await decide('feed-evil.example', 'high_risk', 'domain');
      const before = await get('/api/v1/partner/feeds/all-flagged');
      const at = Number(before.headers['scamgraph-cursor']);
      assert.ok(lines(before.body).some((l) => l.kind === 'domain' && l.value === 'feed-evil.example'));
      await sg.verdicts.protect('user:test', { value: 'feed-evil.example', kind: 'domain' }, 'A real shop after all');
      await sg.verdicts.protect('user:test', { value: 'feed-bank.example', kind: 'domain' }, 'Feed Bank');
      await decide('feed-bank.example', 'high_risk', 'domain');
      const delta = lines((await get(`/api/v1/partner/feeds/all-flagged?since=${at}`)).body);
      assert.deepEqual(delta.map((l) => [l.op, l.kind, l.value]), [['remove', 'domain', 'feed-evil.example']]);
      for (const feed of ['all-flagged', 'all-high-risk', 'domains-high-risk', 'urls-high-risk']) {
        const all = lines((await get(`/api/v1/partner/feeds/${feed}`)).body);
        assert.ok(!all.some((l) => l.value.startsWith('feed-evil.example') || l.value.startsWith('feed-bank.example')), feed);
      }
    });

    it('CSV (RFC 4180, read back by csv-parse) holds the same lines as JSON Lines; gzip when asked, byte for byte', async () => {
      await decide('+852 6400 2001', 'high_risk');
      const jsonl = await get('/api/v1/partner/feeds/all-flagged?since=0');
      const csv = await get('/api/v1/partner/feeds/all-flagged?since=0&format=csv');
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8; header=present');
      assert.match(csv.body, /^op,kind,value,level,seq\r\n/);
      const rows = parse(csv.body, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
      assert.deepEqual(
        rows.map((r) => ({ op: r.op, kind: r.kind, value: r.value, ...(r.level === '' ? {} : { level: r.level }), seq: Number(r.seq) })),
        lines(jsonl.body),
      );
      const zipped = await get('/api/v1/partner/feeds/all-flagged?since=0', { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(zipped.headers.vary, 'Accept-Encoding');
      assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), jsonl.body);
      const refused = await get('/api/v1/partner/feeds/all-flagged?since=0', { 'accept-encoding': 'gzip;q=0' });
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.notEqual(zipped.headers.etag, jsonl.headers.etag, 'each representation has its own ETag');
    });

    it('ETag and If-None-Match: 304 with no body while nothing changed, 200 and a new ETag after a decision', async () => {
      const first = await get('/api/v1/partner/feeds/phones-high-risk');
      const etag = first.headers.etag as string;
      assert.match(etag, /^"[^"]+"$/);
      assert.equal(first.headers['cache-control'], 'private, no-cache');
      const again = await get('/api/v1/partner/feeds/phones-high-risk', { 'if-none-match': etag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['scamgraph-cursor'], first.headers['scamgraph-cursor']);
      assert.equal((await get('/api/v1/partner/feeds/phones-high-risk', { 'if-none-match': `"other", W/${etag}` })).statusCode, 304, 'weak comparison (RFC 9110 §13.1.2)');
      const cursor = first.headers['scamgraph-cursor'] as string;
      const delta = await get(`/api/v1/partner/feeds/phones-high-risk?since=${cursor}`);
      assert.equal((await get(`/api/v1/partner/feeds/phones-high-risk?since=${cursor}`, { 'if-none-match': delta.headers.etag as string })).statusCode, 304);
      await decide('+852 6400 3001', 'high_risk');
      const changed = await get('/api/v1/partner/feeds/phones-high-risk', { 'if-none-match': etag });
      assert.equal(changed.statusCode, 200);
      assert.notEqual(changed.headers.etag, etag);
      assert.ok(lines(changed.body).some((l) => l.value === '+85264003001'));
      const changedDelta = await get(`/api/v1/partner/feeds/phones-high-risk?since=${cursor}`, { 'if-none-match': delta.headers.etag as string });
      assert.equal(changedDelta.statusCode, 200);
      assert.deepEqual(lines(changedDelta.body).map((l) => l.value), ['+85264003001']);
    });

    it('property: a snapshot at N plus the deltas after it (paged) equals a snapshot at M, over HTTP, for every feed', async () => {
      const VALUES = ['+852 6500 0001', '+852 6500 0002', '+852 6500 0003', 'https://prop-feed.example/', 'https://prop-feed.example/login', 'https://other-feed.example/pay'];
      const FEEDS = ['phones-high-risk', 'phones-flagged', 'urls-high-risk', 'all-flagged'];
      type Op = { value: number; level: 'high_risk' | 'suspicious' | 'cleared' } | { snapshot: true };
      const op: fc.Arbitrary<Op> = fc.oneof(
        { weight: 5, arbitrary: fc.record({ value: fc.nat({ max: VALUES.length - 1 }), level: fc.constantFrom('high_risk' as const, 'suspicious' as const, 'cleared' as const) }) },
        { weight: 2, arbitrary: fc.constant({ snapshot: true as const }) },
      );
      const snapshotOf = async (feed: string) => {
        const res = await get(`/api/v1/partner/feeds/${feed}`);
        return { cursor: Number(res.headers['scamgraph-cursor']), set: new Map(lines(res.body).map((l) => [`${l.kind} ${l.value}`, l.level])) };
      };
      const sorted = (m: Map<string, string | undefined>) => [...m].sort(([a], [b]) => a.localeCompare(b));
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (ops, limit) => {
          const taken: { feed: string; cursor: number; set: Map<string, string | undefined> }[] = [];
          const take = async () => {
            for (const feed of FEEDS) taken.push({ feed, ...(await snapshotOf(feed)) });
          };
          await take();
          for (const o of ops) {
            if ('snapshot' in o) await take();
            else await decide(VALUES[o.value] as string, o.level);
          }
          for (const { feed, cursor, set } of taken) {
            const followed = new Map(set);
            for (let since = cursor; ; ) {
              const page = await get(`/api/v1/partner/feeds/${feed}?since=${since}&limit=${limit}`);
              for (const l of lines(page.body)) {
                if (l.op === 'add') followed.set(`${l.kind} ${l.value}`, l.level);
                else followed.delete(`${l.kind} ${l.value}`);
              }
              since = Number(page.headers['scamgraph-cursor']);
              if (page.headers['scamgraph-complete'] === 'true') break;
            }
            const final = await snapshotOf(feed);
            assert.equal(final.cursor >= cursor, true);
            assert.deepEqual(sorted(followed), sorted(final.set), `${feed}: snapshot at ${cursor} + deltas = snapshot at ${final.cursor}`);
          }
        }),
        { numRuns: engine === 'pglite' ? 10 : 6 },
      );
    });
  });
}
