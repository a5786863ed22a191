import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { latestCheckpointIn, type Checkpoint } from './checkpoint.js';

/** Where checkpoints are kept, outside the database: each is appended, the latest read back. */
export interface CheckpointLog {
  /** Where it is, for messages. */
  readonly where: string;
  append(checkpoint: Checkpoint): void;
  latest(): Checkpoint | null;
}

/** The last 64 KiB hold hundreds of checkpoints (about 230 bytes a line): enough to find the last one. */
const TAIL = 64 * 1024;

/**
 * A JSON Lines file of checkpoints (0600). Each is one write of one line with O_APPEND, synced before the
 * checkpoint is given out, so servers and `audit verify` appending at once never interleave.
 */
export class CheckpointFile implements CheckpointLog {
  constructor(private readonly path: string) {}

  get where(): string {
    return this.path;
  }

  append(checkpoint: Checkpoint): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(checkpoint) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  latest(): Checkpoint | null {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, TAIL);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      let text = buffer.toString('utf8');
      // A tail that starts mid-line: drop that partial first line.
      if (length < size) text = text.slice(text.indexOf('\n') + 1);
      return latestCheckpointIn(text, this.path);
    } finally {
      closeSync(fd);
    }
  }
}

/** Checkpoints of a throwaway in-memory database (`memory://`), kept as long as it is. */
export class MemoryCheckpoints implements CheckpointLog {
  private readonly checkpoints: Checkpoint[] = [];
  readonly where = 'memory';

  append(checkpoint: Checkpoint): void {
    this.checkpoints.push(checkpoint);
  }

  latest(): Checkpoint | null {
    return this.checkpoints.at(-1) ?? null;
  }
}

/**
 * The configured checkpoint log: `logFile`, else `audit-checkpoints.jsonl` in the data directory (kept in
 * memory beside a `memory://` database).
 */
export function openCheckpointLog(logFile: string | null, dataDir: string): CheckpointLog {
  if (logFile !== null) return new CheckpointFile(logFile);
  return dataDir === 'memory://' ? new MemoryCheckpoints() : new CheckpointFile(join(resolve(dataDir), 'audit-checkpoints.jsonl'));
}
