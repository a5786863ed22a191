// A process that contends for a data directory lock on command, for the lock race test: reads "lock DIR"
// and "release" lines on stdin and answers each with one line ("held", "refused CODE", "released").
import { createInterface } from 'node:readline';
import { AppError } from '../../src/errors.js';
import { lockDirectory, type DirectoryLock } from '../../src/storage/lock.js';

let lock: DirectoryLock | null = null;
const say = (line: string): boolean => process.stdout.write(`${line}\n`);

say('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, dir] = line.split(' ');
  if (command === 'lock' && dir !== undefined) {
    try {
      lock = lockDirectory(dir);
      say('held');
    } catch (error) {
      say(error instanceof AppError ? `refused ${error.code}` : `error ${(error as Error).message}`);
    }
  } else if (command === 'release') {
    lock?.release();
    lock = null;
    say('released');
  }
}
