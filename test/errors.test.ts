import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { AppError, ERROR_CATALOG } from '../src/errors.js';

it('docs/errors.md lists exactly the codes of the error catalog, with their statuses', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
  const catalog = new Map(Object.entries(ERROR_CATALOG).map(([code, entry]) => [code, entry.status]));
  assert.deepEqual(documented, catalog);
});

it('AppError carries the stable code and the status of its catalog entry', () => {
  const error = new AppError('INVALID_URL', 'no host');
  assert.equal(error.status, 400);
  assert.deepEqual(error.toJSON(), { code: 'INVALID_URL', message: 'no host' });
});
