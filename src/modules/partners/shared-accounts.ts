import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { lockSharedAccounts, sharedBy, sharedSince, upsertShared, withdrawShared, type SharedAccountRow } from './shared-accounts.repository.js';

/** Why a bank suspects an account (after the categories banks use for mule accounts). */
export const SHARE_REASONS = ['mule_account', 'received_scam_funds', 'account_takeover', 'false_identity', 'victim_reported', 'other'] as const;
export type ShareReason = (typeof SHARE_REASONS)[number];
export const SHARE_CONFIDENCES = ['low', 'medium', 'high'] as const;

/**
 * Accounts and payment proxies banks share with each other as suspected mule accounts. Each node keeps
 * which banks share each entry in memory (the payee check reads it per call) and follows the table's `seq`.
 * One bank counts once per entry however often it shares it. Shares are evidence for partners only: the
 * public check does not read them; an officer who confirms the value makes it public.
 */
export class SharedAccounts {
  private readonly banks = new Map<string, Set<number>>();
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private catching: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
  ) {}

  /** Distinct organisations sharing any of these entries now. */
  banksReporting(entries: readonly string[]): number {
    if (entries.length === 1) return this.banks.get(entries[0] as string)?.size ?? 0;
    const all = new Set<number>();
    for (const entry of entries) for (const org of this.banks.get(entry) ?? []) all.add(org);
    return all.size;
  }

  /** Applies every change after the copy's sequence number (at start: all); a call meanwhile runs once more after it. */
  catchUp(): Promise<void> {
    if (this.catching !== null) {
      this.again = true; // the running catch-up reads once more before it resolves
      return this.catching;
    }
    this.catching = (async () => {
      try {
        do {
          this.again = false;
          await this.readChanges();
        } while (this.again);
      } finally {
        this.catching = null;
      }
    })();
    return this.catching;
  }

  private async readChanges(): Promise<void> {
    for (;;) {
      const rows = await sharedSince(this.db, this.seq, 10_000);
      for (const row of rows) {
        let orgs = this.banks.get(row.entry);
        if (row.withdrawn_at === null) {
          if (orgs === undefined) this.banks.set(row.entry, (orgs = new Set()));
          orgs.add(row.organisation_id);
        } else if (orgs !== undefined) {
          orgs.delete(row.organisation_id);
          if (orgs.size === 0) this.banks.delete(row.entry);
        }
        this.seq = row.seq;
      }
      if (rows.length < 10_000) break;
    }
  }

  follow(intervalMs = 250): void {
    this.timer ??= setInterval(() => void this.catchUp().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Shares and withdraws one organisation's accounts in one transaction, audited as counts (never the values). */
  async change(organisation: { id: number; name: string }, share: SharedAccountRow[], withdraw: string[]): Promise<{ shared: number; withdrawn: number }> {
    const entries = new Set<string>();
    for (const e of [...share.map((r) => r.entry), ...withdraw]) {
      if (entries.has(e)) throw new AppError('VALIDATION_FAILED', 'An account appears twice in one request (shared twice, or shared and withdrawn).');
      entries.add(e);
    }
    const result = await this.db.transaction().execute(async (trx) => {
      await lockSharedAccounts(trx);
      const shared = await upsertShared(trx, organisation.id, share);
      const withdrawn = await withdrawShared(trx, organisation.id, withdraw);
      await appendAudit(trx, this.auditKey, { actor: `partner:${organisation.name}`, action: 'accounts.share', subject: `organisation:${organisation.name}`, details: { shared, withdrawn } });
      return { shared, withdrawn };
    });
    await this.catchUp();
    return result;
  }

  /** The organisation's own live shares. */
  list(organisationId: number, limit = 1000, after?: number) {
    return sharedBy(this.db, organisationId, limit, after);
  }
}
