import type { RetentionRun } from '../modules/retention/retention.service.js';
import type { ScheduledJob } from './audit-checkpoint.job.js';

/** What the job needs of the retention service. */
export interface RetentionRunner {
  run(actor: string): Promise<RetentionRun>;
}

/**
 * Applies the retention schedule an hour after start and then every `intervalMs` (serve starts it; a day by
 * default). Every node may run it: the run takes a database lock, so one node does the work and the others
 * find it taken. A failed run is reported to `onError` and tried again on the next tick.
 */
export function startRetentionJob(retention: RetentionRunner, intervalMs: number, onError: (error: unknown) => void, onRun: (run: RetentionRun) => void = () => undefined): ScheduledJob {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = (): void => {
    if (stopped || running !== null) return;
    running = (async () => {
      try {
        onRun(await retention.run('system'));
      } catch (error) {
        onError(error);
      } finally {
        running = null;
      }
    })();
  };
  // Not at once: a server restarted in a loop must not run the schedule at every start.
  const first = setTimeout(run, Math.min(intervalMs, 3_600_000));
  first.unref();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
