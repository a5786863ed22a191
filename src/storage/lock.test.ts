import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lockDirectory } from './lock.js';

describe('data directory lock', () => {
  it('refuses a second holder in this process, takes over a lock with our pid left by an earlier run, and releases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scamgraph-lock-'));
    try {
      const first = lockDirectory(dir);
      assert.equal(readFileSync(join(dir, 'scamgraph.lock'), 'utf8'), String(process.pid));
      assert.throws(() => lockDirectory(dir), /in use by another Scamgraph process/);
      first.release();
      // A container restarted after a crash often gets the same pid: that lock is stale, not ours.
      writeFileSync(join(dir, 'scamgraph.lock'), String(process.pid));
      const again = lockDirectory(dir);
      again.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
