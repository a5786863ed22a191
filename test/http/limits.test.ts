import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { openScamgraph, type Scamgraph } from '../../src/main.js';
import { testConfig } from '../helpers/database.js';

describe('limits: rate, nesting, indicator size', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  before(async () => {
    sg = await openScamgraph(testConfig(null, { rateLimits: { reports: 2, checks: 3 } }), { loadIndex: true });
    app = await buildApp(sg);
  });
  after(async () => {
    await app.close();
    await sg.close();
  });

  it('answers 429 RATE_LIMITED in the error shape once a client is over its limit, per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ url: '/api/v1/check?value=%2B85291234567', remoteAddress: '10.9.0.1' })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await app.inject({ url: '/api/v1/check?value=%2B85291234567', remoteAddress: '10.9.0.1' });
    assert.equal(limited.json().error.code, 'RATE_LIMITED');
    assert.match(limited.json().error.message, /retry in \d+ s/);
    assert.equal((await app.inject({ url: '/api/v1/check?value=%2B85291234567', remoteAddress: '10.9.0.2' })).statusCode, 200);
  });

  it('refuses JSON nested 5,000 deep with a 400, not a stack overflow', async () => {
    const payload = `{"values":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const response = await app.inject({ method: 'POST', url: '/api/v1/check', payload, headers: { 'content-type': 'application/json' }, remoteAddress: '10.9.0.3' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'VALIDATION_FAILED');
  });

  it('refuses a given indicator whose normal form is too long to index, and writes nothing', async () => {
    const url = `https://evil.top/${'詐騙'.repeat(900)}`;
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { scamType: 'phishing_bank', channel: 'sms', narrative: 'long link', indicators: [{ value: url }] },
      remoteAddress: '10.9.0.4',
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'INVALID_INDICATOR');
    const count = await sg.db.selectFrom('reports').select(sg.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(count.n, 0);
    // Mentioned in a narrative, such a link is simply not extracted: the report itself is stored.
    const escaped = `https://evil.top/${'%E8%A9%90'.repeat(300)}`;
    const mentioned = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { scamType: 'phishing_bank', channel: 'sms', narrative: `they sent ${escaped}`, indicators: [{ value: '+852 6123 4502' }] },
      remoteAddress: '10.9.0.5',
    });
    assert.equal(mentioned.statusCode, 201, mentioned.body);
    assert.deepEqual(mentioned.json().indicators.map((i: { kind: string }) => i.kind), ['phone']);
  });

  it('refuses an occurredAt far in the future or before 2000', async () => {
    for (const occurredAt of ['2205-01-01T00:00:00Z', '1969-12-31T00:00:00Z']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { scamType: 'investment', channel: 'call', narrative: 'x', occurredAt, indicators: [{ value: '+852 6123 4503' }] },
        remoteAddress: '10.9.0.6',
      });
      assert.equal(response.statusCode, 400, occurredAt);
      assert.equal(response.json().error.code, 'VALIDATION_FAILED');
    }
  });
});
