import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_RETENTION, dataInventory } from '../src/modules/retention/retention-schedule.js';

// docs/privacy.md's data inventory is the one the code publishes (issue 17): every item of dataInventory()
// has its row, with the default days in bold where the schedule sets them, and no row names an item the code
// does not have.

const doc = readFileSync(new URL('../docs/privacy.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Data inventory'), doc.indexOf('## What each party can learn'));
const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Data') && !line.startsWith('| ---'));

describe('docs/privacy.md', () => {
  it('lists every inventory item of the code, with its default days', () => {
    const items = dataInventory(DEFAULT_RETENTION);
    const keyOf = (row: string) => /\(`([a-z_]+)`\)/.exec(row)?.[1];
    assert.deepEqual(rows.map(keyOf), items.map((item) => item.data), 'the rows name the items in the order the report publishes them');
    for (const item of items) {
      const row = rows.find((r) => keyOf(r) === item.data) ?? '';
      if (item.days === null) assert.doesNotMatch(row, /\*\*\d+\*\* days/, `${item.data} is kept without a number of days`);
      else assert.match(row, new RegExp(`\\*\\*${item.days}\\*\\* days`), `${item.data} is kept ${item.days} days by default`);
    }
  });

  it('names every configuration variable of the schedule', () => {
    const variables = ['CONTACT', 'NARRATIVE', 'MESSAGE', 'FINGERPRINT', 'SESSION', 'USAGE'].map((k) => `SCAMGRAPH_RETAIN_${k}_DAYS`);
    assert.equal(variables.length, Object.keys(DEFAULT_RETENTION).length);
    for (const variable of variables) assert.ok(section.includes(variable), variable);
  });
});
