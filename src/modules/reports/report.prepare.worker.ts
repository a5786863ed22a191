// The worker thread of PrepareWorker: prepares the batches it is sent, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { ReportPreparer, type NumberedReport } from './report.prepare.js';

const { fingerprintKey, source, region } = workerData as { fingerprintKey: Uint8Array; source: string; region: string };
const preparer = new ReportPreparer(Buffer.from(fingerprintKey), source, region);

parentPort?.on('message', ({ id, records }: { id: number; records: NumberedReport[] }) => {
  try {
    parentPort?.postMessage({ id, batch: preparer.prepareBatch(records) });
  } catch (error) {
    const { name, message, stack } = error as Error;
    parentPort?.postMessage({ id, error: { name, message, stack } });
  }
});
