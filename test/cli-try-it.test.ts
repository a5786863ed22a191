import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childEnv } from './helpers/database.js';
import { startChild, type Child } from './helpers/processes.js';

// The README's "Try it", as a new person follows it: `npm start`, then, in a second terminal while it runs,
// each command of the second block exactly as written there (read from the README, run by a shell). Two
// things differ: the data directory is a fresh one (SCAMGRAPH_DATA), not the checkout's ./.data, and the server
// takes a free port (PORT=0), which the curl line is pointed at instead of 8080.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The shell blocks of the README's "Try it" section, each as its command lines (comments left to the shell). */
function tryItBlocks(): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Try it\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  assert.ok(section !== undefined, 'the README has a "Try it" section');
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trimEnd().split('\n'));
}

describe('the README\'s "Try it", top to bottom', () => {
  let dir: string;
  let server: Child;
  let url: string;
  const env = (): NodeJS.ProcessEnv => childEnv({ SCAMGRAPH_DATA: dir, PORT: '0' });
  /** One line of the README run by a shell in the repository, as typed. */
  const shell = (line: string): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync('sh', ['-c', line], { cwd: ROOT, env: env(), encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-try-it-'));
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with npm ci and npm start (npm ci is what this checkout was set up with)', async () => {
    const [setup] = tryItBlocks();
    assert.deepEqual(setup, ['npm ci', 'npm start']);
    server = startChild('sh', ['-c', 'npm start'], { cwd: ROOT, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    url = ((await server.waitForStderr(/listening on (http:\/\/[^\s]+)/))[1] as string).replace(/\/$/, '');
  });

  it('then every command of the second terminal works while the server runs', async () => {
    const [, commands] = tryItBlocks();
    assert.ok(commands !== undefined && commands.length >= 4, 'a block of commands for the second terminal');
    const seen = new Set<string>();
    for (const line of commands) {
      const run = shell(line.replace('http://127.0.0.1:8080', url));
      assert.equal(run.status, 0, `${line}\n${run.stdout}${run.stderr}`);
      if (line.startsWith('npx scamgraph demo')) {
        assert.match(run.stdout, /Demo data \(labelled \[DEMO\], source "demo"\): 14 reports added/);
      } else if (line.startsWith('npx scamgraph check +85251230001')) {
        assert.match(run.stdout, /HIGH RISK/);
        assert.match(run.stdout, /5 or more people reported this independently/); // public counts are rounded down
      } else if (line.startsWith('curl ')) {
        assert.equal((JSON.parse(run.stdout) as { verdict: { level: string } }).verdict.level, 'high_risk');
      } else if (line.startsWith('npx scamgraph user add admin --role admin')) {
        const password = /Added admin \(admin\)\. Password \(shown once\): (\S+)/.exec(run.stdout)?.[1];
        assert.ok(password !== undefined, run.stdout);
        // The console's sign-in takes it.
        const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
        assert.equal(login.status, 200);
        assert.equal(((await login.json()) as { user: { role: string } }).user.role, 'admin');
      } else {
        assert.fail(`a command this test does not know what to expect of: ${line}`);
      }
      seen.add(line.split(/\s+/).slice(0, 3).join(' '));
    }
    assert.equal(seen.size, commands.length);
  });

  it('and npm start stops on Ctrl-C (SIGINT), releasing the data directory', async () => {
    await server.stop('SIGINT');
    const lock = join(dir, 'scamgraph.lock');
    // npm may exit before the server it started: wait for the server to let go of the directory.
    for (let waited = 0; existsSync(lock) && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.equal(existsSync(lock), false);
    assert.equal(existsSync(join(dir, 'scamgraph.sock')), false);
    const check = shell('npx scamgraph check +85251230001');
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /HIGH RISK/, 'without a server the command opens the directory itself');
  });
});
