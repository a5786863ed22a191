import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

// The layering the architecture asks for, kept by a test (issue 12: SQL had spread into services and routes).

const SRC = new URL('../src/', import.meta.url).pathname;
const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
  .map((e) => join(e.parentPath, e.name));
const SQL = /\bsql`|\.(selectFrom|insertInto|updateTable|deleteFrom)\(/;

describe('conventions', () => {
  it('SQL lives only in repositories (and in storage: the database factory, migrations)', () => {
    const offenders = files
      .filter((f) => !f.endsWith('.repository.ts') && !relative(SRC, f).startsWith('storage/') && SQL.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    assert.deepEqual(offenders, []);
  });

  it('routes get services, never the database', () => {
    const offenders = files.filter((f) => relative(SRC, f).startsWith('http/') && /\bKysely\b|\bdeps\.db\b|\bdb: /.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    assert.deepEqual(offenders, []);
  });
});
