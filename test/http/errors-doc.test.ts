import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { maxHeaderSize } from 'node:http';
import { it } from 'node:test';
import { bech32 } from '@scure/base';
import fc from 'fast-check';
import { loadConfig } from '../../src/config.js';
import { BODY_LIMIT } from '../../src/http/app.js';
import { MAX_BATCH } from '../../src/http/routes/check.routes.js';
import { INDICATOR_KINDS, IndicatorError, normalize, type IndicatorKind } from '../../src/modules/indicators/index.js';
import { MAX_VALUE_LENGTH } from '../../src/modules/indicators/indicator.types.js';

// docs/errors.md says what the code does: the `reason`s each indicator code can carry (every one the
// library gives is listed, every one listed is given) and the limits it names. test/errors.test.ts keeps
// its list of codes and statuses equal to the catalog.

const DOC = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const ROWS = new Map([...DOC.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.*) \|$/gm)].map((m) => [m[1] as string, m[3] as string]));
/** The reasons a row lists after "`reason`:". */
const documentedReasons = (code: string): Set<string> => {
  const text = ROWS.get(code) ?? '';
  const at = text.indexOf('`reason`:');
  return new Set(at < 0 ? [] : [...text.slice(at).matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1] as string));
};

/** Values that break each documented rule (found by reading the normalizers), plus what random text finds. */
const CRAFTED: [IndicatorKind, string][] = [
  ['phone', 'abc'], ['phone', '+9991234'], ['phone', '+8521'], ['phone', '1'.repeat(70)], ['phone', '+722222222222'], ['phone', '+852 123456789'],
  ['url', 'http://'], ['url', 'http://[a]/'], ['url', 'http://a.com:99999/'], ['url', 'http://[1:2:3]/'], ['url', 'javascript:alert(1)'], ['url', 'http://a b'],
  ['domain', '.'], ['domain', '1.2.3.4'], ['domain', 'xn--'], ['domain', 'localhost'],
  ['email', 'abc'], ['email', '@b.com'], ['email', 'a..b@c.com'], ['email', 'a@-b.com'],
  ['payment_proxy', 'fps:a@'], ['payment_proxy', 'fps:@b.com'], ['payment_proxy', 'fps:a@-b.com'], ['payment_proxy', 'fps:1'],
  ['bank_account', 'GB82 WEST 1234 5698 7654 31'], ['bank_account', '12345'], ['bank_account', 'abc-def'],
  ['crypto_wallet', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3'], ['crypto_wallet', 'bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
  ['crypto_wallet', bech32.encode('bc', [0, ...bech32.toWords(new Uint8Array(10))])], ['crypto_wallet', 'hello'],
  ['social_account', '@someone'], ['social_account', 'telegram:@a'], ['social_account', 'whatsapp:123'], ['social_account', 'https://example.com/x'], ['social_account', 'foo bar'],
];

function reasonOf(kind: IndicatorKind, value: string): { code: string; reason: string | undefined } | null {
  try {
    normalize(kind, value, { region: 'HK' });
    return null;
  } catch (error) {
    if (!(error instanceof IndicatorError)) throw error;
    return { code: error.code, reason: error.reason };
  }
}

it("every reason an indicator error carries is listed on its code's row, and every listed reason occurs", () => {
  const seen = new Map<string, Set<string>>();
  const note = (kind: IndicatorKind, value: string): void => {
    const error = reasonOf(kind, value);
    if (error === null || error.reason === undefined) return;
    if (!seen.has(error.code)) seen.set(error.code, new Set());
    seen.get(error.code)?.add(error.reason);
  };
  for (const [kind, value] of CRAFTED) note(kind, value);
  for (const kind of INDICATOR_KINDS) {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => {
      note(kind, text);
    }), { numRuns: 1500, seed: 12 });
    fc.assert(fc.property(fc.stringMatching(/^[+0-9 ]{1,20}$/), (text) => {
      note(kind, text);
    }), { numRuns: 500, seed: 12 });
  }
  const undocumented = [...seen].flatMap(([code, reasons]) => [...reasons].filter((r) => !documentedReasons(code).has(r)).map((r) => `${code} ${r}`));
  assert.deepEqual(undocumented, [], 'reasons the code gives that docs/errors.md does not list');
  const neverSeen = [...ROWS.keys()].flatMap((code) => [...documentedReasons(code)].filter((r) => !seen.get(code)?.has(r)).map((r) => `${code} ${r}`));
  assert.deepEqual(neverSeen, [], 'reasons docs/errors.md lists that the code never gives');
});

it('the limits docs/errors.md names are the ones the code applies', () => {
  const has = (code: string, text: string): void => assert.ok(ROWS.get(code)?.includes(text), `${code} says “${text}”: ${ROWS.get(code)}`);
  assert.equal(BODY_LIMIT, 1024 * 1024);
  has('BODY_TOO_LARGE', '1 MiB');
  assert.equal(maxHeaderSize, 16 * 1024);
  has('HEADERS_TOO_LARGE', '16 KiB');
  has('INPUT_TOO_LONG', `${MAX_VALUE_LENGTH.toLocaleString('en-US')} characters`);
  const defaults = loadConfig({}).timeouts;
  has('REQUEST_TIMEOUT', `headers within ${defaults.headersMs / 1000} s (\`SCAMGRAPH_HEADERS_TIMEOUT_MS\`)`);
  has('REQUEST_TIMEOUT', `within ${defaults.requestMs / 1000} s (\`SCAMGRAPH_REQUEST_TIMEOUT_MS\`)`);
  assert.equal(loadConfig({ SCAMGRAPH_HEADERS_TIMEOUT_MS: '700', SCAMGRAPH_REQUEST_TIMEOUT_MS: '900' }).timeouts.requestMs, 900);
  assert.equal(MAX_BATCH, 1000);
});
