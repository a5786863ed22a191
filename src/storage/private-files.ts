import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates `dir` (and its parents) readable only by its owner, and makes it so when it already existed:
 * mkdir's mode applies only to a directory it creates.
 */
export function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Makes every file under `dir` 0600 and every directory 0700. PGlite unpacks its initial database with
 * mode 0666 whatever the umask, and an earlier version left a directory's files world-readable.
 */
export function makeTreePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) chmodSync(path, 0o700);
    else if (entry.isFile()) chmodSync(path, 0o600);
  }
}

/**
 * From now on this process creates files and directories for its owner only (umask 077): the embedded
 * database writes new files while it runs (relations, WAL segments), and so do the key and checkpoint files.
 */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

/**
 * Creates `path` (0600) holding `text`, unless it exists: the text goes to a file of our own first and is
 * linked into place, so a reader never sees it half-written and of two writers exactly one wins (link()
 * fails on an existing name, even over NFS). True when ours was the one linked.
 */
export function createExclusive(path: string, text: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(temp);
  }
}
