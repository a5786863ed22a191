import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DATABASE_COMMANDS } from '../src/cli/main.js';
import { USAGE } from '../src/cli/usage.js';

// End to end through the real entry point: bin/scamgraph.js run by node, as `npx scamgraph` runs it.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'scamgraph.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function scamgraph(args: string[], stdin = ''): Run {
  const env = { ...process.env };
  delete env.SCAMGRAPH_REGION;
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: stdin, encoding: 'utf8', env, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** stdout as JSON lines (every line must parse). */
function jsonLines(stdout: string): Record<string, unknown>[] {
  assert.ok(stdout.endsWith('\n'), `output does not end with a newline: ${JSON.stringify(stdout.slice(-80))}`);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function assertUsageError(run: Run, message: RegExp): void {
  assert.equal(run.status, 2, `exit ${run.status}; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, message);
  assert.match(run.stderr, /Usage: scamgraph <command>/);
}

describe('scamgraph normalize', () => {
  it('prints one JSON line per value, an error object for an empty one, and exits 0', () => {
    const run = scamgraph(['normalize', '91234567', '', 'hxxps://evil[.]com/a/../b#x']);
    assert.equal(run.status, 0, run.stderr);
    const lines = jsonLines(run.stdout);
    assert.equal(lines.length, 3);
    const [phone, empty, url] = lines;
    assert.equal(phone?.input, '91234567');
    assert.equal(phone?.kind, 'phone');
    assert.equal(phone?.canonical, '+85291234567');
    assert.equal(phone?.key, 'phone:+85291234567');
    assert.deepEqual(phone?.alternatives, ['payment_proxy']);
    assert.equal(typeof phone?.display, 'string');
    assert.equal(typeof phone?.details, 'object');

    assert.equal(empty?.input, '');
    assert.equal((empty?.error as { code: string }).code, 'EMPTY_INPUT');
    assert.equal(typeof (empty?.error as { message: string }).message, 'string');
    assert.equal(empty?.kind, undefined);

    assert.equal(url?.input, 'hxxps://evil[.]com/a/../b#x');
    assert.equal(url?.kind, 'url');
    assert.equal(url?.canonical, 'https://evil.com/b');
    assert.equal(url?.key, 'url:https://evil.com/b');
    assert.equal(url?.display, 'hxxps://evil[.]com/b');
  });

  it('reads values one per line from stdin with --kind and --region, a blank line giving an error object', () => {
    const run = scamgraph(['normalize', '--kind', 'phone', '--region', 'US'], '2015550123\n\n(201) 555-0123\n');
    assert.equal(run.status, 0, run.stderr);
    const lines = jsonLines(run.stdout);
    assert.deepEqual(
      lines.map((l) => [l.input, l.kind ?? null, l.canonical ?? null, (l.error as { code?: string } | undefined)?.code ?? null]),
      [
        ['2015550123', 'phone', '+12015550123', null],
        ['', null, null, 'EMPTY_INPUT'],
        ['(201) 555-0123', 'phone', '+12015550123', null],
      ],
    );
    // With --kind there is no detection, so no alternatives.
    assert.equal('alternatives' in (lines[0] as object), false);
  });

  it('gives a value that is not valid as the kind asked for its error code', () => {
    const run = scamgraph(['normalize', '--kind', 'phone', '12']);
    assert.equal(run.status, 0, run.stderr);
    const [line] = jsonLines(run.stdout);
    assert.equal((line?.error as { code: string }).code, 'INVALID_PHONE');
  });
});

describe('scamgraph extract', () => {
  const text = '請致電 9123 4567 或登入 hxxps://evil[.]com/pay 付款\n';
  const expected = [
    { kind: 'phone', raw: '9123 4567', start: 4, end: 13, canonical: '+85291234567', key: 'phone:+85291234567' },
    { kind: 'url', raw: 'hxxps://evil[.]com/pay', start: 18, end: 40, canonical: 'https://evil.com/pay', key: 'url:https://evil.com/pay' },
  ];
  let dir = '';

  it('expects spans that index the text (a check of this test itself)', () => {
    for (const e of expected) assert.equal(text.slice(e.start, e.end), e.raw);
  });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-cli-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the text from stdin with -', () => {
    const run = scamgraph(['extract', '-'], text);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(jsonLines(run.stdout), expected);
  });

  it('reads the text from a file', () => {
    const file = join(dir, 'sms.txt');
    writeFileSync(file, text);
    const run = scamgraph(['extract', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(jsonLines(run.stdout), expected);
  });

  it('prints nothing for text without indicators', () => {
    const run = scamgraph(['extract', '-'], 'nothing to see here\n');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
  });
});

describe('scamgraph usage errors', () => {
  it('exits 2 with the usage for an unknown command', () => {
    assertUsageError(scamgraph(['frobnicate']), /unknown command “frobnicate”/);
  });

  it('exits 2 with the usage for an unknown kind', () => {
    assertUsageError(scamgraph(['normalize', '--kind', 'nope', 'x']), /unknown kind “nope”/);
  });

  it('exits 2 with the usage for an unknown region', () => {
    assertUsageError(scamgraph(['normalize', '--region', 'ZZ', 'x']), /unknown region “ZZ”/);
  });

  it('exits 2 with the usage for a file that cannot be read', () => {
    assertUsageError(scamgraph(['extract', '/nonexistent']), /cannot read \/nonexistent: ENOENT/);
  });

  it('exits 2 with the usage when no command is given', () => {
    assertUsageError(scamgraph([]), /no command given/);
  });

  it('exits 2 with the usage for an unknown option', () => {
    const run = scamgraph(['normalize', '--colour', 'x']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /Usage: scamgraph <command>/);
  });
});

describe('scamgraph help', () => {
  it('prints the usage on stdout and exits 0', () => {
    const run = scamgraph(['help']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: scamgraph <command>/);
    assert.match(run.stdout, /normalize \[--kind KIND\]/);
    assert.match(run.stdout, /extract \[FILE\|-\]/);
  });

  it('lists --data DIR for every command that opens the database, and for no other', () => {
    // The usage's command lines: two spaces, then the command's name.
    const lines = USAGE.split('\n').filter((line) => /^ {2}[a-z]/.test(line));
    const named = new Set(lines.map((line) => line.trim().split(' ')[0]));
    for (const name of [...DATABASE_COMMANDS, 'serve']) assert.ok(named.has(name), `the usage has ${name}`);
    for (const line of lines) {
      const name = line.trim().split(' ')[0] as string;
      const opensDatabase = DATABASE_COMMANDS.has(name) || name === 'serve';
      assert.equal(line.includes('[--data DIR]'), opensDatabase, line);
    }
  });

  it('works as `npm exec -- scamgraph help` from the repository root', () => {
    const result = spawnSync('npm', ['exec', '--offline', '--', 'scamgraph', 'help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Usage: scamgraph <command>/);
  });
});
