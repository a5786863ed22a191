import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Indicator } from '../indicators/index.js';
import { entryLabel, lookupEntries, scopedEntry } from './evidence-keys.js';
import { DECISION } from './verdict.types.js';

const DECISION_NAME: Record<number, string> = { [DECISION.confirmed]: 'high_risk', [DECISION.downgraded]: 'suspicious', [DECISION.cleared]: 'cleared' };
const SHOWN_REPORTS = 50;
const SHOWN_HISTORY = 100;

/** What is on record about one entry covering a value: the evidence behind its verdict, and who decided what. */
export interface EntryRecord {
  entry: string;
  label: string;
  reportCount: number;
  firstSeen: Date | null;
  lastSeen: Date | null;
  feed: string | null;
  decision: { level: string; reason: string; by: string; at: Date } | null;
  protection: { name: string; by: string; at: Date; compromisedAt: Date | null; compromiseReason: string | null } | null;
}

export interface IndicatorProfile {
  /** The entries covering the value that hold anything, its own first (for a link: the link, then its site). */
  entries: EntryRecord[];
  reports: { reference: string; receivedAt: Date; scamType: string; status: string; cluster: number | null }[];
  reportTotal: number;
  correlation: { key: string; cluster: number | null; excluded: { reason: string; by: string; at: Date } | null };
  /** The audit rows about these entries or the key, newest first: the verdict's history. */
  history: { seq: number; at: Date; actor: string; action: string; subject: string; details: unknown }[];
  /** What telcos and platforms reported doing about it (a number suspended, a link blocked), the latest first. */
  partnerOutcomes: { organisation: string; organisationType: string; entry: string; outcome: string; reference: string | null; at: Date }[];
}

/** The officers' indicator page: evidence, the reports naming it, its correlation and its history. */
export async function indicatorProfile(db: Kysely<Database>, indicator: Indicator): Promise<IndicatorProfile> {
  const entries = lookupEntries(indicator);
  const own = scopedEntry(indicator, 'url');
  const [evidence, decisions, protections, reports, reportTotal, correlation, excluded, history, outcomes] = await Promise.all([
    db.selectFrom('evidence').selectAll().where('key', 'in', entries).execute(),
    db.selectFrom('decisions').selectAll().where('evidence_key', 'in', entries).execute(),
    db.selectFrom('protected_entities').selectAll().where('evidence_key', 'in', entries).execute(),
    own === null
      ? []
      : db
          .selectFrom('report_evidence as e')
          .innerJoin('reports as r', 'r.id', 'e.report_id')
          .leftJoin('report_clusters as c', 'c.report_id', 'r.id')
          .select(['r.reference', 'r.received_at', 'r.scam_type', 'r.status', 'c.cluster_id'])
          .where('e.evidence_key', '=', own)
          .orderBy('r.received_at', 'desc')
          .limit(SHOWN_REPORTS)
          .execute(),
    own === null ? { n: '0' } : db.selectFrom('report_evidence').select((eb) => eb.fn.countAll<string>().as('n')).where('evidence_key', '=', own).executeTakeFirstOrThrow(),
    db.selectFrom('correlation_keys').select(['cluster_id']).where('key', '=', indicator.key).executeTakeFirst(),
    db.selectFrom('correlation_exclusions').selectAll().where('key', '=', indicator.key).executeTakeFirst(),
    db
      .selectFrom('audit_log')
      .select(['seq', 'at', 'actor', 'action', 'subject', 'details'])
      .where('subject', 'in', [...new Set([...entries, indicator.key])])
      .orderBy('seq', 'desc')
      .limit(SHOWN_HISTORY)
      .execute(),
    db
      .selectFrom('telco_outcomes as t')
      .innerJoin('organisations as o', 'o.id', 't.organisation_id')
      .select(['o.name', 'o.type', 't.entry', 't.outcome', 't.reference', 't.reported_at'])
      .where('t.entry', 'in', entries)
      .orderBy('t.reported_at', 'desc')
      .limit(SHOWN_HISTORY)
      .execute(),
  ]);
  const records = entries.flatMap((entry): EntryRecord[] => {
    const e = evidence.find((r) => r.key === entry);
    const d = decisions.find((r) => r.evidence_key === entry);
    const p = protections.find((r) => r.evidence_key === entry);
    if (e === undefined && d === undefined && p === undefined) return [];
    return [
      {
        entry,
        label: entryLabel(entry),
        reportCount: e?.report_count ?? 0,
        firstSeen: e?.first_seen ?? null,
        lastSeen: e?.last_seen ?? null,
        feed: e?.feed_name ?? null,
        decision: d === undefined ? null : { level: DECISION_NAME[d.level] ?? String(d.level), reason: d.reason, by: d.decided_by, at: d.decided_at },
        protection: p === undefined ? null : { name: p.name, by: p.created_by, at: p.created_at, compromisedAt: p.compromised_at, compromiseReason: p.compromise_reason },
      },
    ];
  });
  return {
    entries: records,
    reports: reports.map((r) => ({ reference: r.reference, receivedAt: r.received_at, scamType: r.scam_type, status: r.status, cluster: r.cluster_id })),
    reportTotal: Number(reportTotal.n),
    correlation: { key: indicator.key, cluster: correlation?.cluster_id ?? null, excluded: excluded === undefined ? null : { reason: excluded.reason, by: excluded.created_by, at: excluded.created_at } },
    history: history.map((h) => ({ ...h, seq: Number(h.seq) })),
    partnerOutcomes: outcomes.map((r) => ({ organisation: r.name, organisationType: r.type, entry: entryLabel(r.entry), outcome: r.outcome, reference: r.reference, at: r.reported_at })),
  };
}
