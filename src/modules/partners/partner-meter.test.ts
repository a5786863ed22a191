import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { PartnerMeter } from './partner-meter.js';
import type { PartnerIdentity } from './partner.types.js';

const identity = (id: number, requestsPerMinute: number, dailyQuota: number): PartnerIdentity => ({
  keyId: id,
  organisation: { id, name: `org ${id}`, type: 'bank', requestsPerMinute, dailyQuota },
  scopes: ['payee:check'],
  expiresAt: new Date(8.64e15),
});

/** admit() never touches the database (only flush() does, tested on both engines in test/http/partner-keys.test.ts). */
const noDatabase = {} as Kysely<Database>;

describe('PartnerMeter', () => {
  const T = Date.UTC(2026, 11, 3, 10, 0, 0);

  it('a fixed window per organisation and minute: the limit, Retry-After to the minute’s end, and a new minute', () => {
    const meter = new PartnerMeter(noDatabase);
    const a = identity(1, 2, 0);
    const b = identity(2, 2, 0);
    assert.deepEqual(meter.admit(a, 'r', T), { admitted: true });
    assert.deepEqual(meter.admit(a, 'r', T + 1_000), { admitted: true });
    assert.deepEqual(meter.admit(a, 'r', T + 15_000), { admitted: false, code: 'RATE_LIMITED', retryAfterSeconds: 45 });
    assert.deepEqual(meter.admit(b, 'r', T + 15_000), { admitted: true }, 'organisations are counted apart');
    assert.deepEqual(meter.admit(a, 'r', T + 60_000), { admitted: true }, 'the next minute starts again');
    const unlimited = identity(3, 0, 0);
    for (let i = 0; i < 1000; i++) assert.equal(meter.admit(unlimited, 'r', T).admitted, true);
  });

  it('the daily quota counts admitted calls of the UTC day only, and renews at midnight UTC', () => {
    const meter = new PartnerMeter(noDatabase);
    const a = identity(1, 0, 2);
    assert.equal(meter.admit(a, 'r', T).admitted, true);
    assert.equal(meter.admit(a, 'r2', T).admitted, true);
    const over = meter.admit(a, 'r', T);
    assert.deepEqual(over, { admitted: false, code: 'QUOTA_EXCEEDED', retryAfterSeconds: 14 * 3600 });
    assert.equal(meter.admit(a, 'r', T + 14 * 3600_000).admitted, true, 'a new UTC day');
  });
});
