import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { IndicatorError, normalize } from '../../src/modules/indicators/index.js';
import type { Scamgraph } from '../../src/main.js';
import { openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress, login } from '../helpers/http.js';

// What a refused request is told: an indicator error keeps its `reason` (as the CLI prints it), a schema
// violation names the field and the rule in words (never a regular expression), and a `__proto__` key is
// refused as what it is.

const REPORT = { scamType: 'investment', channel: 'call', narrative: 'Error message test.', indicators: [] };

/** The reason the indicator library (and so the CLI) gives for a value. */
function libraryReason(kind: 'phone' | 'bank_account', value: string): string | undefined {
  try {
    normalize(kind, value, { region: 'HK' });
  } catch (error) {
    if (error instanceof IndicatorError) return error.reason;
  }
  return undefined;
}

describe('error messages over HTTP', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  let admin: { authorization: string };

  before(async () => {
    sg = await openTestScamgraph('pglite', { loadIndex: true }, { rateLimits: { reports: 0, checks: 0 } });
    app = await buildApp(sg);
    await sg.auth.addUser('messages-admin', PASSWORD, 'admin');
    admin = bearer(await login(app, 'messages-admin'));
  });
  after(async () => {
    await app.close();
    await sg.close();
  });

  const send = (options: InjectOptions) => app.inject({ remoteAddress: freshAddress(), ...options });

  it('an invalid value keeps its reason, on a single check, in a batch and on an officer route', async () => {
    assert.equal(libraryReason('phone', '+8521'), 'TOO_SHORT');
    const single = await send({ url: '/api/v1/check?value=%2B8521&kind=phone' });
    assertRefused(single, 'INVALID_PHONE');
    assert.equal(single.json().error.reason, 'TOO_SHORT');

    const batch = await send({ method: 'POST', url: '/api/v1/check', payload: { values: [{ value: '+8521', kind: 'phone' }] } });
    assert.deepEqual(batch.json().results[0].error.reason, 'TOO_SHORT');

    const iban = 'GB82 WEST 1234 5698 7654 31';
    assert.equal(libraryReason('bank_account', iban), 'BAD_IBAN');
    const decision = await send({ method: 'POST', url: '/api/v1/officer/indicators/decision', headers: admin, payload: { value: iban, kind: 'bank_account', level: 'cleared', reason: 'message test' } });
    assertRefused(decision, 'INVALID_BANK_ACCOUNT');
    assert.equal(decision.json().error.reason, 'BAD_IBAN');

    // A report naming an invalid value: which one in the message, the value's own error as the reason.
    const report = await send({ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, indicators: [{ value: '+852 6123 4567' }, { value: '+8521', kind: 'phone' }] } });
    assertRefused(report, 'INVALID_INDICATOR');
    assert.match(report.json().error.message, /^indicators\[1\]: /);
    assert.equal(report.json().error.reason, 'TOO_SHORT');
    const unknown = await send({ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, indicators: [{ value: 'hello' }] } });
    assert.equal(unknown.json().error.reason, 'UNRECOGNIZED');
  });

  it('a schema violation names the field and the rule in words', async () => {
    const cases: [InjectOptions, string][] = [
      [{ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, channel: 'fax' } }, 'channel must be one of call, sms, whatsapp, website, social_media, email, in_person, other.'],
      [{ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, narrative: 5 } }, 'narrative must be text.'],
      [{ method: 'POST', url: '/api/v1/reports', payload: { scamType: 'investment' } }, 'channel is required.'],
      [{ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, colour: 'red' } }, 'colour is not a field this route takes.'],
      [{ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, loss: { amount: 5, currency: 'hkd' } } }, 'loss.currency must be a three-letter ISO 4217 currency code in capitals, such as HKD.'],
      [{ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, loss: { amount: -1, currency: 'HKD' } } }, 'loss.amount must be at least 0.'],
      [{ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, indicators: [{ value: '+852 9123 4567', extra: 1 }] } }, 'indicators[0].extra is not a field this route takes.'],
      [{ method: 'POST', url: '/api/v1/reports', payload: { ...REPORT, occurredAt: 'yesterday' } }, 'occurredAt must be a date and time with its offset, such as 2025-05-01T09:30:00Z.'],
      [{ method: 'POST', url: '/api/v1/check', payload: { values: [5] } }, 'values[0] must be text or an object.'],
      [{ method: 'POST', url: '/api/v1/check', payload: { values: [] } }, 'values must hold at least 1 item.'],
      [{ method: 'POST', url: '/api/v1/extract', payload: { text: '' } }, 'text must not be empty.'],
      [{ method: 'POST', url: '/api/v1/extract', payload: [] }, 'the body must be an object.'],
      [{ url: '/api/v1/check?value=1&colour=red' }, 'colour is not a query parameter of this route.'],
      [{ url: '/api/v1/taxonomy?colour=red' }, 'colour is not a query parameter of this route (it takes none).'],
      [{ url: '/api/v1/check' }, 'query parameter value is required.'],
      [{ url: '/api/v1/reports/status/SG-1' }, 'path parameter reference must be a report reference such as SG-7K2M-Q9XD-4HPA.'],
      [{ url: '/api/v1/officer/queue?limit=many', headers: admin }, 'query parameter limit must be a whole number of up to 3 digits.'],
      [{ url: '/api/v1/officer/queue?status=open', headers: admin }, 'query parameter status must be one or more of new, triaged, referred, closed, separated by commas.'],
      [{ url: '/api/v1/officer/stats?days=400', headers: admin }, 'query parameter days must be a whole number of days from 1 to 365.'],
      [{ url: '/api/v1/officer/audit?limit=0', headers: admin }, 'query parameter limit must be a whole number from 1 to 1000.'],
      [{ url: '/api/v1/officer/clusters/0', headers: admin }, 'path parameter id must be a whole number from 1, of up to 16 digits.'],
      [
        { method: 'POST', url: '/api/v1/officer/users', headers: admin, payload: { username: 'Not Valid', password: PASSWORD, role: 'analyst' } },
        'username must be a user name: 2 to 63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.',
      ],
      [{ method: 'POST', url: '/api/v1/officer/reports/SG-AAAA-AAAA-AAAA/triage', headers: admin, payload: { assignee: 5 } }, 'assignee must be text or null.'],
      [{ method: 'POST', url: '/api/v1/officer/users/someone', headers: admin, payload: { reason: 'only a reason' } }, 'the body must have at least 2 fields.'],
    ];
    const wrong: string[] = [];
    for (const [request, message] of cases) {
      const res = await send(request);
      assertRefused(res, 'VALIDATION_FAILED');
      const got = res.json().error.message as string;
      if (got !== message) wrong.push(`${request.method ?? 'GET'} ${request.url}: ${got}`);
      assert.doesNotMatch(got, /\^|\$"|\[0-9|\{1,/, `a regular expression in “${got}”`);
    }
    assert.deepEqual(wrong, []);
  });

  it('a __proto__ or constructor.prototype key is refused as FORBIDDEN_KEY, not as invalid JSON', async () => {
    for (const payload of ['{"__proto__": {"admin": true}}', '{"values": [{"value": "1", "__proto__": {}}]}', '{"constructor": {"prototype": {"admin": true}}}']) {
      const res = await send({ method: 'POST', url: '/api/v1/check', headers: { 'content-type': 'application/json' }, payload });
      assertRefused(res, 'FORBIDDEN_KEY');
      assert.match(res.json().error.message, /__proto__/);
    }
    assertRefused(await send({ method: 'POST', url: '/api/v1/check', headers: { 'content-type': 'application/json' }, payload: '{"__proto__": ' }), 'MALFORMED_JSON');
  });
});
