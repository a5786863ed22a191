import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { keysCoveredBy, reevaluateKeys } from '../clusters/clusters.repository.js';
import { normalizeSmsSender } from '../indicators/sms-sender.js';
import { removeProtection, upsertProtection } from '../verdicts/officer.repository.js';
import { lockChangeLog, refreshEvidence, type JudgeContext } from '../verdicts/verdicts.repository.js';
import { entryState, hongKongDay, RegistryView } from './registry-view.js';
import { assessSender } from './sender-assessment.js';
import { parseSenderRegistryCsv, SenderRegistryCsvError } from './sender-registry-csv.js';
import { protectionStates, registryEntries, registryEntriesAfter, registryEntriesByKey, registrySeq, touchRegistryEntries, updateRegistryStatus, upsertRegistryEntries } from './sender-registry.repository.js';
import type { RegistryEntry, RegistryStatus, SenderAssessment, StoredRegistryEntry } from './sender-registry.types.js';

/** What the registry needs of the verdicts: their judging context, and this node's index catching up after a write. */
export interface VerdictsFollower {
  catchUp(): Promise<void>;
  judgeContext(): JudgeContext;
}

/** What an import did. The same file twice: everything `unchanged` and `changed` false the second time. */
export interface RegistryImportResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Sender IDs that became verified (protected) or stopped being so. */
  protected: string[];
  unprotected: string[];
  changed: boolean;
}

export interface StatusChange {
  entry: StoredRegistryEntry;
  changed: boolean;
}

/** The audit subject of the registry as a whole (imports, date changes); an entry's own changes name its key. */
const REGISTRY_SUBJECT = 'sms_sender_registry';

function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 500) throw new AppError('VALIDATION_FAILED', 'A reason of 3 to 500 characters is needed: it goes into the audit log.');
  return trimmed;
}

/** The indicator key of a sender ID, which its protected entity and evidence are stored under. */
function keyOf(senderId: string): { key: string; canonical: string } {
  const indicator = normalizeSmsSender(senderId.trim());
  return { key: indicator.key, canonical: indicator.canonical };
}

const sameEntry = (a: RegistryEntry, b: RegistryEntry): boolean =>
  a.senderId === b.senderId && a.organisation === b.organisation && a.status === b.status && a.registeredOn === b.registeredOn && a.expiresOn === b.expiresOn;

/**
 * The SMS Sender Registry: imported from the scheme's CSV, managed by administrators, every change audited
 * with its reason. A registered sender in force is a protected entity named after its organisation, so a
 * check of `#HSBC` says verified; suspension, expiry or a registration not yet started removes it. The
 * protection changes in the same transaction as the registry, on the path officers' "protect" takes (change-log
 * lock, protection, clusters re-evaluated, audit row, evidence refreshed with its change-log row), and this
 * node's lookup index then catches up. Checks are answered from a RegistryView in memory, rebuilt after writes.
 */
export class SenderRegistryService {
  private registry = new RegistryView([]);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly verdicts: VerdictsFollower,
    private readonly auditKey: Buffer,
    /** Called when the view is rebuilt: answers that named the registry's old state are stale. */
    private readonly onViewChanged: () => void = () => undefined,
  ) {}

  /** Builds the view from the stored registry. */
  async load(): Promise<void> {
    const seq = await registrySeq(this.db);
    this.registry = new RegistryView(await registryEntries(this.db), seq);
    this.onViewChanged();
  }

  /** Rebuilds the view when another node (or process) wrote since it was built: one `max(seq)` read otherwise. */
  async refresh(): Promise<void> {
    if ((await registrySeq(this.db)) !== this.registry.seq) await this.load();
  }

  /** Follows other nodes' writes by polling (a registry changes a few times a day; a few seconds' lag is fine). */
  follow(intervalMs = 5_000): void {
    this.timer ??= setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The registry in memory, as of the last load or write. */
  view(): RegistryView {
    return this.registry;
  }

  /** Every entry, in sender ID order. */
  list(): Promise<StoredRegistryEntry[]> {
    return registryEntries(this.db);
  }

  /** The entries written after `seq` (each with its own `seq`, oldest first): what a telco's feed follows. */
  changesSince(seq: number, limit = 10_000): Promise<StoredRegistryEntry[]> {
    return registryEntriesAfter(this.db, seq, limit);
  }

  /** What the registry says of a sender ID at `now`, from the view in memory (see assessSender). */
  assess(sender: string, now = new Date()): SenderAssessment {
    return assessSender(sender, this.registry, now);
  }

  /** assess() for a one-off process (the CLI): reads the stored registry first if it moved on. */
  async check(sender: string, now = new Date()): Promise<SenderAssessment> {
    await this.refresh();
    return this.assess(sender, now);
  }

  /**
   * Imports a registry file: all of it or, when any row is bad, none (SenderRegistryCsvError lists every bad
   * row). Rows are added or updated by sender ID; entries not in the file are left as they are (a registration
   * ends by suspension or its date, never by a row missing from a partial file). One transaction and one audit
   * row; a file that changes nothing writes nothing, audit included.
   */
  async importCsv(actor: string, text: string, reason: string, now = new Date()): Promise<RegistryImportResult> {
    const why = checkReason(reason);
    const parsed = parseSenderRegistryCsv(text);
    if (parsed.errors.length > 0) throw new SenderRegistryCsvError(parsed.errors);
    const rows = parsed.rows.map(({ line: _line, ...entry }) => ({ ...entry, key: keyOf(entry.senderId).key }));
    const result = await this.db.transaction().execute(async (trx) => {
      // First, as every writer of protections: before the audit lock, and before anything is read.
      await lockChangeLog(trx);
      const stored = await registryEntriesByKey(trx, rows.map((r) => r.key));
      const added = rows.filter((r) => !stored.has(r.key));
      const updated = rows.filter((r) => stored.has(r.key) && !sameEntry(r, stored.get(r.key) as RegistryEntry));
      await upsertRegistryEntries(trx, [...added, ...updated]);
      const sync = await this.syncProtection(trx, actor, rows, hongKongDay(now));
      const counts = { added: added.length, updated: updated.length, unchanged: rows.length - added.length - updated.length };
      const changed = added.length + updated.length + sync.protected.length + sync.unprotected.length + sync.renamed.length > 0;
      if (!changed) return { ...counts, protected: [], unprotected: [], changed };
      await appendAudit(trx, this.auditKey, {
        actor,
        action: 'sender_registry.import',
        subject: REGISTRY_SUBJECT,
        details: { reason: why, ...counts, added: added.map((r) => r.senderId), updated: updated.map((r) => r.senderId), protected: sync.protected, unprotected: sync.unprotected, renamed: sync.renamed },
      });
      await refreshEvidence(trx, sync.entries, this.verdicts.judgeContext());
      return { ...counts, protected: sync.protected, unprotected: sync.unprotected, changed };
    });
    if (result.changed) await this.afterWrite();
    return result;
  }

  /**
   * Suspends or reinstates one registered sender (an administrator's decision, with a reason): audited, and its
   * protection follows in the same transaction. Setting the status it has changes nothing and says so.
   */
  async setStatus(actor: string, senderId: string, status: RegistryStatus, reason: string, now = new Date()): Promise<StatusChange> {
    const why = checkReason(reason);
    const { key } = keyOf(senderId);
    const result = await this.db.transaction().execute(async (trx) => {
      await lockChangeLog(trx);
      const before = (await registryEntriesByKey(trx, [key])).get(key);
      if (before === undefined) throw new AppError('NOT_FOUND', `${senderId.trim().slice(0, 40)} is not in the SMS Sender Registry.`);
      if (before.status === status) return { entry: before, changed: false };
      await updateRegistryStatus(trx, key, status);
      const sync = await this.syncProtection(trx, actor, [{ ...before, status }], hongKongDay(now));
      await appendAudit(trx, this.auditKey, {
        actor,
        action: status === 'suspended' ? 'sender_registry.suspend' : 'sender_registry.reinstate',
        subject: key,
        details: { reason: why, senderId: before.senderId, from: before.status, to: status, protected: sync.protected.length > 0, unprotected: sync.unprotected.length > 0 },
      });
      await refreshEvidence(trx, sync.entries, this.verdicts.judgeContext());
      return { entry: (await registryEntriesByKey(trx, [key])).get(key) as StoredRegistryEntry, changed: true };
    });
    if (result.changed) await this.afterWrite();
    return result;
  }

  /**
   * Brings protections in line with registration dates at `now`: a registration that started is verified, one
   * that ended is not. Dates pass without a write, so a daily job (or the verdict clock) calls this; audited as
   * `system` when anything changed. Returns the sender IDs protected and unprotected.
   */
  async applyDates(now = new Date(), actor = 'system'): Promise<{ protected: string[]; unprotected: string[] }> {
    const day = hongKongDay(now);
    const result = await this.db.transaction().execute(async (trx) => {
      await lockChangeLog(trx);
      const sync = await this.syncProtection(trx, actor, await registryEntries(trx), day);
      if (sync.entries.length === 0) return sync;
      await touchRegistryEntries(trx, sync.entries);
      await appendAudit(trx, this.auditKey, {
        actor,
        action: 'sender_registry.dates',
        subject: REGISTRY_SUBJECT,
        details: { reason: `registration dates as of ${day} (Hong Kong)`, protected: sync.protected, unprotected: sync.unprotected },
      });
      await refreshEvidence(trx, sync.entries, this.verdicts.judgeContext());
      return sync;
    });
    if (result.entries.length > 0) await this.afterWrite();
    return { protected: result.protected, unprotected: result.unprotected };
  }

  /**
   * Makes these entries' protections what the registry says on `day`: protected with the organisation's name
   * while in force, not protected otherwise. A protection an officer marked compromised stays so while the
   * registration is in force: that finding is the officers' to undo, not an import's.
   */
  private async syncProtection(
    trx: Transaction<Database>,
    actor: string,
    entries: readonly RegistryEntry[],
    day: string,
  ): Promise<{ protected: string[]; unprotected: string[]; renamed: string[]; entries: string[] }> {
    const keyed = entries.map((e) => ({ entry: e, ...keyOf(e.senderId) }));
    const current = await protectionStates(trx, keyed.map((k) => k.key));
    const out = { protected: [] as string[], unprotected: [] as string[], renamed: [] as string[], entries: [] as string[] };
    for (const { entry, key, canonical } of keyed) {
      const held = current.get(key);
      if (entryState(entry, day) === 'in_force') {
        if (held?.compromised === true || held?.name === entry.organisation) continue;
        await upsertProtection(trx, { entry: key, kind: 'sms_sender', canonical, name: entry.organisation, actor });
        (held === undefined ? out.protected : out.renamed).push(entry.senderId);
      } else {
        // An officer's compromise finding outlives a suspension: it verifies nothing, and a reinstatement
        // must not wash it out by protecting the sender afresh.
        if (held === undefined || held.compromised || !(await removeProtection(trx, key))) continue;
        out.unprotected.push(entry.senderId);
      }
      out.entries.push(key);
    }
    // A protected sender links no reports (the clusters it held together split); an unprotected one links again.
    const covered: string[] = [];
    for (const key of out.entries) covered.push(...(await keysCoveredBy(trx, key)));
    await reevaluateKeys(trx, covered);
    return out;
  }

  private async afterWrite(): Promise<void> {
    await this.load();
    await this.verdicts.catchUp();
  }
}
