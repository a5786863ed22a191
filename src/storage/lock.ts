import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';

/** The embedded database has no lock of its own: two processes on one data directory would corrupt it. */
export interface DirectoryLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories this process holds: a lock file naming our own pid is ours only if it is in here. */
const held = new Set<string>();

/**
 * Takes `DIR/scamgraph.lock` (O_EXCL) holding our pid. A lock left by a process that no longer runs (killed
 * with SIGKILL) is taken over; one held by a live process is a clear error, never a wait.
 */
export function lockDirectory(dir: string): DirectoryLock {
  const path = join(dir, 'scamgraph.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(path);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        held.delete(path);
        rmSync(path, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      // Our own pid in a lock we do not hold is a previous run's (containers reuse pids after a crash).
      const live = pid === process.pid ? held.has(path) : Number.isInteger(pid) && pid > 0 && isRunning(pid);
      if (live) {
        throw new AppError('DATA_DIR_LOCKED', `The data directory ${dir} is in use by another Scamgraph process (pid ${pid}). Stop it or use another --data directory.`);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new AppError('DATA_DIR_LOCKED', `Could not lock the data directory ${dir}.`);
}
