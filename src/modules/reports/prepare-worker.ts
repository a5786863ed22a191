import { Worker } from 'node:worker_threads';
import type { NumberedReport, PreparedBatch } from './report.prepare.js';

// A worker runs TypeScript the way bin/scamgraph.js does: it registers tsx, then imports the module.
const BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.module); });`;

/**
 * Prepares import batches (normalizing, extracting, hashing) in a worker thread, so that the main thread
 * writes one batch while the next is prepared: on the embedded database, whose work runs on the main thread,
 * and on PostgreSQL, where the main thread also serializes every row.
 */
export class PrepareWorker {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (batch: PreparedBatch) => void; reject: (error: Error) => void }>();
  private failure: Error | null = null;

  constructor(fingerprintKey: Buffer, source: string, region: string) {
    this.worker = new Worker(BOOT, {
      eval: true,
      workerData: { tsx: import.meta.resolve('tsx/esm/api'), module: new URL('./report.prepare.worker.ts', import.meta.url).href, fingerprintKey, source, region },
    });
    this.worker.on('message', (message: { id: number; batch?: PreparedBatch; error?: { name: string; message: string; stack?: string } }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(Object.assign(new Error(message.error.message), message.error));
      else waiter?.resolve(revive(message.batch as PreparedBatch));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`The import's worker thread stopped (exit code ${code}).`)));
  }

  prepare(records: NumberedReport[]): Promise<PreparedBatch> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, records });
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
  }
}

/** Buffers arrive as plain Uint8Arrays: made Buffers again (keys are compared and hex-encoded). */
function revive(batch: PreparedBatch): PreparedBatch {
  const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (const r of batch.reports) {
    const same = r.independence === r.fingerprint;
    r.fingerprint = asBuffer(r.fingerprint);
    r.independence = same ? r.fingerprint : asBuffer(r.independence);
    r.contentHash = asBuffer(r.contentHash);
  }
  return batch;
}
