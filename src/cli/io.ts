import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { resolveRegion } from '../modules/indicators/index.js';

/** The streams a command talks to; tests pass their own. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** Exit codes: 0 every input processed (invalid ones get an error object), 1 refused or failed, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The `--region` option, or the configured default; an unknown region is a usage error. */
export function regionOption(given: string | undefined, defaultRegion: string): string {
  try {
    return resolveRegion(given ?? defaultRegion);
  } catch {
    throw new UsageError(`unknown region “${given}”`);
  }
}

/** Buffers JSON lines and writes them in chunks, waiting for the pipe to drain (large stdin runs stay flat). */
export class LineWriter {
  private buffer = '';

  constructor(private readonly out: Writable) {}

  async json(value: unknown): Promise<void> {
    this.buffer += JSON.stringify(value) + '\n';
    if (this.buffer.length >= 65536) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}

/** The lines of a stream, without their line endings (CRLF too). */
export function readLines(input: Readable): AsyncIterable<string> {
  return createInterface({ input, crlfDelay: Infinity });
}

export async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A one-line counter on a terminal's stderr for long runs (a big file on stdin): count and rate, redrawn at
 * most ten times a second. The total is unknown when reading a stream, so it is a counter, not a bar. Silent
 * when stderr is not a terminal, so pipes and logs get only the results.
 */
export class ProgressLine {
  private count = 0;
  private lastDraw = 0;
  private readonly started = performance.now();
  private readonly enabled: boolean;

  constructor(
    private readonly err: Writable,
    private readonly label: string,
  ) {
    this.enabled = (err as { isTTY?: boolean }).isTTY === true;
  }

  tick(): void {
    this.count++;
    if (!this.enabled || (this.count & 1023) !== 0) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.err.write(`\r${this.label} ${this.count.toLocaleString('en-US')} (${this.rate(now)}/s)`);
  }

  done(): void {
    if (!this.enabled || this.count < 1024) return;
    const now = performance.now();
    this.err.write(`\r${this.label} ${this.count.toLocaleString('en-US')} in ${((now - this.started) / 1000).toFixed(1)} s (${this.rate(now)}/s)\n`);
  }

  private rate(now: number): string {
    return Math.round(this.count / ((now - this.started) / 1000 || 1)).toLocaleString('en-US');
  }
}
