import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ERROR_CATALOG, type ErrorCode } from '../../src/errors.js';
import { buildApp } from '../../src/http/app.js';
import { API_HEADERS } from '../../src/http/security-headers.js';
import type { Scamgraph } from '../../src/main.js';
import { openTestScamgraph } from '../helpers/database.js';
import { rawExchange, type RawAnswer } from '../helpers/raw-http.js';

// Requests written by hand on a raw socket, as a broken client or a scanner sends them: every answer, even
// those Node's parser gives before any route runs, is the documented `{"error": {"code", "message"}}` with
// the API's security headers, never Fastify's own error shape.

const HOST = 'Host: test\r\n';
const CASES: [string, string, ErrorCode][] = [
  ['a request line with a fourth part', `GET /api/v1/taxonomy HTTP/1.1 extra\r\n${HOST}\r\n`, 'MALFORMED_REQUEST'],
  ['no request line at all', 'GARBAGE\r\n\r\n', 'MALFORMED_REQUEST'],
  ['an unknown HTTP version', `GET /api/v1/taxonomy HTTP/9.9\r\n${HOST}\r\n`, 'MALFORMED_REQUEST'],
  ['a NUL in the target', `GET /api/v1/tax\u0000onomy HTTP/1.1\r\n${HOST}\r\n`, 'MALFORMED_REQUEST'],
  ['a space in a header name', `GET /api/v1/taxonomy HTTP/1.1\r\n${HOST}Bad Header: x\r\n\r\n`, 'MALFORMED_REQUEST'],
  ['a header without a colon', `GET /api/v1/taxonomy HTTP/1.1\r\n${HOST}NoColon\r\n\r\n`, 'MALFORMED_REQUEST'],
  ['a header line folded (obsolete)', `GET /api/v1/taxonomy HTTP/1.1\r\n${HOST}X-A: 1\r\n folded\r\n\r\n`, 'MALFORMED_REQUEST'],
  ['no Host header in HTTP/1.1', 'GET /api/v1/taxonomy HTTP/1.1\r\n\r\n', 'MALFORMED_REQUEST'],
  ['Content-Length and Transfer-Encoding together (smuggling)', `POST /api/v1/check HTTP/1.1\r\n${HOST}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 'MALFORMED_REQUEST'],
  ['two different Content-Lengths', `POST /api/v1/check HTTP/1.1\r\n${HOST}Content-Length: 5\r\nContent-Length: 6\r\n\r\n12345`, 'MALFORMED_REQUEST'],
  ['a Content-Length that is not a number', `POST /api/v1/check HTTP/1.1\r\n${HOST}Content-Length: abc\r\n\r\n`, 'MALFORMED_REQUEST'],
  ['a chunk size that is not hexadecimal', `POST /api/v1/check HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n`, 'MALFORMED_REQUEST'],
  ['headers over 16 KiB', `GET /api/v1/taxonomy HTTP/1.1\r\n${HOST}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 'HEADERS_TOO_LARGE'],
  ['a method no route has', `PROPFIND /api/v1/taxonomy HTTP/1.1\r\n${HOST}\r\n`, 'NOT_FOUND'],
  ['an asterisk target', `OPTIONS * HTTP/1.1\r\n${HOST}\r\n`, 'NOT_FOUND'],
  ['a path escape that is not UTF-8', `GET /api/v1/reports/status/%FF HTTP/1.1\r\n${HOST}\r\n`, 'VALIDATION_FAILED'],
  ['a path that is not percent-encoded right', `GET /api/v1/%zz HTTP/1.1\r\n${HOST}\r\n`, 'VALIDATION_FAILED'],
  ['a path parameter over the router limit', `GET /api/v1/officer/reports/${'A'.repeat(200)} HTTP/1.1\r\n${HOST}\r\n`, 'VALIDATION_FAILED'],
  ['an unknown path', `GET /api/v2/anything HTTP/1.1\r\n${HOST}\r\n`, 'NOT_FOUND'],
];

/** Why an answer is not a documented refusal with the security headers, or null. */
function problem(answer: RawAnswer, code: ErrorCode): string | null {
  const got = `${answer.status} ${JSON.stringify(answer.headers)} ${answer.body.slice(0, 200)}`;
  if (answer.status !== ERROR_CATALOG[code].status) return `status ${answer.status}, not ${ERROR_CATALOG[code].status}: ${got}`;
  for (const [name, value] of Object.entries(API_HEADERS)) if (answer.headers[name] !== value) return `header ${name} is ${answer.headers[name]}: ${got}`;
  if (!(answer.headers['content-type'] ?? '').startsWith('application/json')) return `not JSON: ${got}`;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return `body not JSON: ${got}`;
  }
  if (Object.keys(body).join() !== 'error' || Object.keys(body.error ?? {}).sort().join() !== 'code,message') return `not {error: {code, message}}: ${got}`;
  if (body.error?.code !== code || typeof body.error.message !== 'string' || body.error.message === '') return `code ${String(body.error?.code)}, not ${code}: ${got}`;
  return null;
}

describe('malformed HTTP requests on a raw socket', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  let port: number;

  before(async () => {
    sg = await openTestScamgraph('pglite', { loadIndex: false });
    app = await buildApp(sg);
    port = Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);
  });
  after(async () => {
    await app.close();
    await sg.close();
  });

  it('each gets the documented error shape, its code and the API security headers', async () => {
    const problems: string[] = [];
    for (const [what, request, code] of CASES) {
      const found = problem(await rawExchange(port, [request], { giveUpMs: 3000 }), code);
      if (found !== null) problems.push(`${what}: ${found}`);
    }
    assert.deepEqual(problems, []);
  });

  it('a connection whose request could not be parsed is closed after the answer', async () => {
    const answer = await rawExchange(port, ['GARBAGE\r\n\r\n', `GET /api/v1/taxonomy HTTP/1.1\r\n${HOST}\r\n`], { everyMs: 200, giveUpMs: 5000 });
    assert.equal(answer.status, 400);
    assert.equal(answer.headers.connection, 'close');
    assert.ok(answer.closedAfterMs < 4000, `closed after ${answer.closedAfterMs} ms`);
  });

  it('a well-formed request on the same kind of socket is answered normally', async () => {
    const answer = await rawExchange(port, [`GET /api/v1/taxonomy HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`]);
    assert.equal(answer.status, 200);
    assert.ok(JSON.parse(answer.body).scamTypes);
  });
});
