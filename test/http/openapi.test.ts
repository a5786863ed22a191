import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { ROLE_SCOPES } from '../../src/http/principal.js';
import { patternRule } from '../../src/http/validation-messages.js';
import type { Scamgraph } from '../../src/main.js';
import { openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress, login, registeredRoutes } from '../helpers/http.js';
import { openApiDocument, operations, type OpenApiDocument } from '../helpers/openapi.js';

// The API document as a contract: valid OpenAPI (checked by a maintained validator), parameters only where a
// route takes them, every pattern explained in words, and `security` on exactly the routes behind a sign-in,
// each of which refuses an anonymous call (401) and a caller without its scopes (403).

/** Path parameters that pass each route's schema, so the guard is what answers. */
const PATH_VALUES: Record<string, string> = { reference: 'SG-AAAA-AAAA-AAAA', id: '1', username: 'no-such-user' };
const fill = (path: string): string => path.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name] ?? 'x');

/** Every `pattern` anywhere in a JSON value. */
function patternsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) patternsIn(v, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'pattern' && typeof v === 'string') found.add(v);
      else patternsIn(v, found);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  let doc: OpenApiDocument;

  before(async () => {
    sg = await openTestScamgraph('pglite', { loadIndex: false }, { rateLimits: { reports: 0, checks: 0 } });
    app = await buildApp(sg);
    doc = await openApiDocument(app);
    await sg.auth.addUser('doc-analyst', PASSWORD, 'analyst');
  });
  after(async () => {
    await app.close();
    await sg.close();
  });

  it('is valid OpenAPI 3.1 for @seriousme/openapi-schema-validator', async () => {
    const result = await new Validator().validate(doc as never);
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  it('documents every route under /api/v1, and only them', () => {
    const documented = operations(doc).map(([method, path]) => `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    assert.deepEqual(documented.sort(), registeredRoutes(app));
  });

  it('lists as parameters only what a route takes: its path parameters and declared query parameters and headers', () => {
    for (const [method, path, op] of operations(doc)) {
      const names = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => `path:${m[1]}`);
      for (const name of inPath) assert.ok(names.includes(name), `${method} ${path} documents ${name}`);
      for (const p of op.parameters ?? []) {
        assert.ok(!['type', 'additionalProperties'].includes(p.name), `${method} ${path} has a parameter called ${p.name}`);
        assert.ok(p.schema !== undefined && typeof p.schema === 'object', `${method} ${path} ${p.name} has a schema`);
      }
    }
  });

  it('words every pattern it uses, so no client is ever shown a regular expression', () => {
    const unworded = [...patternsIn(doc)].filter((p) => patternRule(p) === undefined);
    assert.deepEqual(unworded, []);
  });

  it('gives bearer security, with the scopes needed, to exactly the routes behind a sign-in or a partner key', () => {
    const secured = operations(doc)
      .filter(([, , op]) => op.security !== undefined)
      .map(([method, path]) => `${method} ${path}`);
    const signedIn = operations(doc)
      .filter(([, path]) => path.startsWith('/api/v1/officer/') || path.startsWith('/api/v1/partner/') || path === '/api/v1/auth/logout')
      .map(([method, path]) => `${method} ${path}`);
    assert.deepEqual(secured.sort(), signedIn.sort());
    for (const [method, path, op] of operations(doc).filter(([, , o]) => o.security !== undefined)) {
      assert.equal(op.security?.length, 1, `${method} ${path}`);
      // Partners call with an organisation's API key (a scheme of its own); console users with a session.
      const partner = path.startsWith('/api/v1/partner/');
      assert.deepEqual(Object.keys(op.security?.[0] ?? {}), [partner ? 'partnerKey' : 'bearer'], `${method} ${path}`);
      const scopes = op.security?.[0]?.[partner ? 'partnerKey' : 'bearer'];
      assert.ok(Array.isArray(scopes) && (partner || scopes.length > 0), `${method} ${path} names its scopes`);
      for (const status of ['401', '403']) assert.ok(op.responses[status] !== undefined, `${method} ${path} documents ${status}`);
    }
  });

  it('every secured operation refuses an anonymous call, and one with an unknown token, with 401', async () => {
    const answers: string[] = [];
    for (const [method, path, op] of operations(doc).filter(([, , o]) => o.security !== undefined)) {
      for (const headers of [{}, bearer('x'.repeat(43))]) {
        const res = await app.inject({ method: method as 'GET' | 'POST', url: fill(path), headers, remoteAddress: freshAddress(), ...(op.requestBody === undefined ? {} : { payload: {} }) });
        assertRefused(res, 'UNAUTHENTICATED');
        answers.push(`${method} ${path}`);
      }
    }
    assert.ok(answers.length >= 2 * 30, `only ${answers.length} calls`);
  });

  it('every secured operation needing more than an analyst has refuses an analyst with 403', async () => {
    const token = await login(app, 'doc-analyst');
    const beyond = operations(doc).filter(([, , op]) => (op.security?.[0]?.bearer ?? []).some((scope) => !ROLE_SCOPES.analyst.includes(scope as never)));
    assert.ok(beyond.length >= 20, `only ${beyond.length} operations need more than an analyst`);
    for (const [method, path, op] of beyond) {
      const res = await app.inject({ method: method as 'GET' | 'POST', url: fill(path), headers: bearer(token), remoteAddress: freshAddress(), ...(op.requestBody === undefined ? {} : { payload: {} }) });
      assertRefused(res, 'FORBIDDEN');
    }
  });

  it('public operations declare no security and answer without a token', async () => {
    const publicReads = operations(doc).filter(([method, , op]) => op.security === undefined && method === 'GET' && !op.parameters?.some((p) => p.required));
    assert.ok(publicReads.length >= 3);
    for (const [, path, op] of publicReads) {
      const status = (await app.inject({ url: path, remoteAddress: freshAddress() })).statusCode;
      // 200, or a 404 the operation documents (the audit checkpoint before the first is signed).
      assert.ok(status === 200 || (status === 404 && op.responses?.['404'] !== undefined), `${path}: ${status}`);
    }
  });
});
