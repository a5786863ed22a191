import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { LogController, type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { registerRequestLog } from '../../src/http/request-log.js';
import { API_HEADERS } from '../../src/http/security-headers.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused } from '../helpers/http.js';

// The fixed security headers on what the API answers, the batch check's shape, and the request log: a
// summary per route that never names what was checked.

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const JSON_TYPE = 'application/json; charset=utf-8';

/** The OWASP REST headers, checked by value (not only against API_HEADERS, which could itself be wrong). */
function assertApiHeaders(res: LightMyRequestResponse): void {
  const what = `${res.statusCode} ${res.body.slice(0, 80)}`;
  assert.equal(res.headers['cache-control'], 'no-store', what);
  assert.equal(res.headers['content-security-policy'], API_CSP, what);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(res.headers['x-frame-options'], 'DENY', what);
  assert.equal(res.headers['content-type'], JSON_TYPE, what);
  for (const [name, value] of Object.entries(API_HEADERS)) assert.equal(res.headers[name], value, `${name} on ${what}`);
}

interface Checked {
  input: string;
  kind: string;
  verdict: { level: string };
}

/** Log lines written into memory, parsed. */
class MemoryLog extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text.push(chunk.toString('utf8'));
    done();
  }
  get lines(): Record<string, unknown>[] {
    return this.text
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

for (const engine of ENGINES) {
  describe(`security headers and the batch check (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    it('a check answer carries the API headers and is JSON in UTF-8', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/check', query: { value: '+852 9123 4567' } });
      assert.equal(res.statusCode, 200, res.body);
      assertApiHeaders(res);
      assert.equal((res.json() as Checked).verdict.level, 'no_record');
    });

    it('error answers (404, 400 from the schema, 400 from the value) carry them too', async () => {
      const notFound = await app.inject({ method: 'GET', url: '/api/v1/no-such-route?value=x' });
      assertRefused(notFound, 'NOT_FOUND');
      assertApiHeaders(notFound);
      const missing = await app.inject({ method: 'GET', url: '/api/v1/check' });
      assertRefused(missing, 'VALIDATION_FAILED');
      assertApiHeaders(missing);
      const invalid = await app.inject({ method: 'GET', url: '/api/v1/check', query: { value: '123', kind: 'phone' } });
      assertRefused(invalid, 'INVALID_PHONE');
      assertApiHeaders(invalid);
    });

    it('the API docs (HTML) do not get the API Content-Security-Policy', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/docs/' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<html/i);
      assert.notEqual(res.headers['content-security-policy'], API_CSP);
      assert.doesNotMatch(String(res.headers['content-security-policy']), /default-src 'none'/);
      assert.notEqual(res.headers['x-frame-options'], 'DENY');
      assert.notEqual(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['x-content-type-options'], 'nosniff', "helmet's defaults still apply");
    });

    it('POST /api/v1/check answers each value in order: verdicts, and an error for the invalid one', async () => {
      const single = await app.inject({ method: 'GET', url: '/api/v1/check', query: { value: 'https://batch-check.top/x' } });
      assert.equal(single.statusCode, 200, single.body);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/check',
        payload: { values: ['+852 9123 4568', { value: '123', kind: 'phone' }, { value: 'https://batch-check.top/x' }] },
      });
      assert.equal(res.statusCode, 200, res.body);
      assertApiHeaders(res);
      const { results, ...rest } = res.json() as { results: Record<string, unknown>[] };
      assert.deepEqual(rest, {});
      assert.equal(results.length, 3);
      assert.equal(results[0]?.input, '+852 9123 4568');
      assert.equal((results[0] as unknown as Checked).kind, 'phone');
      assert.equal((results[0] as unknown as Checked).verdict.level, 'no_record');
      assert.deepEqual(Object.keys(results[1] ?? {}).sort(), ['error', 'input']);
      assert.equal(results[1]?.input, '123');
      const error = results[1]?.error as { code: string; message: string };
      assert.equal(error.code, 'INVALID_PHONE');
      assert.match(error.message, /too short/);
      assert.deepEqual(results[2], single.json(), 'the same answer as a single check');
    });
  });

  describe(`the request log (${engine})`, () => {
    let sg: Scamgraph;
    before(async () => {
      sg = await openTestScamgraph(engine);
    });
    after(() => sg.close());

    it('sums up requests per route and status when the app closes, and never logs what was checked', async () => {
      const log = new MemoryLog();
      const app = await buildApp(sg, { logger: { level: 'info', stream: log } });
      const secret = 'https://leak-probe-7c1e.example/secret-path?token=s3cr3t';
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ method: 'GET', url: '/api/v1/check', query: { value: secret } });
        assert.equal(res.statusCode, 200, res.body);
      }
      const refused = await app.inject({ method: 'GET', url: '/api/v1/check', query: { value: '+852 6543 21', kind: 'phone' } });
      assert.equal(refused.statusCode, 400);
      const batch = await app.inject({ method: 'POST', url: '/api/v1/check', payload: { values: [secret] } });
      assert.equal(batch.statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/leak-probe-7c1e' })).statusCode, 404);
      assert.equal(log.lines.filter((l) => l.msg === 'requests').length, 0, 'nothing before the interval or close');
      await app.close();

      const summaries = log.lines.filter((l) => l.msg === 'requests');
      const find = (method: string, route: string, status: number) => summaries.filter((l) => l.method === method && l.route === route && l.status === status);
      const ok = find('GET', '/api/v1/check', 200);
      assert.equal(ok.length, 1, JSON.stringify(summaries));
      assert.equal(ok[0]?.count, 3);
      assert.equal(ok[0]?.level, 30);
      assert.ok(typeof ok[0]?.meanMs === 'number' && typeof ok[0]?.maxMs === 'number');
      assert.ok((ok[0]?.meanMs as number) >= 0 && (ok[0]?.maxMs as number) >= Math.floor(ok[0]?.meanMs as number));
      assert.equal(find('GET', '/api/v1/check', 400)[0]?.count, 1);
      assert.equal(find('POST', '/api/v1/check', 200)[0]?.count, 1);
      assert.equal(summaries.reduce((n, l) => n + (l.count as number), 0), 6, JSON.stringify(summaries));

      const all = log.text.join('');
      for (const leak of ['leak-probe-7c1e', 's3cr3t', encodeURIComponent(secret), '6543', 'secret-path']) {
        assert.ok(!all.includes(leak), `the log names ${leak}: ${all}`);
      }
    });

    it('writes a summary every interval and a line per slow request, with the route pattern, not the URL', async () => {
      const log = new MemoryLog();
      const app = Fastify({ logger: { level: 'info', stream: log }, logController: new LogController({ disableRequestLogging: true }) });
      registerRequestLog(app, app.log, { intervalMs: 40, slowMs: 0 });
      app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
      await app.ready();
      try {
        assert.equal((await app.inject({ method: 'GET', url: '/things/private-id-93?q=private-q-93' })).statusCode, 200);
        assert.equal((await app.inject({ method: 'GET', url: '/things/private-id-94' })).statusCode, 200);
        const slow = log.lines.filter((l) => l.msg === 'slow request');
        assert.equal(slow.length, 2);
        assert.deepEqual(
          slow.map((l) => [l.level, l.method, l.route, l.status]),
          [
            [40, 'GET', '/things/:id', 200],
            [40, 'GET', '/things/:id', 200],
          ],
        );
        // The two requests may fall into one interval or two: what matters is that each is counted once.
        const summaries = (): Record<string, unknown>[] => log.lines.filter((l) => l.msg === 'requests');
        const counted = (): number => summaries().reduce((n, l) => n + (l.count as number), 0);
        const started = Date.now();
        while (counted() < 2 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 10));
        assert.equal(counted(), 2, JSON.stringify(summaries()));
        assert.ok(summaries().every((l) => l.route === '/things/:id' && l.method === 'GET' && l.status === 200 && l.seconds === 0), 'seconds: the time the summary covers, in whole seconds');
        // Quiet intervals write nothing.
        const lines = summaries().length;
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(summaries().length, lines);
      } finally {
        await app.close();
      }
      // The counts were reset with each interval's lines: closing counts none of the requests again.
      assert.equal(log.lines.filter((l) => l.msg === 'requests').reduce((n, l) => n + (l.count as number), 0), 2);
      assert.ok(!log.text.join('').includes('private-'), log.text.join(''));
    });
  });
}
