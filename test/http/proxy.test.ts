import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { openScamgraph } from '../../src/main.js';
import { testConfig } from '../helpers/database.js';

const body = { scamType: 'investment', channel: 'call', narrative: 'Promised 30% a month', indicators: [{ value: '+852 6123 4501', role: 'caller' }] };

/** Two people reporting through one reverse proxy: counted apart only when the proxy hop is trusted. */
async function reporterCount(trustProxyHops: number): Promise<number> {
  const sg = await openScamgraph(testConfig(null, { trustProxyHops }), { loadIndex: true });
  const app = await buildApp(sg);
  try {
    for (const client of ['203.0.113.7', '198.51.100.23']) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: body, remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } });
      assert.equal(response.statusCode, 201, response.body);
    }
    return sg.verdicts.check('+85261234501').verdict.reportCount;
  } finally {
    await app.close();
    await sg.close();
  }
}

describe('client address behind a reverse proxy (SCAMGRAPH_TRUST_PROXY)', () => {
  it('without trust, everyone behind the proxy is one reporter; with one trusted hop, each client is its own', async () => {
    assert.equal(await reporterCount(0), 1);
    assert.equal(await reporterCount(1), 2);
  });
});
