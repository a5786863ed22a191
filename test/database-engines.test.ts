import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The PostgreSQL half of the suites: skipped visibly, never silently, when DATABASE_URL is unset; and CI
// refuses to start when the server cannot be reached.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = join(ROOT, 'test', 'helpers', 'engines.fixture.ts');

/** The TAP a test file gives under node's runner, with DATABASE_URL as given (unset when null). */
function tap(file: string, databaseUrl: string | null): string {
  // Without NODE_TEST_CONTEXT, which would make the inner runner report to this one instead of printing TAP.
  const { DATABASE_URL: _unset, NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
    cwd: ROOT,
    env: databaseUrl === null ? env : { ...env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  return result.stdout;
}

function checkPostgres(databaseUrl: string | null): { status: number | null; stdout: string; stderr: string } {
  const { DATABASE_URL: _unset, ...env } = process.env;
  const result = spawnSync(process.execPath, ['scripts/check-postgres.js'], { cwd: ROOT, env: databaseUrl === null ? env : { ...env, DATABASE_URL: databaseUrl }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the engines a suite runs on', () => {
  it('without DATABASE_URL: the PGlite suite runs and a skipped test says the PostgreSQL one did not', () => {
    const out = tap(FIXTURE, null);
    assert.match(out, /^ok \d+ - a suite \(pglite\)$/m);
    assert.doesNotMatch(out, /a suite \(postgres\)/);
    assert.match(out, /^ok \d+ - the suites of this file on PostgreSQL # SKIP DATABASE_URL is not set, so they did not run/m);
    assert.match(out, /^# skipped 1$/m);
  });

  it('with DATABASE_URL: both suites run and nothing is skipped', () => {
    const out = tap(FIXTURE, 'postgres://postgres@127.0.0.1:5432/test');
    assert.match(out, /^ok \d+ - a suite \(pglite\)$/m);
    assert.match(out, /^ok \d+ - a suite \(postgres\)$/m);
    assert.match(out, /^# skipped 0$/m);
  });
});

describe('CI and PostgreSQL', () => {
  it('.ci/run checks that PostgreSQL answers before it runs the tests', () => {
    const script = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    const check = script.indexOf('node scripts/check-postgres.js');
    assert.ok(check > script.indexOf('export DATABASE_URL') && check < script.indexOf('npm test'), script);
    assert.match(script, /set -euo pipefail/);
  });

  it('the check fails, naming the host and not the password, when nothing listens there', () => {
    const run = checkPostgres('postgres://postgres:s3cret@127.0.0.1:1/test');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    assert.doesNotMatch(run.stderr + run.stdout, /s3cret/);
  });

  it('the check fails when DATABASE_URL is not set', () => {
    const run = checkPostgres(null);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /DATABASE_URL is not set/);
  });
});
