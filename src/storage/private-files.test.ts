import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStorage } from './database.js';
import { loadSecrets } from './secrets.js';

/** Every path under dir (itself included) that its group or others may read, write or enter. */
function notPrivate(dir: string): string[] {
  const paths = [dir, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => join(dir, p))];
  return paths.filter((p) => (statSync(p).mode & 0o077) !== 0);
}

describe('data directory permissions', () => {
  it('an existing world-readable data directory and everything the embedded database writes end up 0700/0600', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'scamgraph-perm-'));
    const dir = join(parent, 'data');
    try {
      mkdirSync(dir, { mode: 0o755 });
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, 'left-by-an-earlier-version'), 'x', { mode: 0o644 });
      loadSecrets(null, dir, false);
      const storage = await openStorage({ databaseUrl: null, dataDir: dir });
      // Files the database creates while it runs: a table with rows, and a checkpoint that writes them out.
      await sql`CREATE TABLE t AS SELECT generate_series(1, 20000) AS n`.execute(storage.db);
      await sql`CHECKPOINT`.execute(storage.db);
      await storage.close();
      assert.ok(readdirSync(dir, { recursive: true }).length > 900, 'the database files are there');
      assert.deepEqual(notPrivate(dir), []);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('a generated secret key is private, read back the same, and a damaged one is refused, not replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scamgraph-perm-'));
    try {
      chmodSync(dir, 0o755);
      const first = loadSecrets(null, dir, false);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
      assert.deepEqual(loadSecrets(null, dir, false), first);
      writeFileSync(join(dir, 'secret.key'), 'c2hvcnQ=\n');
      assert.throws(() => loadSecrets(null, dir, false), /is not a 32-byte key in base64/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('secret key generation under a race', () => {
  it('processes starting at once on a new directory all get the one key that was written (30 rounds)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'scamgraph-perm-'));
    const dirs = Array.from({ length: 30 }, (_, i) => join(parent, `data-${i}`));
    const secrets = join(dirname(fileURLToPath(import.meta.url)), 'secrets.ts');
    // Each process loads the module, then waits for the same instants (a few seconds off) to race, once a directory.
    const startAt = Date.now() + 4000;
    const script = `const { loadSecrets } = await import(${JSON.stringify(secrets)});
      const keys = ${JSON.stringify(dirs)}.map((dir, i) => { while (Date.now() < ${startAt} + 150 * i); return loadSecrets(null, dir, false).auditKey.toString('hex'); });
      process.stdout.write(keys.join(' '));`;
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          new Promise<string[]>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
            let out = '';
            let err = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
            child.on('close', (code) => resolve(code === 0 ? out.split(' ') : [`exit ${code}: ${err.split('\n').find((l) => l.includes('Error')) ?? err}`]));
          }),
        ),
      );
      for (let round = 0; round < dirs.length; round++) {
        const keys = answers.map((a) => a[round] ?? a[0]);
        assert.equal(new Set(keys).size, 1, `round ${round}: ${keys.join('\n')}`);
        assert.match(keys[0] as string, /^[0-9a-f]{64}$/);
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
