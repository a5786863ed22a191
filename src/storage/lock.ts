import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { createExclusive } from './private-files.js';

/** The embedded database has no lock of its own: two processes on one data directory would corrupt it. */
export interface DirectoryLock {
  release(): void;
}

/** Who holds a lock file: its pid and the random token that tells this holding from any other. */
interface Holder {
  pid: number;
  token: string;
  /** The file's inode and text: what a breaker re-checks before removing a stale lock. */
  identity: string;
}

/** Tokens of the lock files this process holds, by path (a lock naming our pid is ours only if it is in here). */
const held = new Map<string, string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A few milliseconds' pause without leaving the synchronous call (lockDirectory runs before anything else). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The holder named by a lock file, or null when there is none. Read through one descriptor: text and inode agree. */
function readHolder(path: string): Holder | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(256);
    const text = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
    // "PID TOKEN"; a lock of an earlier version holds only the pid.
    const [pid = '', token = ''] = text.trim().split(/\s+/);
    return { pid: /^\d+$/.test(pid) ? Number(pid) : 0, token, identity: `${fstatSync(fd).ino}:${text}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the holder still runs. Our own pid in a lock we do not hold is a previous run's (containers reuse
 * pids). A lock naming no pid was not written by this code: never guessed stale.
 */
function isLive(path: string, holder: Holder): boolean {
  if (holder.pid === process.pid) return held.get(path) === holder.token;
  return holder.pid === 0 || isRunning(holder.pid);
}

/**
 * Creates `path` holding our pid and a fresh token, atomically (no one ever reads a half-written lock, and
 * of many starters exactly one creates it). Returns the token, or the live holder that has it.
 */
function tryCreate(path: string): { token: string } | { holder: Holder } {
  for (;;) {
    const token = randomBytes(12).toString('hex');
    if (createExclusive(path, `${process.pid} ${token}\n`)) return { token };
    const holder = readHolder(path);
    if (holder === null) continue; // released meanwhile: try again
    if (isLive(path, holder)) return { holder };
    breakStale(path, holder);
  }
}

/**
 * Removes a lock whose holder is gone, safely against other processes doing the same: only the one that
 * wins the claim file named after this very lock (`path.<hash of its inode and text>`, taken with the same
 * atomic create) may remove it, and it re-reads the lock first. A lock file changes only when its holder
 * releases it or a claimant removes it, so the re-read one is still the stale one. A claimant that died
 * leaves a stale claim, broken the same way.
 */
function breakStale(path: string, stale: Holder): void {
  const claimPath = `${path}.${createHash('sha256').update(stale.identity).digest('hex').slice(0, 16)}.claim`;
  const claim = tryCreate(claimPath);
  if (!('token' in claim)) {
    pause(5); // another process is removing it: look again afterwards
    return;
  }
  try {
    if (readHolder(path)?.identity === stale.identity) unlinkSync(path);
  } finally {
    unlinkSync(claimPath);
  }
}

/**
 * Takes `DIR/scamgraph.lock` (pid and token, created atomically). A lock left by a process that no longer
 * runs (killed with SIGKILL) is taken over; one held by a live process is a clear error, never a wait.
 * release() removes the lock only while it is still ours.
 */
export function lockDirectory(dir: string): DirectoryLock {
  // By the directory's real path: a lock that names our pid is ours only if `held` has it, so the same
  // directory reached through a symlink must not look like someone else's stale lock.
  const path = join(realpathSync(dir), 'scamgraph.lock');
  const result = tryCreate(path);
  if ('holder' in result) {
    const who = result.holder.pid > 0 ? `pid ${result.holder.pid}` : `its lock file ${path} names no process; remove it if none runs`;
    throw new AppError('DATA_DIR_LOCKED', `The data directory ${dir} is in use by another Scamgraph process (${who}). Stop it or use another --data directory.`);
  }
  const { token } = result;
  held.set(path, token);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (held.get(path) === token) held.delete(path);
    // Only while it names our token: no one else removes a live holder's lock, so it cannot change in between.
    if (readHolder(path)?.token === token) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return { release };
}
