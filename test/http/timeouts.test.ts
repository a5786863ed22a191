import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type ServerTimeouts } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { API_HEADERS } from '../../src/http/security-headers.js';
import type { Scamgraph } from '../../src/main.js';
import { openTestScamgraph } from '../helpers/database.js';
import { rawExchange } from '../helpers/raw-http.js';

// A slow client cannot hold a socket: headers, the whole request and an idle connection each have a time
// limit (small here; the defaults are seconds). Raw sockets trickle bytes as a slowloris client does. The
// bounds asserted are generous (several times the limit): they tell "cut off" from "held", not speed.

const TIMEOUTS: ServerTimeouts = { headersMs: 300, requestMs: 600, idleMs: 1500, keepAliveMs: 300 };
/** Long enough that a connection still open then was held, far past every limit above. */
const HELD_MS = 6000;
const HOST = 'Host: test\r\n';

describe('timeouts against slow clients', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  let port: number;

  before(async () => {
    sg = await openTestScamgraph('pglite', { loadIndex: true }, { timeouts: TIMEOUTS, rateLimits: { reports: 0, checks: 0 } });
    app = await buildApp(sg);
    port = Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);
  });
  after(async () => {
    await app.close();
    await sg.close();
  });

  it('a body trickled a byte at a time is cut off with 408 REQUEST_TIMEOUT once the request time is up', async () => {
    const head = `POST /api/v1/extract HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length: 2000\r\n\r\n`;
    const answer = await rawExchange(port, [head, ...'{"text":"'.split(''), ...'a'.repeat(1990).split('')], { everyMs: 40, giveUpMs: HELD_MS });
    assert.equal(answer.status, 408, JSON.stringify(answer));
    assert.deepEqual(JSON.parse(answer.body).error.code, 'REQUEST_TIMEOUT');
    for (const [name, value] of Object.entries(API_HEADERS)) assert.equal(answer.headers[name], value, name);
    assert.ok(answer.closedAfterMs >= TIMEOUTS.requestMs && answer.closedAfterMs < HELD_MS / 2, `closed after ${Math.round(answer.closedAfterMs)} ms`);
  });

  it('headers trickled a line at a time are cut off with 408 once the header time is up', async () => {
    const lines = [`GET /api/v1/taxonomy HTTP/1.1\r\n`, HOST, ...Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: 1\r\n`)];
    const answer = await rawExchange(port, lines, { everyMs: 30, giveUpMs: HELD_MS });
    assert.equal(answer.status, 408, JSON.stringify(answer));
    assert.equal(JSON.parse(answer.body).error.code, 'REQUEST_TIMEOUT');
    assert.ok(answer.closedAfterMs >= TIMEOUTS.headersMs && answer.closedAfterMs < HELD_MS / 2, `closed after ${Math.round(answer.closedAfterMs)} ms`);
  });

  it('a connection that sends nothing is closed', async () => {
    const answer = await rawExchange(port, [], { giveUpMs: HELD_MS });
    assert.ok(answer.closedAfterMs < HELD_MS / 2, `closed after ${Math.round(answer.closedAfterMs)} ms`);
  });

  it('an idle kept-alive connection is closed after its answer', async () => {
    const answer = await rawExchange(port, [`GET /api/v1/taxonomy HTTP/1.1\r\n${HOST}\r\n`], { giveUpMs: HELD_MS });
    assert.equal(answer.status, 200);
    assert.ok(answer.closedAfterMs >= TIMEOUTS.keepAliveMs && answer.closedAfterMs < HELD_MS / 2, `closed after ${Math.round(answer.closedAfterMs)} ms`);
  });

  it('a client that sends its request in pieces within the limits is answered', async () => {
    const body = JSON.stringify({ text: 'call +852 9123 4567' });
    const head = `POST /api/v1/extract HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const answer = await rawExchange(port, [head, body.slice(0, 10), body.slice(10)], { everyMs: 60 });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(JSON.parse(answer.body).indicators[0].kind, 'phone');
  });
});

describe('timeout configuration', () => {
  it('has defaults of seconds and reads each from the environment', () => {
    assert.deepEqual(loadConfig({}).timeouts, { headersMs: 10_000, requestMs: 30_000, idleMs: 30_000, keepAliveMs: 5_000 });
    const set = loadConfig({ SCAMGRAPH_HEADERS_TIMEOUT_MS: '2000', SCAMGRAPH_REQUEST_TIMEOUT_MS: '4000', SCAMGRAPH_IDLE_TIMEOUT_MS: '3000', SCAMGRAPH_KEEP_ALIVE_TIMEOUT_MS: '1000' });
    assert.deepEqual(set.timeouts, { headersMs: 2000, requestMs: 4000, idleMs: 3000, keepAliveMs: 1000 });
  });

  it('refuses a timeout that is off, not a number, or a request time shorter than the header time', () => {
    for (const env of [{ SCAMGRAPH_REQUEST_TIMEOUT_MS: '0' }, { SCAMGRAPH_IDLE_TIMEOUT_MS: 'soon' }, { SCAMGRAPH_HEADERS_TIMEOUT_MS: '20000', SCAMGRAPH_REQUEST_TIMEOUT_MS: '10000' }]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    }
  });
});
