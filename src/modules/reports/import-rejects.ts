import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** The rejects file of an import: one JSON line per refused record (line, code, reason); rewritten by every run. */
export class Rejects {
  private readonly out: WriteStream;
  count = 0;
  constructor(path: string, append = false) {
    // Opened here, synchronously, so an unwritable path is an error the caller sees before any work.
    this.out = createWriteStream(path, { fd: openSync(path, append ? 'a' : 'w') });
  }
  async add(line: number, code: string, reason: string): Promise<void> {
    this.count++;
    if (!this.out.write(JSON.stringify({ line, code, reason }) + '\n')) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}
