import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { decodeFuseFilter, fuseFilterHas } from '../../src/modules/lists/fuse-filter.js';
import { bucketHash, bucketOf } from '../../src/modules/lists/number-lists.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, bearer } from '../helpers/http.js';

// On-device number lists (issue 15): an app downloads a binary fuse filter of the flagged numbers, checks a
// caller locally, and only on a hit asks for a bucket that at least 100 flagged numbers share, padded to one
// size, among which it finds its own keyed hash. The server is never sent a number.

interface Description {
  kind: string;
  version: number;
  count: number;
  filter: { bytes: number; bitsPerValue: number; falsePositiveRate: number };
  buckets: { bits: number; key: string; size: number; minimum: number };
}

for (const engine of ENGINES) {
  describe(`on-device number lists (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let key: string;
    let bank: string;
    const flagged = Array.from({ length: 450 }, (_, i) => `+8526${String(4_000_000 + i * 7).padStart(7, '0')}`);

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      key = (await sg.partners.addOrganisation('cli', { name: 'Caller ID App', type: 'app', scopes: ['lists:read'] }, 'test partner')).key.token;
      bank = (await sg.partners.addOrganisation('cli', { name: 'Bank B', type: 'bank', scopes: ['payee:check'] }, 'test partner')).key.token;
      for (const [i, number] of flagged.entries()) await sg.verdicts.decide('user:test', { value: number }, i % 3 === 0 ? 'suspicious' : 'high_risk', 'number list test');
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const get = async (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { ...bearer(key), ...headers } });

    it('refuses every route without a key (401) and with a key lacking lists:read (403)', async () => {
      for (const url of ['/api/v1/partner/lists/phone', '/api/v1/partner/lists/phone/filter', '/api/v1/partner/lists/phone/buckets/0?bits=0']) {
        assertRefused(await app.inject({ url }), 'UNAUTHENTICATED');
        assertRefused(await app.inject({ url, headers: bearer(bank) }), 'FORBIDDEN');
      }
    });

    it('an app checks numbers on the device and learns each verdict from a bucket of at least 100', async () => {
      const described = (await get('/api/v1/partner/lists/phone')).json() as Description;
      assert.equal(described.count, flagged.length);
      // As many bucket bits as keep every bucket at 100 flagged numbers or more (450 numbers: 1 or 2 bits).
      const counts = new Map<number, number>();
      for (const n of flagged) {
        const b = bucketOf(bucketHash(Buffer.from(described.buckets.key, 'base64'), n), described.buckets.bits);
        counts.set(b, (counts.get(b) ?? 0) + 1);
      }
      assert.ok(described.buckets.bits >= 1 && described.buckets.bits <= 2, String(described.buckets.bits));
      assert.equal(counts.size, 2 ** described.buckets.bits);
      assert.ok([...counts.values()].every((c) => c >= 100), JSON.stringify([...counts]));
      assert.equal(described.filter.falsePositiveRate, 1 / 256);
      const download = await get('/api/v1/partner/lists/phone/filter');
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/octet-stream');
      assert.equal(download.rawPayload.length, described.filter.bytes);
      const notModified = await get('/api/v1/partner/lists/phone/filter', { 'if-none-match': String(download.headers.etag) });
      assert.equal(notModified.statusCode, 304);
      const filter = decodeFuseFilter(download.rawPayload);
      const bucketKey = Buffer.from(described.buckets.key, 'base64');

      const lookUp = async (number: string): Promise<string> => {
        if (!fuseFilterHas(filter, number)) return 'no_record';
        const keyed = bucketHash(bucketKey, number);
        const res = await get(`/api/v1/partner/lists/phone/buckets/${bucketOf(keyed, described.buckets.bits)}?bits=${described.buckets.bits}`);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { entries: { hash: string; level: string }[] };
        assert.equal(body.entries.length, described.buckets.size, 'every bucket answer is the same size');
        return body.entries.find((e) => e.hash === keyed.toString('base64'))?.level ?? 'no_record';
      };
      for (const [i, number] of flagged.slice(0, 60).entries()) assert.equal(await lookUp(number), i % 3 === 0 ? 'suspicious' : 'high_risk', number);
      const unlisted = Array.from({ length: 2000 }, (_, i) => `+8529${String(1_000_000 + i).padStart(7, '0')}`);
      let hits = 0;
      for (const number of unlisted) {
        if (fuseFilterHas(filter, number)) hits++;
        assert.equal(await lookUp(number), 'no_record');
      }
      assert.ok(hits < 30, `${hits} false positives in 2,000`);
    });

    it('rebuilds when the verdict log moves, and refuses bucket names of other bits and unknown lists', async () => {
      const before = (await get('/api/v1/partner/lists/phone')).json() as Description;
      await sg.verdicts.decide('user:test', { value: '+852 6499 9999' }, 'high_risk', 'number list test');
      const after = (await get('/api/v1/partner/lists/phone')).json() as Description;
      assert.ok(after.version > before.version);
      assert.equal(after.count, before.count + 1);
      assertRefused(await get(`/api/v1/partner/lists/phone/buckets/0?bits=${after.buckets.bits + 1}`), 'VALIDATION_FAILED');
      assertRefused(await get('/api/v1/partner/lists/phone/buckets/9?bits=2'), 'VALIDATION_FAILED');
      assertRefused(await get('/api/v1/partner/lists/phone/buckets/abc?bits=2'), 'VALIDATION_FAILED');
      assertRefused(await get('/api/v1/partner/lists/passport'), 'VALIDATION_FAILED');
      const email = (await get('/api/v1/partner/lists/email')).json() as Description;
      assert.deepEqual([email.count, email.buckets.bits], [0, 0]);
    });

    it('serves deltas: a filter of what was flagged since the version an app holds, or a full one when that is smaller', async () => {
      const base = await get('/api/v1/partner/lists/phone/filter');
      assert.equal(base.headers['scamgraph-filter'], 'full');
      const from = Number(base.headers['scamgraph-list-version']);
      const added = ['+852 6498 0001', '+852 6498 0002', '+852 6498 0003'];
      for (const n of added) await sg.verdicts.decide('user:test', { value: n }, 'high_risk', 'number list test');
      await sg.verdicts.decide('user:test', { value: flagged[1] as string }, 'cleared', 'number list test');
      const delta = await get(`/api/v1/partner/lists/phone/filter?since=${from}`);
      assert.equal(delta.statusCode, 200);
      assert.deepEqual([delta.headers['scamgraph-filter'], delta.headers['scamgraph-delta-from']], ['delta', String(from)]);
      assert.ok(delta.rawPayload.length < 100, `${delta.rawPayload.length} bytes for 3 numbers`);
      const full = decodeFuseFilter(base.rawPayload);
      const extra = decodeFuseFilter(delta.rawPayload);
      // Held together, the two filters hold every number flagged now; a cleared one still hits until the
      // next full filter, and its bucket says it is not listed.
      for (const n of ['+85264980001', '+85264980002', '+85264980003', ...flagged.slice(2, 50)]) assert.ok(fuseFilterHas(full, n) || fuseFilterHas(extra, n), n);
      assert.equal(await get(`/api/v1/partner/lists/phone/filter?since=${from}`, { 'if-none-match': String(delta.headers.etag) }).then((r) => r.statusCode), 304);
      // The version the app holds already: an empty delta.
      const now = Number(delta.headers['scamgraph-list-version']);
      assert.equal((await get(`/api/v1/partner/lists/phone/filter?since=${now}`)).headers['scamgraph-filter'], 'delta');
      assertRefused(await get(`/api/v1/partner/lists/phone/filter?since=${now + 1000}`), 'CURSOR_AHEAD');
      // From the very start of the log, the whole list changed: a full filter.
      const fromStart = await get('/api/v1/partner/lists/phone/filter?since=0');
      assert.equal(fromStart.headers['scamgraph-filter'], 'full');
      assert.equal(fromStart.rawPayload.length, ((await get('/api/v1/partner/lists/phone')).json() as Description).filter.bytes);
    });
  });
}
