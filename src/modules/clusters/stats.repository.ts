import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { suggestScamType } from '../reports/scam-type-suggester.js';

type Db = Kysely<Database>;

export interface HubStats {
  days: number;
  /** Reports per UTC day by scam type (an officer's label where there is one). */
  reportsPerDay: { day: string; scamType: string; reports: number }[];
  /** Losses per UTC day by currency (repeats of a report not counted). */
  lossesPerDay: { day: string; currency: string; amount: string }[];
  checksPerDay: { day: string; checks: number }[];
  /** Clusters with most reports in the last 7 days, with the 7 days before for growth. */
  topClusters: { id: number; reportCount: number; lastWeek: number; weekBefore: number }[];
  suggestions: SuggestionAccuracy;
}

export interface SuggestionAccuracy {
  /** Reports an officer labelled (the latest 2,000 at most). */
  labelled: number;
  /** Of those, how many the suggester gets right now. */
  agreeing: number;
  accuracy: number | null;
  /** How many the suggestion shown when labelling got right. */
  agreeingWhenLabelled: number;
}

const LABELS_MEASURED = 2000;

export async function hubStats(db: Db, days: number, now: Date): Promise<HubStats> {
  const from = new Date(now.getTime() - days * 86_400_000);
  const perDay = await sql<{ day: string; scam_type: string; reports: number }>`
    SELECT to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, coalesce(t.scam_type, r.scam_type) AS scam_type, count(*)::int AS reports
    FROM reports r LEFT JOIN type_labels t ON t.report_id = r.id
    WHERE r.received_at > ${from} AND r.received_at <= ${now} GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  const losses = await sql<{ day: string; currency: string; amount: string }>`
    SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, loss_currency AS currency, sum(loss_amount)::text AS amount
    FROM reports WHERE received_at > ${from} AND received_at <= ${now} AND duplicate_of IS NULL AND loss_currency IS NOT NULL
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  const checks = await sql<{ day: string; checks: number }>`
    SELECT day::text AS day, checks::int AS checks FROM check_counts WHERE day > ${from.toISOString().slice(0, 10)}::date AND day <= ${now.toISOString().slice(0, 10)}::date ORDER BY day`.execute(db);
  const top = await sql<{ id: number; report_count: number; last_week: number; week_before: number }>`
    SELECT c.id, c.report_count,
      count(*) FILTER (WHERE r.received_at > ${now}::timestamptz - interval '7 days')::int AS last_week,
      count(*) FILTER (WHERE r.received_at <= ${now}::timestamptz - interval '7 days')::int AS week_before
    FROM reports r JOIN report_clusters rc ON rc.report_id = r.id JOIN clusters c ON c.id = rc.cluster_id
    WHERE r.received_at > ${now}::timestamptz - interval '14 days' AND r.received_at <= ${now} AND c.report_count > 1
    GROUP BY c.id, c.report_count ORDER BY last_week DESC, c.id LIMIT 10`.execute(db);
  return {
    days,
    reportsPerDay: perDay.rows.map((r) => ({ day: r.day, scamType: r.scam_type, reports: r.reports })),
    lossesPerDay: losses.rows,
    checksPerDay: checks.rows,
    topClusters: top.rows.map((r) => ({ id: r.id, reportCount: r.report_count, lastWeek: r.last_week, weekBefore: r.week_before })),
    suggestions: await suggestionAccuracy(db),
  };
}

/** The suggester measured against officers' labels: rerun on each labelled report's narrative and indicators. */
export async function suggestionAccuracy(db: Db): Promise<SuggestionAccuracy> {
  const labels = await sql<{ report_id: number; scam_type: string; suggested: string | null; narrative: string }>`
    SELECT t.report_id, t.scam_type, t.suggested, r.narrative FROM type_labels t JOIN reports r ON r.id = t.report_id
    ORDER BY t.labelled_at DESC LIMIT ${LABELS_MEASURED}`.execute(db);
  const ids = labels.rows.map((l) => l.report_id);
  const indicators = new Map<number, { kind: string; canonical: string }[]>();
  if (ids.length > 0) {
    const rows = await db.selectFrom('report_indicators').select(['report_id', 'kind', 'canonical']).where('report_id', 'in', ids).execute();
    for (const r of rows) indicators.set(r.report_id, [...(indicators.get(r.report_id) ?? []), r]);
  }
  let agreeing = 0;
  let agreeingWhenLabelled = 0;
  for (const l of labels.rows) {
    if (suggestScamType(l.narrative, indicators.get(l.report_id) ?? []).scamType === l.scam_type) agreeing++;
    if (l.suggested === l.scam_type) agreeingWhenLabelled++;
  }
  const labelled = labels.rows.length;
  return { labelled, agreeing, accuracy: labelled === 0 ? null : agreeing / labelled, agreeingWhenLabelled };
}
