import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childEnv } from './helpers/database.js';

// The service commands end to end, as separate processes on one embedded data directory.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'scamgraph.js');

function scamgraph(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: options.stdin ?? '', encoding: 'utf8', env: childEnv(options.env), timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a server process and resolves with its address once it listens. */
function serve(command: string, args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  // Its own process group, so that stopping `npm start` also stops the server npm started.
  const child = spawn(command, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (match) resolve({ child, url: match[1] as string });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    process.kill(-(child.pid as number), 'SIGTERM');
  });
}

describe('service commands on one data directory', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrate creates the schema once', () => {
    const first = scamgraph(['migrate', '--data', dir]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Applied 001-initial, 002-evidence-reporters, 003-link-tables-unchecked, 004-clusters, 005-triage/);
    const again = scamgraph(['migrate', '--data', dir]);
    assert.match(again.stdout, /Schema up to date/);
  });

  it('without SCAMGRAPH_SECRET_KEY a key file is generated under the data directory, readable only by its owner', () => {
    const own = mkdtempSync(join(tmpdir(), 'scamgraph-key-'));
    try {
      const env = childEnv();
      delete env.SCAMGRAPH_SECRET_KEY;
      const result = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--data', own], { cwd: ROOT, encoding: 'utf8', env });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(statSync(join(own, 'secret.key')).mode & 0o777, 0o600);
      assert.equal(Buffer.from(readFileSync(join(own, 'secret.key'), 'utf8').trim(), 'base64').length, 32);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('production mode refuses to start without a secret key', () => {
    const env = childEnv({ NODE_ENV: 'production' });
    delete env.SCAMGRAPH_SECRET_KEY;
    const result = spawnSync(process.execPath, [BIN, 'migrate', '--data', dir], { cwd: ROOT, encoding: 'utf8', env });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /SCAMGRAPH_SECRET_KEY/);
  });

  it('servers on PostgreSQL must be given the shared secret key', () => {
    const env = childEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    delete env.SCAMGRAPH_SECRET_KEY;
    const result = spawnSync(process.execPath, [BIN, 'audit', 'verify'], { cwd: ROOT, encoding: 'utf8', env });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /DATABASE_URL needs SCAMGRAPH_SECRET_KEY/);
  });

  it('import refuses an unwritable rejects file before doing any work', () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, '{}\n');
    const result = scamgraph(['import', file, '--rejects', join(dir, 'no', 'such', 'dir', 'r.jsonl'), '--data', dir]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot write the rejects file/);
  });

  it('demo loads labelled demo data, once', () => {
    const first = scamgraph(['demo', '--data', dir]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Demo data \(labelled \[DEMO\]/);
    assert.match(first.stdout, /14 reports added/);
    const again = scamgraph(['demo', '--data', dir]);
    assert.match(again.stdout, /0 reports added \(14 already present\)/);
  });

  it('check explains a verdict, in words and as JSON', () => {
    const words = scamgraph(['check', '+852 5123 0001', '--data', dir]);
    assert.equal(words.status, 0, words.stderr);
    assert.match(words.stdout, /HIGH RISK/);
    assert.match(words.stdout, /5 or more people reported this independently/);
    const json = JSON.parse(scamgraph(['check', 'hsbc-secure-login.com', '--json', '--data', dir]).stdout);
    assert.equal(json.verdict.level, 'suspicious');
    assert.equal(json.verdict.reasons[0].code, 'LOOKALIKE_PROTECTED');
    const unknown = scamgraph(['check', '+852 9876 5432', '--data', dir]);
    assert.match(unknown.stdout, /NO RECORD \(not a statement of safety\)/);
    const bad = scamgraph(['check', 'not anything', '--json', '--data', dir]);
    assert.equal(bad.status, 1);
    assert.equal(JSON.parse(bad.stdout).error.code, 'UNRECOGNIZED');
  });

  it('user add hashes a password (argon2id) and refuses a second user of the same name', () => {
    const added = scamgraph(['user', 'add', 'alice', '--role', 'officer', '--password-stdin', '--data', dir], { stdin: 'correct horse battery\n' });
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /Added alice \(officer\)/);
    assert.doesNotMatch(added.stdout, /correct horse/);
    const again = scamgraph(['user', 'add', 'alice', '--role', 'admin', '--data', dir]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /USER_EXISTS/);
    assert.equal(scamgraph(['user', 'add', 'bob', '--role', 'king', '--data', dir]).status, 2);
  });

  it('user reset prints a one-time password once, needs a reason, and refuses an unknown user', () => {
    assert.equal(scamgraph(['user', 'reset', 'alice', '--data', dir]).status, 2, 'no --reason');
    const reset = scamgraph(['user', 'reset', 'alice', '--reason', 'Locked out, no other admin', '--data', dir]);
    assert.equal(reset.status, 0, reset.stderr);
    assert.match(reset.stdout, /^Reset the password of alice; 0 session\(s\) ended\. One-time password \(shown once; a new one is chosen at sign-in\): [A-Za-z0-9_-]{24}\n$/);
    const missing = scamgraph(['user', 'reset', 'nobody', '--reason', 'No such user', '--data', dir]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /NOT_FOUND/);
  });

  it('audit verify reports an intact chain', () => {
    const result = scamgraph(['audit', 'verify', '--data', dir]);
    assert.equal(result.status, 0, result.stderr);
    // 3 protections per demo run, alice added and her password reset from the command line.
    assert.match(result.stdout, /Audit log verifies: 8 rows, chain intact/);
  });

  it('clusters list, show and rebuild read the demo reports correlated into clusters', () => {
    const list = scamgraph(['clusters', 'list', '--json', '--data', dir]);
    assert.equal(list.status, 0, list.stderr);
    const clusters = list.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: number; reportCount: number; reporterCount: number; topIndicators: { kind: string; key: string }[] });
    assert.deepEqual(clusters.map((c) => c.reportCount), [7, 4, 2]);
    assert.deepEqual(clusters[0]!.topIndicators.map((i) => i.key), ['phone:+85251230001', 'url:https://demo-hkpost-redelivery.top/pay']);
    const big = scamgraph(['clusters', 'list', '--min-reports', '5', '--data', dir]);
    assert.match(big.stdout, new RegExp(`^cluster ${clusters[0]!.id}: 7 reports from 7 reporters`));
    assert.equal(big.stdout.trim().split('\n').length, 1);
    const show = scamgraph(['clusters', 'show', String(clusters[1]!.id), '--data', dir]);
    assert.equal(show.status, 0, show.stderr);
    assert.match(show.stdout, /4 reports from 4 reporters/);
    assert.match(show.stdout, /bank_account/);
    const rebuilt = scamgraph(['clusters', 'rebuild', '--data', dir]);
    assert.match(rebuilt.stdout, /^Rebuilt \d+ clusters from 14 reports and \d+ keys in [\d.]+ s; 13 reports share a cluster with another\.$/m);
    assert.equal(scamgraph(['clusters', 'list', '--json', '--data', dir]).stdout, list.stdout, 'a rebuild gives the same clusters');
    const missing = scamgraph(['clusters', 'show', '999999', '--data', dir]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /There is no cluster 999999\. \[NOT_FOUND\]/);
    assert.equal(scamgraph(['clusters', 'list', '--limit', 'x', '--data', dir]).status, 2);
  });

  it('serve answers over HTTP, holds the directory lock against a second process, and stops on SIGTERM', async () => {
    const { child, url } = await serve(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir], {});
    try {
      const health = (await (await fetch(`${url}/api/health`)).json()) as { ok: boolean; indexed: number };
      assert.equal(health.ok, true);
      assert.ok(health.indexed > 0);
      const check = (await (await fetch(`${url}/api/v1/check?value=${encodeURIComponent('+85251230001')}`)).json()) as { verdict: { level: string } };
      assert.equal(check.verdict.level, 'high_risk');
      // The checkpoint job signs one as the server starts, served to anyone.
      let checkpoint = await fetch(`${url}/api/v1/audit/checkpoint`);
      for (let waited = 0; checkpoint.status === 404 && waited < 10_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
        checkpoint = await fetch(`${url}/api/v1/audit/checkpoint`);
      }
      assert.equal(((await checkpoint.json()) as { tree_size: number }).tree_size, 7); // the demo's 6 rows and alice added
      const second = scamgraph(['migrate', '--data', dir]);
      assert.equal(second.status, 1);
      assert.match(second.stderr, /in use by another Scamgraph process \(pid \d+\).*DATA_DIR_LOCKED/);
    } finally {
      assert.equal(await stop(child), 0);
    }
    assert.equal(existsSync(join(dir, 'scamgraph.lock')), false);
  });

  it('a lock left by a killed process is taken over', () => {
    writeFileSync(join(dir, 'scamgraph.lock'), '2147483646'); // no such process
    const result = scamgraph(['migrate', '--data', dir]);
    assert.equal(result.status, 0, result.stderr);
  });

  it('npm start serves the API and the web app on the embedded database', async () => {
    const { child, url } = await serve('npm', ['start', '--silent'], { PORT: '0', SCAMGRAPH_DATA: dir });
    try {
      const response = await fetch(`${url}/api/openapi.json`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { openapi: string }).openapi, '3.1.0');
      // The built web app, with no extra step: the public pages at /, the console at /console.
      for (const page of ['/', '/console', '/tips']) {
        const html = await fetch(`${url}${page}`, { headers: { accept: 'text/html' } }); // as a browser asks for a page
        assert.equal(html.status, 200, page);
        const text = await html.text();
        assert.ok(text.includes('<div id="root"></div>'), page);
        assert.match(text, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/, page);
      }
    } finally {
      await stop(child);
    }
    // npm exits first; the server it started releases the lock as it stops.
    const lock = join(dir, 'scamgraph.lock');
    for (let waited = 0; existsSync(lock) && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.equal(existsSync(lock), false);
  });
});
