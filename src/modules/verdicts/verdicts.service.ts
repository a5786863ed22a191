import type { Kysely, Transaction } from 'kysely';
import type { VerdictPolicy } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit, readableAuditRows } from '../audit/audit.repository.js';
import { keysCoveredBy, reevaluateKeys } from '../clusters/clusters.repository.js';
import { buildProtectedSet, detectAll, IndicatorError, lookalikes, normalize, type Indicator, type IndicatorKind, type Lookalike, type ProtectedSet } from '../indicators/index.js';
import type { UrlDetails } from '../indicators/url.js';
import { normalizeGiven } from '../reports/report.intake.js';
import { lookupEntries, scopedEntry, type UrlScope } from './evidence-keys.js';
import { indicatorProfile, type IndicatorProfile } from './indicator-profile.repository.js';
import { LookupIndex } from './lookup-index.js';
import { RecentChecks, type RecentCheck } from './recent-checks.js';
import { decideVerdict, reportsLapseAt } from './verdict.engine.js';
import { DECISION, type Evidence, type Verdict } from './verdict.types.js';
import { lockChangeLog, refreshEvidence, rejudgeEvidence, type JudgeContext } from './verdicts.repository.js';
import {
  allEvidence,
  dueEntries,
  entryKeysAfter,
  evidenceChangesSince,
  evidenceOf,
  lastChangeSeq,
  savePolicy,
  storedPolicy,
  verdictChanges,
  verdictSnapshot,
  type VerdictChange,
  type VerdictFilter,
} from './verdict-log.repository.js';
import { listProtected, removeProtection, upsertDecision, upsertProtection, markCompromised, type ProtectedRow } from './officer.repository.js';

export interface CheckResult {
  input: string;
  kind: IndicatorKind;
  canonical: string;
  key: string;
  display: string;
  verdict: Verdict;
  lookalikes: Lookalike[];
  /** Other kinds the value is also valid as, with their own levels (`91234567`: a phone, or an FPS ID). */
  alternatives: { kind: IndicatorKind; key: string; level: Verdict['level'] }[];
  /** For an SMS sender ID, what the SMS sender registry says of it (when a registry is loaded). */
  registry?: RegistryAnswer;
}

/** What the SMS sender registry says of a sender ID, as a check shows it. */
export interface RegistryAnswer {
  status: 'registered' | 'suspended' | 'expired' | 'lookalike' | 'unregistered_hash' | 'not_registered';
  /** The registered sender it is, or imitates, and its organisation. */
  senderId?: string;
  organisation?: string;
  reasons: { code: string; en: string; 'zh-Hant': string }[];
}

/**
 * How many recently checked values keep their normal forms and serialized answer (a few KB each, tens of KB
 * for the longest links): the bytes are the configured SCAMGRAPH_CHECK_CACHE_MB. With them, a check route
 * serves several times as many requests (see README, benchmarks).
 */
const RECENT_CHECK_VALUES = 50_000;

export type DecisionLevel = 'high_risk' | 'suspicious' | 'cleared';
const DECISION_OF: Record<DecisionLevel, number> = { high_risk: DECISION.confirmed, suspicious: DECISION.downgraded, cleared: DECISION.cleared };
const LEVEL_RANK = { no_record: 0, suspicious: 1, high_risk: 2, verified: 3 } as const;

export interface CheckOptions {
  /** Officers and partners: exact counts and times (the public gets days and rounded counts). */
  exact?: boolean;
  /** Epoch seconds to judge at (tests); now by default. */
  now?: number;
}

export interface Target {
  value: string;
  kind?: IndicatorKind;
  /** For links: the link itself (default) or its whole site. */
  scope?: UrlScope;
}

/**
 * Verdicts: answered from the in-memory lookup index, kept current by following the change log; officers'
 * decisions and protections are written (with their audit row) in one transaction, then followed like any
 * other change.
 */
export class VerdictService {
  readonly index = new LookupIndex();
  private protectedNames = new Map<string, string>();
  /** Every protected entry's name, compromised ones too: a change to one makes answers naming it stale. */
  private protectedAll = new Map<string, string>();
  private protectedSet: ProtectedSet = buildProtectedSet([]);
  private timer: NodeJS.Timeout | null = null;
  private catchingUp: Promise<void> | null = null;
  private again = false;
  private readonly recent: RecentChecks;
  private senderRegistry: ((sender: string) => RegistryAnswer | null) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly policy: VerdictPolicy,
    private readonly region: string,
    private readonly auditKey: Buffer,
    /** Bulk export of the embedded database, for a fast index load (Storage.copyOut). */
    private readonly copyOut: ((select: string) => Promise<string>) | null = null,
    /** The memory the recent checks may take (SCAMGRAPH_CHECK_CACHE_MB). */
    recentCheckBytes = 128 * 1024 * 1024,
  ) {
    this.recent = new RecentChecks({ values: RECENT_CHECK_VALUES, bytes: recentCheckBytes });
  }

  /** Loads every entry's evidence, then whatever changed meanwhile. */
  async load(onProgress?: (loaded: number) => void): Promise<void> {
    await this.reloadProtected();
    const seq = await lastChangeSeq(this.db);
    let loaded = 0;
    for await (const page of allEvidence(this.db, this.copyOut)) {
      for (const e of page) this.index.set(e.entry, e);
      loaded += page.length;
      onProgress?.(loaded);
    }
    this.index.fit();
    this.index.seq = seq;
    await this.catchUp();
  }

  /** Applies change-log rows after the index's sequence number (one run at a time; a call meanwhile runs once more). */
  catchUp(): Promise<void> {
    if (this.catchingUp !== null) {
      this.again = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const changes = await evidenceChangesSince(this.db, this.index.seq, 10_000);
            if (changes.length === 0) break;
            let protectionChanged = false;
            for (const change of changes) {
              const before = this.index.get(change.entry);
              if ((before?.protection ?? 0) !== (change.evidence?.protection ?? 0)) protectionChanged = true;
              if ((this.protectedAll.get(change.entry) ?? null) !== change.protectedName) protectionChanged = true;
              this.index.set(change.entry, change.evidence);
              this.index.seq = change.seq;
              this.recent.noteChange(change.entry, change.seq);
            }
            if (protectionChanged) await this.reloadProtected();
          }
        } while (this.again);
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  /** Follows the change log by polling (every server on one database sees a change within `intervalMs`). */
  follow(intervalMs = 250): void {
    this.timer ??= setInterval(() => {
      this.catchUp().catch(() => undefined); // a failed poll is retried on the next tick
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Every protected entity, compromised ones included (the console's list). */
  /**
   * Lets checks of SMS sender IDs say what the registry says (sender-registry.service.ts); `assess` answers
   * null while no registry is loaded. Call `invalidateAnswers` when the registry changes.
   */
  useSenderRegistry(assess: (sender: string) => RegistryAnswer | null): void {
    this.senderRegistry = assess;
    this.recent.invalidateAll();
  }

  /** Makes every remembered answer stale (something every answer may name changed). */
  invalidateAnswers(): void {
    this.recent.invalidateAll();
  }

  listProtected(): Promise<ProtectedRow[]> {
    return listProtected(this.db);
  }

  /** Whether the register of SMS senders is loaded (protected `#NAME`s): without it, a `#` proves nothing either way. */
  knowsRegisteredSenders(): boolean {
    return this.protectedSet.senders.some((s) => s.value.startsWith('#'));
  }

  private async reloadProtected(): Promise<void> {
    const rows = await listProtected(this.db);
    this.protectedAll = new Map(rows.map((r) => [r.entry, r.name]));
    this.protectedNames = new Map(rows.filter((r) => r.compromisedAt === null).map((r) => [r.entry, r.name]));
    const names = rows.filter((r) => r.compromisedAt === null && (r.kind === 'domain' || r.kind === 'url' || r.kind === 'sms_sender')).map((r) => r.canonical);
    this.protectedSet = buildProtectedSet(names);
    this.recent.invalidateAll(); // names and look-alikes in any answer may have changed
  }

  /**
   * The verdict on one normalized indicator, from the index alone, with the entries it read and the time at
   * which report evidence among them lapses.
   */
  private judge(indicator: Indicator, now: number, exact: boolean): { verdict: Verdict; lookalikes: Lookalike[]; entries: string[]; until: number } {
    const entries = lookupEntries(indicator);
    const found: Evidence[] = [];
    let until = Infinity;
    for (const entry of entries) {
      const evidence = this.index.get(entry);
      if (evidence === null) continue;
      found.push(evidence);
      // An answer built at the very second evidence lapses is still fresh, and good for no longer.
      const lapse = reportsLapseAt(evidence, this.policy);
      if (lapse !== null && lapse >= now && lapse < until) until = lapse;
      if (evidence.feedUntil !== null && evidence.feedUntil > now && evidence.feedUntil < until) until = evidence.feedUntil;
    }
    let similar: Lookalike[] = [];
    if (this.protectedSet.domains.length > 0 && (indicator.kind === 'url' || indicator.kind === 'domain')) {
      similar = lookalikes(indicator.kind === 'url' ? (indicator.details as UrlDetails).host : indicator.canonical, this.protectedSet);
    } else if (this.protectedSet.senders.length > 0 && indicator.kind === 'sms_sender') {
      similar = lookalikes(indicator.canonical, this.protectedSet);
    }
    const verdict = decideVerdict({ found, ownEntry: entries[0] as string, lookalikes: similar, protectedNames: this.protectedNames, policy: this.policy, now, exact });
    return { verdict, lookalikes: verdict.level === 'verified' ? [] : similar, entries, until };
  }

  /**
   * Checks anything a person pasted. Without a kind, every kind the value is valid as is checked and the
   * worst answer leads (an FPS ID flagged as a payee must not hide behind the phone number it also is).
   */
  check(value: string, kind?: IndicatorKind, options: CheckOptions = {}): CheckResult {
    return this.answer(this.recentCheck(value, kind).candidates, value, options.now ?? Date.now() / 1000, options.exact === true).result;
  }

  /** The public check() serialized as JSON; a recent answer is reused while it is current. */
  checkJson(value: string, kind?: IndicatorKind): Buffer {
    const now = Date.now() / 1000;
    const recent = this.recentCheck(value, kind);
    const current = this.recent.currentBody(recent, this.index.seq, now);
    if (current !== null) return current;
    const { result, entries, until } = this.answer(recent.candidates, value, now, false);
    const body = Buffer.from(JSON.stringify(result));
    this.recent.answered(recent, { body, entries, until }, this.index.seq);
    return body;
  }

  /** The value's entry among recent checks, normalized (as every kind it is valid as, or the kind asked for). */
  private recentCheck(value: string, kind: IndicatorKind | undefined): RecentCheck {
    const key = `${kind ?? ''}\0${value}`;
    const recent = this.recent.get(key);
    if (recent !== undefined) return recent;
    const candidates = kind !== undefined ? [normalize(kind, value, { region: this.region })] : detectAll(value, { region: this.region }).matches;
    if (candidates.length === 0) {
      throw new IndicatorError('UNRECOGNIZED', 'This is not a phone number, link, e-mail, account, wallet or handle Scamgraph recognizes.');
    }
    return this.recent.add(key, candidates);
  }

  private answer(candidates: Indicator[], value: string, now: number, exact: boolean): { result: CheckResult; entries: string[]; until: number } {
    const judged = candidates.map((indicator) => ({ indicator, ...this.judge(indicator, now, exact) }));
    let lead = judged[0] as (typeof judged)[number];
    for (const j of judged) if (LEVEL_RANK[j.verdict.level] > LEVEL_RANK[lead.verdict.level]) lead = j;
    const result: CheckResult = {
      input: value,
      kind: lead.indicator.kind,
      canonical: lead.indicator.canonical,
      key: lead.indicator.key,
      display: lead.indicator.display,
      verdict: lead.verdict,
      lookalikes: lead.lookalikes,
      alternatives: judged.filter((j) => j !== lead).map((j) => ({ kind: j.indicator.kind, key: j.indicator.key, level: j.verdict.level })),
    };
    const registry = lead.indicator.kind === 'sms_sender' ? this.senderRegistry?.(lead.indicator.canonical) : null;
    if (registry != null) result.registry = registry;
    return { result, entries: judged.flatMap((j) => j.entries), until: Math.min(...judged.map((j) => j.until)) };
  }

  /**
   * The exact verdict (officers' and partners' view) over several indicators judged as one (a payee and the
   * phone number it is registered to), with the evidence found and the entries read; from the index alone.
   */
  assess(indicators: readonly Indicator[], now = Date.now() / 1000): { verdict: Verdict; evidence: Evidence[]; entries: string[] } {
    const entries = indicators.flatMap((indicator) => lookupEntries(indicator));
    const evidence: Evidence[] = [];
    for (const entry of entries) {
      const found = this.index.get(entry);
      if (found !== null) evidence.push(found);
    }
    const verdict = decideVerdict({ found: evidence, ownEntry: entries[0] as string, lookalikes: [], protectedNames: this.protectedNames, policy: this.policy, now, exact: true });
    return { verdict, evidence, entries };
  }

  /**
   * The same answer as check(), for a one-off process (the CLI): loads only the entries this value needs
   * from the database instead of the whole index.
   */
  async checkFromDatabase(value: string, kind?: IndicatorKind): Promise<CheckResult> {
    await this.reloadProtected();
    for (const indicator of this.recentCheck(value, kind).candidates) {
      for (const entry of lookupEntries(indicator)) this.index.set(entry, await evidenceOf(this.db, entry));
    }
    return this.check(value, kind);
  }

  /** The officers' view of a value: the public verdict, and the evidence, reports, correlation and history behind it. */
  async profile(value: string, kind?: IndicatorKind): Promise<{ check: CheckResult; profile: IndicatorProfile }> {
    const check = this.check(value, kind, { exact: true });
    const profile = await indicatorProfile(this.db, normalizeGiven(value, check.kind, this.region));
    return { check, profile: { ...profile, history: await readableAuditRows(this.db, this.auditKey, profile.history) } };
  }

  private target(target: Target, scope: UrlScope): { indicator: Indicator; entry: string } {
    const indicator = normalizeGiven(target.value, target.kind, this.region);
    const entry = scopedEntry(indicator, target.scope ?? scope);
    if (entry === null) {
      throw new AppError('SHARED_HOST', 'This host is shared by many unrelated sites (a link shortener, a platform or shared hosting); act on the exact link instead.');
    }
    return { indicator, entry };
  }

  /**
   * One officer action on one entry, in one transaction: the change itself, its audit row, the entry's
   * recomputed evidence (and change-log row); then this server's index catches up.
   */
  private async act(actor: string, entry: string, action: string, details: Record<string, unknown>, change: (trx: Transaction<Database>) => Promise<void>): Promise<{ entry: string }> {
    await this.db.transaction().execute(async (trx) => {
      // First: before the audit lock (the order every writer keeps), and before the change reads any row.
      await lockChangeLog(trx);
      await change(trx);
      await appendAudit(trx, this.auditKey, { actor, action, subject: entry, details });
      await refreshEvidence(trx, [entry], this.judgeContext());
    });
    await this.catchUp();
    return { entry };
  }

  /**
   * The public explanation of one entry's own evidence: no look-alikes, no site that covers it. What a
   * published indicator says about its entry, which changes only with a row of the change log.
   */
  explainEvidence(evidence: Evidence, now = Date.now() / 1000): Verdict {
    return decideVerdict({ found: [evidence], ownEntry: evidence.entry, lookalikes: [], protectedNames: this.protectedNames, policy: this.policy, now, exact: false });
  }

  /** What writers judge levels by: this deployment's policy, now. */
  judgeContext(now = Date.now() / 1000): JudgeContext {
    return { policy: this.policy, now };
  }

  /**
   * The verdict log after `seq`: every change of an entry's public level of the kinds and into or out of the
   * levels asked for. Partners' block lists, feeds and hashed lists follow it; a follower that keeps the
   * entries whose latest row has one of its levels holds exactly what snapshot() gives at the same sequence.
   */
  changesSince(seq: number, filter: VerdictFilter = {}, limit = 10_000): Promise<VerdictChange[]> {
    return verdictChanges(this.db, seq, filter, limit);
  }

  /** The verdict log's last sequence number (what a follower that has read everything holds). */
  logEnd(): Promise<number> {
    return lastChangeSeq(this.db);
  }

  /** The entries at the levels asked for now, with the sequence number to follow changesSince() from. */
  snapshot(filter: VerdictFilter = {}): ReturnType<typeof verdictSnapshot> {
    return verdictSnapshot(this.db, filter);
  }

  /**
   * The verdict clock: re-judges the entries whose reports lapsed or whose listing expired by `now`, and logs
   * the levels that changed. Servers run it every minute (src/jobs/verdict-clock.ts); any number of servers
   * may, as the change-log lock serializes them.
   */
  async applyDueChanges(now = Date.now() / 1000): Promise<number> {
    let changes = 0;
    for (;;) {
      const batch = await this.db.transaction().execute(async (trx) => {
        await lockChangeLog(trx);
        const due = await dueEntries(trx, new Date(now * 1000), 5_000);
        return { due: due.length, changes: due.length === 0 ? 0 : await refreshEvidence(trx, due, this.judgeContext(now)) };
      });
      changes += batch.changes;
      if (batch.due < 5_000) break;
    }
    if (changes > 0) await this.catchUp();
    return changes;
  }

  /**
   * Re-judges every entry when the policy (thresholds, decay) differs from the one the stored levels were
   * judged by, and logs the levels that moved, so followers learn what a threshold change did.
   */
  async applyPolicy(onProgress?: (entries: number) => void): Promise<number> {
    const policy = JSON.stringify(this.policy);
    if ((await storedPolicy(this.db)) === policy) return 0;
    let changes = 0;
    let entries = 0;
    const ctx = this.judgeContext();
    for (let after = ''; ; ) {
      const keys = await entryKeysAfter(this.db, after, 5_000);
      if (keys.length === 0) break;
      changes += await this.db.transaction().execute((trx) => rejudgeEvidence(trx, keys, ctx));
      entries += keys.length;
      onProgress?.(entries);
      after = keys[keys.length - 1] as string;
    }
    await this.db.transaction().execute((trx) => savePolicy(trx, policy));
    if (changes > 0) await this.catchUp();
    return changes;
  }

  /** An officer confirms (high risk), downgrades (suspicious) or clears an entry, with a reason; audited. */
  async decide(actor: string, target: Target, level: DecisionLevel, reason: string): Promise<{ entry: string }> {
    const { indicator, entry } = this.target(target, 'url');
    return this.act(actor, entry, 'indicator.decide', { level, reason, kind: indicator.kind }, (trx) =>
      upsertDecision(trx, { entry, kind: indicator.kind, canonical: indicator.canonical, level: DECISION_OF[level], reason, actor }),
    );
  }

  /** Registers a legitimate entity (a bank's domain, hotline or SMS sender ID); links protect their whole site. */
  async protect(actor: string, target: Target, name: string): Promise<{ entry: string }> {
    const { indicator, entry } = this.target(target, 'host');
    const canonical = indicator.kind === 'url' ? (indicator.details as UrlDetails).host : indicator.canonical;
    const kind = indicator.kind === 'url' ? 'domain' : indicator.kind;
    // act() takes the change-log lock first: no report storing meanwhile adds a key on this site the
    // re-evaluation misses.
    const result = await this.act(actor, entry, 'protected.add', { name, kind }, async (trx) => {
      await upsertProtection(trx, { entry, kind, canonical, name, actor });
      // A protected entity links no reports: the clusters it held together split.
      await reevaluateKeys(trx, await keysCoveredBy(trx, entry));
    });
    return result;
  }

  /** Records that a protected entity was compromised (it stops being verified) or removes the protection. */
  async unprotect(actor: string, target: Target, how: 'compromised' | 'removed', reason: string): Promise<{ entry: string }> {
    const { entry } = this.target(target, 'host');
    const action = how === 'compromised' ? 'protected.compromised' : 'protected.remove';
    return this.act(actor, entry, action, { reason }, async (trx) => {
      const changed = how === 'compromised' ? await markCompromised(trx, entry, reason) : await removeProtection(trx, entry);
      if (!changed) throw new AppError('NOT_FOUND', 'This is not a protected entity.');
      // A compromised entity still links nothing (a spoofed bank number is shown by many unrelated callers);
      // a removed one correlates again.
      if (how === 'removed') await reevaluateKeys(trx, await keysCoveredBy(trx, entry));
    });
  }
}
