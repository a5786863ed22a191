import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { databaseRows, ENGINES, openTestScamgraph } from '../helpers/database.js';
import { freshAddress } from '../helpers/http.js';

// Issue 17: the reporter's own HKID, card number and one-time code in a narrative are masked before storage,
// so no table holds them; the scam's phone number and link, its evidence, are stored as written.

const NARRATIVE =
  'A man called from +852 6123 4567 saying my HKID A123456(3) was used for money laundering. He sent me to ' +
  'https://hkpolice-verify.top/case where I typed my card 4111 1111 1111 1111, then I gave him the OTP 482913.';

for (const engine of ENGINES) {
  describe(`narrative screening through POST /api/v1/reports (${engine})`, () => {
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

    it('stores none of the reporter\'s identifiers, keeps the scam\'s number and link, and says what was removed', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        remoteAddress: freshAddress(),
        payload: { scamType: 'impersonating_officials', channel: 'call', narrative: NARRATIVE, indicators: [] },
      });
      assert.equal(res.statusCode, 201, res.body);
      const receipt = res.json() as { screened?: { kind: string; count: number }[]; indicators: { kind: string; canonical: string }[] };
      assert.deepEqual(receipt.screened, [
        { kind: 'hkid', count: 1 },
        { kind: 'card_number', count: 1 },
        { kind: 'one_time_code', count: 1 },
      ]);
      assert.ok(receipt.indicators.some((i) => i.kind === 'phone' && i.canonical === '+85261234567'), res.body);
      assert.ok(receipt.indicators.some((i) => i.kind === 'url' && i.canonical.includes('hkpolice-verify.top')), res.body);

      const stored = (await databaseRows(sg)).join('\n');
      for (const secret of ['A123456', '4111 1111 1111 1111', '4111111111111111', '482913']) assert.ok(!stored.includes(secret), `${secret} is in the database`);
      for (const evidence of ['+852 6123 4567', '+85261234567', 'https://hkpolice-verify.top/case', '[HKID removed]', '[card number ending 1111 removed]', '[one-time code removed]']) {
        assert.ok(stored.includes(evidence), `${evidence} is not in the database`);
      }
    });

    it('answers without `screened` when nothing was removed', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        remoteAddress: freshAddress(),
        payload: { scamType: 'investment', channel: 'call', narrative: 'Paid HK$5,000 on 2024-05-01 to 012-345-67890-1 after a call from 6123 4567.', indicators: [] },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((res.json() as { screened?: unknown }).screened, undefined);
    });
  });
}
