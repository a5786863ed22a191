import type { Webhooks } from '../modules/partners/webhooks.js';

/** The error's code or class only: a database error's message may quote a stored value. */
function reportToStderr(error: unknown): void {
  const { code, name } = error as { code?: unknown; name?: unknown };
  process.stderr.write(`scamgraph: webhook delivery failed (${String(code ?? name ?? 'error')}); it runs again in a second.\n`);
}

/**
 * Drives partners' webhooks inside `serve`: every second (and when told of a verdict change) it moves new
 * verdict-log rows into the outbox and sends what is due. Any number of servers may run it: subscriptions are
 * locked while enqueued and deliveries claimed before they are sent.
 */
export class WebhookDelivery {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly webhooks: Webhooks,
    private readonly onError: (error: unknown) => void = reportToStderr,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** One run at a time; a call meanwhile runs once more after it. */
  tick(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.webhooks.enqueue();
          while ((await this.webhooks.deliverDue()) === 50);
        } while (this.again);
      } catch (error) {
        this.onError(error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
