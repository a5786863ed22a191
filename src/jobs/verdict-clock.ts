import type { VerdictService } from '../modules/verdicts/verdicts.service.js';

/** The error's code or class only: a database error's message may quote a stored value. */
function reportToStderr(error: unknown): void {
  const { code, name } = error as { code?: unknown; name?: unknown };
  process.stderr.write(`scamgraph: the verdict clock failed (${String(code ?? name ?? 'error')}); it runs again in a minute.\n`);
}

/**
 * The verdict clock: once a minute, the entries whose reports lapsed or whose listings expired are re-judged
 * and their new levels logged, so that a follower of the verdict log learns that a number stopped being high
 * risk (answers are right at once anyway: the lookup index judges by the time of the question). Every
 * server may run it; the change-log lock makes the second one find nothing due.
 */
export class VerdictClock {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly verdicts: VerdictService,
    /** Told of every failed run: a clock that keeps failing must not go unnoticed. */
    private readonly onError: (error: unknown) => void = reportToStderr,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick(); // whatever fell due while no server ran
  }

  /** One run (at most one at a time); a failure is retried on the next tick. */
  tick(): Promise<unknown> {
    this.running ??= this.verdicts
      .applyDueChanges()
      .catch((error: unknown) => {
        this.onError(error);
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
