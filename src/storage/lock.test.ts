import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lockDirectory } from './lock.js';

const CONTENDER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'helpers', 'lock-contender.ts');

/** A pid that ran a moment ago and no longer does. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'scamgraph-lock-'));
}

describe('data directory lock', () => {
  it('refuses a second holder in this process, takes over a lock with our pid left by an earlier run, and releases', () => {
    const dir = tempDir();
    try {
      const first = lockDirectory(dir);
      assert.match(readFileSync(join(dir, 'scamgraph.lock'), 'utf8'), new RegExp(`^${process.pid} [0-9a-f]{24}\\n$`));
      assert.throws(() => lockDirectory(dir), /in use by another Scamgraph process \(pid \d+\)/);
      first.release();
      assert.equal(existsSync(join(dir, 'scamgraph.lock')), false);
      // A container restarted after a crash often gets the same pid: that lock is stale, not ours.
      writeFileSync(join(dir, 'scamgraph.lock'), `${process.pid} 0123456789abcdef01234567\n`);
      lockDirectory(dir).release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over the lock of a dead process (this version\'s, or one holding only a pid)', () => {
    const dir = tempDir();
    try {
      for (const stale of [`${deadPid()} 0123456789abcdef01234567\n`, String(deadPid())]) {
        writeFileSync(join(dir, 'scamgraph.lock'), stale);
        const lock = lockDirectory(dir);
        assert.notEqual(readFileSync(join(dir, 'scamgraph.lock'), 'utf8'), stale);
        lock.release();
      }
      assert.deepEqual(readdirSync(dir), [], 'no temporary or claim file is left behind');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('release never deletes a lock it does not own', () => {
    const dir = tempDir();
    try {
      const lock = lockDirectory(dir);
      // Someone removed our lock by hand and another process took the directory.
      const other = `${process.ppid} fedcba9876543210fedcba98\n`;
      writeFileSync(join(dir, 'scamgraph.lock'), other);
      lock.release();
      assert.equal(readFileSync(join(dir, 'scamgraph.lock'), 'utf8'), other);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never guesses that a lock naming no process is stale', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'scamgraph.lock'), '');
      assert.throws(() => lockDirectory(dir), /names no process; remove it if none runs/);
      assert.equal(readFileSync(join(dir, 'scamgraph.lock'), 'utf8'), '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** One process contending for locks on command (test/helpers/lock-contender.ts). */
interface Contender {
  child: ChildProcessWithoutNullStreams;
  lines: Interface;
  next(): Promise<string>;
}

function startContender(): Contender {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const resolve = waiting.shift();
    if (resolve) resolve(line);
    else queue.push(line);
  });
  return { child, lines, next: () => (queue.length > 0 ? Promise.resolve(queue.shift() as string) : new Promise((resolve) => waiting.push(resolve))) };
}

describe('data directory lock under a race of starters', () => {
  const STARTERS = 8;
  const ROUNDS = 20;
  let contenders: Contender[];
  before(async () => {
    contenders = Array.from({ length: STARTERS }, startContender);
    for (const c of contenders) assert.equal(await c.next(), 'ready');
  });
  after(() => {
    for (const c of contenders) c.child.stdin.end();
  });

  it(`${STARTERS} processes starting at once: exactly one holds the lock, in each of ${ROUNDS} rounds (fresh, or over a dead process's lock)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = tempDir();
      try {
        // A third of the rounds start on a fresh directory, the others over a lock its dead holder left.
        if (round % 3 === 1) writeFileSync(join(dir, 'scamgraph.lock'), `${deadPid()} 0123456789abcdef01234567\n`);
        if (round % 3 === 2) writeFileSync(join(dir, 'scamgraph.lock'), String(deadPid()));
        for (const c of contenders) c.child.stdin.write(`lock ${dir}\n`);
        const answers = await Promise.all(contenders.map((c) => c.next()));
        assert.equal(answers.filter((a) => a === 'held').length, 1, `round ${round}: ${answers.join(', ')}`);
        assert.equal(answers.filter((a) => a === 'refused DATA_DIR_LOCKED').length, STARTERS - 1, `round ${round}: ${answers.join(', ')}`);
        for (const c of contenders) c.child.stdin.write('release\n');
        for (const c of contenders) assert.equal(await c.next(), 'released');
        assert.deepEqual(readdirSync(dir), [], `round ${round}: the holder removed its lock and nothing is left behind`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
