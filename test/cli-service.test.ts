import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childEnv } from './helpers/database.js';
import { startChild, type Child } from './helpers/processes.js';

// The service commands end to end, as separate processes on one embedded data directory.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'scamgraph.js');

function scamgraph(args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, input: options.stdin ?? '', encoding: 'utf8', env: childEnv(options.env), timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same, without blocking this process: while a command runs, the event loop must go on, or a kept-alive
 * connection to a server that closed it in the meantime is reused and the next fetch fails.
 */
function scamgraphAwaited(args: string[], options: { stdin?: string; cwd?: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: childEnv(), timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Starts a server process (killed when this file's tests end, should a test fail first) and resolves with its address once it listens. */
async function serve(command: string, args: string[], env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = startChild(command, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  const [, url] = await child.waitForStderr(/listening on (http:\/\/[^\s]+)/);
  return { child, url: url as string };
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

  it('import puts its rejects in the data directory, never beside the input', () => {
    const input = mkdtempSync(join(tmpdir(), 'scamgraph-input-'));
    try {
      writeFileSync(join(input, 'feed.txt'), 'local-feed-test.example\nnot a value at all\n');
      const result = scamgraph(['import', join(input, 'feed.txt'), '--as', 'feed:local', '--level', 'suspicious', '--data', dir]);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /1 entries of feed local added, 0 already present, 0 linked as duplicates, 1 rejected \(see \/.+\/rejects\/feed\.txt\.rejects\.jsonl\)/);
      assert.deepEqual(readdirSync(input), ['feed.txt']);
      const rejects = readFileSync(join(dir, 'rejects', 'feed.txt.rejects.jsonl'), 'utf8').trim().split('\n');
      assert.deepEqual(rejects.map((line) => (JSON.parse(line) as { line: number }).line), [2]);
      assert.equal(statSync(join(dir, 'rejects')).mode & 0o777, 0o700);
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
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

  it('serve answers over HTTP, holds the directory lock against a second server, and stops on SIGTERM', async () => {
    const { child, url } = await serve(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir], {});
    try {
      assert.deepEqual(await (await fetch(`${url}/api/health`)).json(), { ok: true }, 'nothing that moves as reports arrive');
      const check = (await (await fetch(`${url}/api/v1/check?value=${encodeURIComponent('+85251230001')}`)).json()) as { verdict: { level: string } };
      assert.equal(check.verdict.level, 'high_risk');
      // The checkpoint job signs one as the server starts, served to anyone.
      let checkpoint = await fetch(`${url}/api/v1/audit/checkpoint`);
      for (let waited = 0; checkpoint.status === 404 && waited < 10_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
        checkpoint = await fetch(`${url}/api/v1/audit/checkpoint`);
      }
      // Every row by then: the demo's, alice added and reset, and sign-ins (audited too).
      assert.ok(((await checkpoint.json()) as { tree_size: number }).tree_size >= 8);
      const second = scamgraph(['serve', '--port', '0', '--data', dir]);
      assert.equal(second.status, 1);
      assert.match(second.stderr, /in use by another Scamgraph process \(pid \d+\).*DATA_DIR_LOCKED/);
    } finally {
      assert.equal(await child.stop(), 0);
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
      await child.stop();
    }
    // npm exits first; the server it started releases the lock as it stops.
    const lock = join(dir, 'scamgraph.lock');
    for (let waited = 0; existsSync(lock) && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.equal(existsSync(lock), false);
  });
});

describe('database commands while a server runs on the data directory', () => {
  let dir: string;
  let work: string;
  let server: { child: Child; url: string };
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'scamgraph-served-'));
    dir = join(work, 'data');
    server = await serve(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir], {});
  });
  after(async () => {
    await server.child.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('the server listens for them on a socket only its owner may use', () => {
    assert.match(server.child.stderr, /CLI commands on this data directory .* run in this server/);
    const socket = statSync(join(dir, 'scamgraph.sock'));
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o777, 0o600);
  });

  it('demo, check and migrate run in the server, and what they change it answers at once', async () => {
    const demo = await scamgraphAwaited(['demo', '--data', dir]);
    assert.equal(demo.status, 0, demo.stderr);
    assert.match(demo.stdout, /Demo data \(labelled \[DEMO\], source "demo"\): 14 reports added/);
    const check = await scamgraphAwaited(['check', '+852 5123 0001', '--data', dir]);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /HIGH RISK/);
    const api = (await (await fetch(`${server.url}/api/v1/check?value=${encodeURIComponent('+85251230001')}`)).json()) as { verdict: { level: string } };
    assert.equal(api.verdict.level, 'high_risk');
    const migrate = await scamgraphAwaited(['migrate', '--data', dir]);
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.match(migrate.stdout, /Schema up to date/);
  });

  it('relays the exit code and stderr of a refusal and of a usage error', async () => {
    const bad = await scamgraphAwaited(['check', 'not anything', '--json', '--data', dir]);
    assert.equal(bad.status, 1);
    assert.equal(JSON.parse(bad.stdout).error.code, 'UNRECOGNIZED');
    const usage = await scamgraphAwaited(['clusters', 'list', '--limit', 'x', '--data', dir]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--limit must be a positive whole number\n\nUsage: scamgraph <command>/);
    const nobody = await scamgraphAwaited(['clusters', 'show', '999999', '--data', dir]);
    assert.equal(nobody.status, 1);
    assert.match(nobody.stderr, /There is no cluster 999999\. \[NOT_FOUND\]/);
  });

  it('user add reads the password from the sender\'s stdin, and the new officer can sign in', async () => {
    const added = await scamgraphAwaited(['user', 'add', 'carol', '--role', 'officer', '--password-stdin', '--data', dir], { stdin: 'a long enough passphrase\n' });
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /Added carol \(officer\)/);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'carol', password: 'a long enough passphrase' }) });
    assert.equal(login.status, 200);
  });

  it('import reads a path relative to where it was typed, and its rejects go to the data directory', async () => {
    const input = join(work, 'input');
    mkdirSync(input);
    writeFileSync(join(input, 'list.txt'), '+85261239999\nnot a value at all\n');
    const run = await scamgraphAwaited(['import', 'input/list.txt', '--as', 'feed:served', '--level', 'high_risk', '--data', 'data'], { cwd: work });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /2 records in [\d.]+ s .*: 1 entries of feed served added, 0 already present, 0 linked as duplicates, 1 rejected/);
    const rejects = join(dir, 'rejects', 'list.txt.rejects.jsonl');
    assert.match(run.stdout, /\(see data\/rejects\/list\.txt\.rejects\.jsonl\)/, 'shown relative to where the command was typed');
    assert.equal(JSON.parse(readFileSync(rejects, 'utf8')).line, 2);
    assert.deepEqual(readdirSync(input), ['list.txt'], 'nothing written beside the input');
    const api = (await (await fetch(`${server.url}/api/v1/check?value=${encodeURIComponent('+85261239999')}`)).json()) as { verdict: { level: string } };
    assert.equal(api.verdict.level, 'high_risk');
  });

  it('a command that names the directory through a symlink runs in the server too, which keeps its lock', async () => {
    const link = join(work, 'link');
    symlinkSync(dir, link);
    const lock = readFileSync(join(dir, 'scamgraph.lock'), 'utf8');
    const check = await scamgraphAwaited(['check', '+852 5123 0001', '--data', link]);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /HIGH RISK/);
    assert.equal(readFileSync(join(dir, 'scamgraph.lock'), 'utf8'), lock, 'the server still holds the directory');
    const again = await fetch(`${server.url}/api/health`);
    assert.equal(again.status, 200);
  });

  it('after the server was killed, its stale socket is ignored and the command opens the directory itself', async () => {
    assert.equal(await server.child.stop('SIGKILL'), null);
    assert.ok(existsSync(join(dir, 'scamgraph.sock')), 'a killed server leaves its socket');
    const audit = scamgraph(['audit', 'verify', '--data', dir]);
    assert.equal(audit.status, 0, audit.stderr);
    assert.match(audit.stdout, /Audit log verifies/);
  });
});
