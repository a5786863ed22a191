import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalize, type Indicator } from '../indicators/index.js';
import { payeeIndicators } from './payee-check.js';

/** What an FPS phone payee stood for before the one-parse path: the proxy, then its number parsed again. */
function twoParses(value: string): Indicator[] | string {
  try {
    const p = normalize('payment_proxy', `fps:${value.trim().replace(/^fps:/i, '')}`, { region: 'HK' });
    if ((p.details as { type: string }).type !== 'phone') return 'INVALID_PAYMENT_PROXY';
    return [p, normalize('phone', (p.details as { phone: string }).phone, { region: 'HK' })];
  } catch (error) {
    return (error as { code: string }).code;
  }
}

function onePath(value: string): Indicator[] | string {
  try {
    return payeeIndicators('fps_phone', value, 'HK');
  } catch (error) {
    return (error as { code: string }).code;
  }
}

test('an FPS phone payee read in one parse stands for exactly what two parses gave', () => {
  const values = ['+852 9123 4567', '91234567', 'fps:+85291234567', 'FPS:9123-4567', ' 6123 4567 ', '+44 7911 123456', '+1 415 555 2671', '+852 1234', '1234567', '12345678', '９１２３４５６７', 'user@example.com'];
  for (const value of values) {
    const expected = twoParses(value);
    const got = onePath(value);
    assert.deepEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(expected)), value);
  }
  assert.equal((onePath('+852 9123 4567') as Indicator[]).map((i) => i.canonical).join(' '), 'fps:+85291234567 +85291234567');
});
