import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { addCheckCounts } from './check-counts.repository.js';

/** How often counted checks are added to the database. */
const FLUSH_MS = 60_000;

/**
 * Counts public checks per day for the hub's stats: a number per UTC day and nothing about what was checked
 * or by whom. Counted in memory (a write per check would cost more than the check) and added to the day's
 * row every minute and on close; several servers add to the same rows.
 */
export class CheckCounter {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** The current UTC day and its count, kept apart so that a check costs a clock read and an addition. */
  private day = '';
  private dayEnds = 0;
  private today = 0;

  constructor(private readonly db: Kysely<Database>) {}

  add(n = 1, now = Date.now()): void {
    if (now >= this.dayEnds || now < this.dayEnds - 86_400_000) this.turnDay(now);
    this.today += n;
  }

  private turnDay(now: number): void {
    this.settleToday();
    const start = now - (now % 86_400_000);
    this.day = new Date(start).toISOString().slice(0, 10);
    this.dayEnds = start + 86_400_000;
  }

  private settleToday(): void {
    if (this.today > 0) this.pending.set(this.day, (this.pending.get(this.day) ?? 0) + this.today);
    this.today = 0;
  }

  /** Flushes every minute until closed (servers; a CLI process flushes once on close). */
  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(() => undefined), FLUSH_MS).unref();
  }

  async flush(): Promise<void> {
    this.settleToday();
    if (this.pending.size === 0) return;
    const counts = this.pending;
    this.pending = new Map();
    try {
      await addCheckCounts(this.db, counts);
    } catch (error) {
      // Kept for the next flush rather than lost.
      for (const [day, n] of counts) this.pending.set(day, (this.pending.get(day) ?? 0) + n);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
