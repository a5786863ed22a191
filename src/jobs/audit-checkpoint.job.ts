import type { Checkpoint } from '../modules/audit/checkpoint.js';

/** What the job needs of the audit service. */
export interface CheckpointPublisher {
  publish(): Promise<Checkpoint>;
}

export interface ScheduledJob {
  /** Stops the schedule and waits for a run under way. */
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint of the audit log at once and then every `intervalMs` (serve starts it). A run that
 * fails (the log does not verify, the key cannot be read) is reported to `onError` and tried again on the
 * next tick: a damaged log is never signed, and it is said so every interval until someone looks.
 */
export function startCheckpointJob(audit: CheckpointPublisher, intervalMs: number, onError: (error: unknown) => void, onPublished: (checkpoint: Checkpoint) => void = () => undefined): ScheduledJob {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = (): void => {
    // One run at a time: a tick while a slow walk of a long log is under way is skipped, not queued.
    if (stopped || running !== null) return;
    running = (async () => {
      try {
        onPublished(await audit.publish());
      } catch (error) {
        onError(error);
      } finally {
        running = null;
      }
    })();
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
