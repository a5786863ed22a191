import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { addUsage, callsOn, type UsageRow } from './partners.repository.js';
import type { PartnerIdentity } from './partner.types.js';

const FLUSH_MS = 60_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export type Admission = { admitted: true } | { admitted: false; code: 'RATE_LIMITED' | 'QUOTA_EXCEEDED'; retryAfterSeconds: number };

/** The UTC day of `now` as YYYY-MM-DD, remembered for the day: every partner call asks. */
let memoDay = { start: 0, text: '1970-01-01' };
function dayOf(now: number): string {
  const start = now - (now % DAY_MS);
  if (start !== memoDay.start) memoDay = { start, text: new Date(start).toISOString().slice(0, 10) };
  return memoDay.text;
}

/**
 * Limits and counts partners' calls per organisation, never per address (a bank's calls come from a few
 * gateways). The per-minute limit is each node's own (a fixed window in memory); the daily quota is shared:
 * calls other nodes flushed, re-read every minute, plus this node's not yet flushed. Counts go to
 * partner_usage per organisation, UTC day and route every minute and on close: numbers only, never what
 * was checked.
 */
export class PartnerMeter {
  private readonly windows = new Map<number, { start: number; count: number }>();
  private pending = new Map<string, UsageRow>();
  /** Today's calls per organisation as flushed by every node (as of the last flush), and the day they are of. */
  private flushedToday = new Map<number, number>();
  private flushedDay = '';
  /** This node's calls since its last flush, per organisation and day (`id\0day`). */
  private unflushed = new Map<string, number>();
  /** Calls written to the database but not yet in `flushedToday` (its re-read is still to come, or failed). */
  private inFlight = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  /** Whether this call may run now; a refusal is counted too. */
  admit(identity: PartnerIdentity, route: string, now = Date.now()): Admission {
    const org = identity.organisation;
    const start = now - (now % MINUTE_MS);
    let window = this.windows.get(org.id);
    if (window === undefined || window.start !== start) this.windows.set(org.id, (window = { start, count: 0 }));
    window.count += 1;
    if (org.requestsPerMinute > 0 && window.count > org.requestsPerMinute) {
      this.count(org.id, route, true, now);
      return { admitted: false, code: 'RATE_LIMITED', retryAfterSeconds: Math.ceil((start + MINUTE_MS - now) / 1000) };
    }
    if (org.dailyQuota > 0 && this.callsToday(org.id, now) >= org.dailyQuota) {
      this.count(org.id, route, true, now);
      return { admitted: false, code: 'QUOTA_EXCEEDED', retryAfterSeconds: Math.ceil((now - (now % DAY_MS) + DAY_MS - now) / 1000) };
    }
    this.count(org.id, route, false, now);
    return { admitted: true };
  }

  private callsToday(organisationId: number, now: number): number {
    const day = dayOf(now);
    const flushed = this.flushedDay === day ? (this.flushedToday.get(organisationId) ?? 0) : 0;
    const orgDay = `${organisationId}\0${day}`;
    return flushed + (this.unflushed.get(orgDay) ?? 0) + (this.inFlight.get(orgDay) ?? 0);
  }

  private count(organisationId: number, route: string, refused: boolean, now: number): void {
    const day = dayOf(now);
    const id = `${organisationId}\0${day}\0${route}`;
    let row = this.pending.get(id);
    if (row === undefined) this.pending.set(id, (row = { organisationId, day, route, calls: 0, refused: 0 }));
    if (refused) row.refused += 1;
    else {
      row.calls += 1;
      const orgDay = `${organisationId}\0${day}`;
      this.unflushed.set(orgDay, (this.unflushed.get(orgDay) ?? 0) + 1);
    }
  }

  /** Adds the counted calls to the database and re-reads today's totals of every node. */
  flush(now = Date.now()): Promise<void> {
    this.flushing ??= (async () => {
      try {
        const rows = [...this.pending.values()];
        this.pending = new Map();
        const sent = this.unflushed;
        this.unflushed = new Map();
        for (const [orgDay, n] of sent) this.inFlight.set(orgDay, (this.inFlight.get(orgDay) ?? 0) + n);
        try {
          await addUsage(this.db, rows);
        } catch (error) {
          // Kept for the next flush: a lost count would let a partner past its quota.
          for (const row of rows) {
            const id = `${row.organisationId}\0${row.day}\0${row.route}`;
            const later = this.pending.get(id);
            this.pending.set(id, later === undefined ? row : { ...row, calls: row.calls + later.calls, refused: row.refused + later.refused });
          }
          for (const [orgDay, n] of sent) {
            this.unflushed.set(orgDay, (this.unflushed.get(orgDay) ?? 0) + n);
            const left = (this.inFlight.get(orgDay) ?? 0) - n;
            if (left > 0) this.inFlight.set(orgDay, left);
            else this.inFlight.delete(orgDay);
          }
          throw error;
        }
        const day = dayOf(now);
        // Until the totals are read back, the calls just written still count here (a failed read keeps them).
        this.flushedToday = await callsOn(this.db, day);
        this.flushedDay = day;
        this.inFlight = new Map();
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** Flushes every minute until closed (servers). */
  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(() => undefined), FLUSH_MS);
    this.timer.unref();
  }

  /** Stops the timer and writes every count, also those made while a flush was under way. */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    do await this.flush();
    while (this.pending.size > 0);
  }
}
