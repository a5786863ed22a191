import type { VerdictPolicy } from '../../config.js';
import type { Lookalike } from '../indicators/index.js';
import { scamTypesOf } from '../reports/taxonomy.js';
import { entryLabel, isCoverageEntry } from './evidence-keys.js';
import { ADVICE, headlineOf, reasonMessage, type ReasonParams } from './verdict.texts.js';
import { DECISION, PROTECTION, RISK, type Evidence, type Reason, type ReasonCode, type Verdict, type VerdictLevel } from './verdict.types.js';

const RANK: Record<VerdictLevel, number> = { no_record: 0, suspicious: 1, high_risk: 2, verified: 3 };
const DAY = 86_400;

export interface VerdictInput {
  /** Evidence for each entry covering the value that has any, most specific first. */
  found: Evidence[];
  /** The most specific entry for the value itself: reasons about any other entry name what they cover. */
  ownEntry: string;
  lookalikes: Lookalike[];
  /** Names of protected entries (`urlx:hsbc.com.hk/` → HSBC). */
  protectedNames: ReadonlyMap<string, string>;
  policy: VerdictPolicy;
  /** Epoch seconds. */
  now: number;
  /**
   * Officers and partners get exact counts and times; the public (the default) gets days and counts rounded
   * down to 1, 2, 5, 10, 20, 50, …, so that nobody can watch reports about a value arrive one by one.
   */
  exact?: boolean;
}

const isoDate = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());
const day = (seconds: number | null): string | null => isoDate(seconds)?.slice(0, 10) ?? null;

/** The largest of 1, 2, 5, 10, 20, 50, 100, … not above `n` (0 stays 0). */
export function roundedCount(n: number): number {
  let rounded = 0;
  for (let step = 1; step <= n; step *= 10) for (const m of [1, 2, 5]) if (m * step <= n) rounded = m * step;
  return rounded;
}

/** Reporters that count as independent of each other: distinct reporters on distinct costly signals. */
export const independentReporters = (e: Evidence): number => Math.min(e.reportCount, e.sourceCount);

/** Whether a feed listing counts at `now` (it stops counting at the second it expires). */
const feedActive = (e: Evidence, now: number): boolean => e.feedLevel !== RISK.none && (e.feedUntil === null || now < e.feedUntil);

/**
 * When an entry's report evidence lapses (epoch seconds; still fresh at that very second): `decayDays` after
 * the last report. Null when no report counts for it.
 */
export function reportsLapseAt(e: Evidence, policy: VerdictPolicy): number | null {
  return e.reportCount > 0 && e.lastReport !== null ? e.lastReport + policy.decayDays * DAY : null;
}

function reason(code: ReasonCode, params: ReasonParams, extra: Omit<Reason, 'code' | 'message'> = {}): Reason {
  return { code, message: reasonMessage(code, params), ...extra };
}

/**
 * When time alone may next change an entry's level (epoch seconds): its reports lapsing or its listing
 * expiring, whichever comes first after `now`; null when nothing is pending. The verdict clock re-judges the
 * entry then and logs the change.
 */
export function nextChangeAt(e: Evidence, policy: VerdictPolicy, now: number): number | null {
  // A stored listing already expired (judged late: a migration, or imports with no server's clock running):
  // due at once, so that the evidence is recomputed from the listings still in force.
  if (e.feedLevel !== RISK.none && e.feedUntil !== null && e.feedUntil <= now) return now;
  let next: number | null = null;
  const lapse = reportsLapseAt(e, policy);
  // Fresh at the lapse second itself: the level changes the second after.
  if (lapse !== null && lapse + 1 > now) next = lapse + 1;
  if (e.feedLevel !== RISK.none && e.feedUntil !== null && e.feedUntil > now && (next === null || e.feedUntil < next)) next = e.feedUntil;
  return next;
}

/** The public level of one entry on its own evidence: what the verdict log records for it. */
export function entryLevel(e: Evidence, policy: VerdictPolicy, now: number): VerdictLevel {
  return judgeEntry(e, { found: [e], ownEntry: e.entry, lookalikes: [], protectedNames: new Map(), policy, now, exact: true }).level;
}

/** The level and reasons one entry's evidence supports on its own. */
function judgeEntry(e: Evidence, input: VerdictInput): { level: VerdictLevel; reasons: Reason[] } {
  // A site entry for the root link itself (`urlx:evil.com/` when checking https://evil.com/) is about the value.
  const own = entryLabel(e.entry) === entryLabel(input.ownEntry);
  const covers = own ? undefined : entryLabel(e.entry);
  const site = covers !== undefined && isCoverageEntry(e.entry) ? covers.replace(/\/$/, '') : undefined;
  const base: ReasonParams = site === undefined ? {} : { site };
  const extra = covers === undefined ? {} : { covers };
  const protectedName = input.protectedNames.get(e.entry) ?? entryLabel(e.entry);
  if (e.protection === PROTECTION.verified) return { level: 'verified', reasons: [reason('PROTECTED_ENTITY', { protectedName }, extra)] };

  const reasons: Reason[] = [];
  let level: VerdictLevel = 'no_record';
  const raise = (to: VerdictLevel): void => {
    if (RANK[to] > RANK[level]) level = to;
  };
  const since = isoDate(e.decidedAt)?.slice(0, 10) ?? '';
  if (e.protection === PROTECTION.compromised) {
    reasons.push(reason('PROTECTED_COMPROMISED', { ...base, protectedName, since }, extra));
    raise('suspicious');
  }
  if (e.decision !== DECISION.none) {
    // An officer's decision settles the entry: reports and feeds are context, not evidence against it.
    const code = e.decision === DECISION.confirmed ? 'OFFICER_CONFIRMED' : e.decision === DECISION.downgraded ? 'OFFICER_DOWNGRADED' : 'OFFICER_CLEARED';
    reasons.push(reason(code, { ...base, since }, { ...extra, since }));
    if (e.decision === DECISION.confirmed) raise('high_risk');
    else if (e.decision === DECISION.downgraded) raise('suspicious');
    return { level, reasons };
  }
  if (feedActive(e, input.now)) {
    const high = e.feedLevel === RISK.high_risk;
    const source = e.feedName ?? 'a trusted source';
    reasons.push(reason(high ? 'FEED_HIGH_RISK' : 'FEED_SUSPICIOUS', { ...base, source }, { ...extra, source }));
    raise(high ? 'high_risk' : 'suspicious');
  }
  if (e.reportCount > 0) {
    const lapse = reportsLapseAt(e, input.policy);
    const fresh = lapse !== null && input.now <= lapse;
    const shown = (n: number): number => (input.exact === true ? n : roundedCount(n));
    const independent = independentReporters(e);
    const count = shown(e.reportCount);
    if (!fresh) reasons.push(reason('REPORTS_LAPSED', { ...base, decayDays: input.policy.decayDays }, { ...extra, count }));
    else if (independent >= input.policy.highRiskReports) {
      // Only reporters told apart by a costly signal condemn a value (docs/poisoning.md).
      reasons.push(reason('REPORTS_HIGH_RISK', { ...base, count: shown(independent), rounded: input.exact !== true }, { ...extra, count: shown(independent) }));
      raise('high_risk');
    } else if (e.reportCount >= input.policy.suspiciousReports) {
      const unconfirmedCrowd = e.reportCount >= input.policy.highRiskReports;
      reasons.push(reason('REPORTS_SUSPICIOUS', { ...base, count, rounded: input.exact !== true, unconfirmedCrowd }, { ...extra, count }));
      raise('suspicious');
    }
  }
  return { level, reasons };
}

/**
 * The verdict on a value from the evidence of every entry covering it. A protected entry wins (stays
 * verified until an officer records a compromise); otherwise the worst entry decides, the most specific
 * among equals, and a look-alike of a protected name makes the value at least suspicious. Report-based
 * evidence with no new report for `decayDays` lapses.
 */
export function decideVerdict(input: VerdictInput): Verdict {
  let best: { level: VerdictLevel; reasons: Reason[]; evidence: Evidence } | null = null;
  for (const evidence of input.found) {
    const judged = { ...judgeEntry(evidence, input), evidence };
    if (judged.level === 'verified') {
      // An officer's confirmation of something more specific (a phishing page on a hacked protected site)
      // stands; otherwise the protection wins.
      if (best?.evidence.decision !== DECISION.confirmed) best = judged;
      break;
    }
    if (best === null || RANK[judged.level] > RANK[best.level] || (best.reasons.length === 0 && judged.reasons.length > 0)) best = judged;
  }
  let level: VerdictLevel = best?.level ?? 'no_record';
  const reasons = best?.reasons ?? [];
  // A look-alike raises anything but a settled answer: verified, high risk, or cleared by an officer.
  const settled = level === 'verified' || level === 'high_risk' || best?.evidence.decision === DECISION.cleared;
  if (!settled) {
    const [closest] = input.lookalikes;
    if (closest !== undefined) {
      reasons.push(reason('LOOKALIKE_PROTECTED', { protectedName: closest.protected }, { source: closest.protected }));
      level = 'suspicious';
    }
  }
  if (reasons.length === 0) reasons.push(reason('NO_RECORD', {}));
  const e = best?.evidence;
  const when = input.exact === true ? isoDate : day;
  const updated = e === undefined ? null : Math.max(e.lastSeen ?? 0, e.decidedAt ?? 0, e.feedListedAt ?? 0) || null;
  return {
    level,
    headline: headlineOf(level, reasons),
    reasons,
    reportCount: input.exact === true ? (e?.reportCount ?? 0) : roundedCount(e?.reportCount ?? 0),
    firstSeen: when(e?.firstSeen ?? null),
    lastSeen: when(e?.lastSeen ?? null),
    updated: when(updated),
    scamTypes: scamTypesOf(e?.scamTypes ?? 0),
    advice: ADVICE[level],
  };
}
