import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../storage/schema.js';

/**
 * The raw counts behind the public transparency report, each over [from, until) and per calendar month (UTC,
 * `YYYY-MM`). Counts only: no query here returns a value, a reference or a name. The service rounds them.
 */
type Db = Kysely<Database>;

/** A month of a timestamptz column, in UTC whatever the session's time zone. */
const monthOf = (column: string): RawBuilder<string> => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM')`;
/** A month of a date column (dates have no time zone). */
const monthOfDate = (column: string): RawBuilder<string> => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM')`;
/** `from`/`until` as UTC dates, for the date columns. */
const day = (d: Date): string => d.toISOString().slice(0, 10);

export interface MonthCount {
  month: string;
  count: number;
}

export interface GroupedMonthCount extends MonthCount {
  group: string;
}

const counted = <T extends { count: unknown }>(rows: T[]): (Omit<T, 'count'> & { count: number })[] => rows.map((r) => ({ ...r, count: Number(r.count) }));

/** Public checks per month (check_counts keeps one number per UTC day). */
export async function checksPerMonth(db: Db, from: Date, until: Date): Promise<MonthCount[]> {
  const rows = await db
    .selectFrom('check_counts')
    .select([monthOfDate('day').as('month'), sql<string>`sum(checks)`.as('count')])
    .where('day', '>=', day(from))
    .where('day', '<', day(until))
    .groupBy('month')
    .execute();
  return counted(rows);
}

/**
 * Reports received per month by where they came from: `public` (the report form and the public API),
 * `message` (forwarded messages), `import` (`import:<source>`, files of other centres), `other` (anything else).
 * Every stored report counts, repeats and duplicates too: this is what arrived, not what counts as evidence.
 */
export async function reportsPerMonth(db: Db, from: Date, until: Date): Promise<GroupedMonthCount[]> {
  const group = sql<string>`CASE WHEN source IN ('public', 'message') THEN source WHEN source LIKE 'import:%' THEN 'import' ELSE 'other' END`;
  const rows = await db
    .selectFrom('reports')
    .select([monthOf('received_at').as('month'), group.as('group'), db.fn.countAll<string>().as('count')])
    .where('received_at', '>=', from)
    .where('received_at', '<', until)
    .groupBy(['month', 'group'])
    .execute();
  return counted(rows);
}

/** Values flagged now (evidence.level 1 suspicious, 2 high risk), by kind and level code. */
export async function flaggedNow(db: Db): Promise<{ kind: string; level: number; count: number }[]> {
  const rows = await db.selectFrom('evidence').select(['kind', 'level', db.fn.countAll<string>().as('count')]).where('level', 'in', [1, 2]).groupBy(['kind', 'level']).execute();
  return counted(rows);
}

/**
 * Officers' actions on a value itself, committed with the verdict change they cause (VerdictService.act):
 * an audit row with the value's key as subject, written just before its change-log row.
 */
const OFFICER_VALUE_ACTIONS = ['indicator.decide', 'protected.add', 'protected.remove', 'protected.compromised'];
/** How far apart an action's audit row and its change-log row may be stamped (the node's clock and the database's). */
const SAME_ACTION_WINDOW = sql`interval '1 minute'`;

/**
 * Values that stopped being flagged (the verdict log's rows from suspicious or high risk to no record) per
 * month, in two groups. The log does not record why a level changed, so `officer` are those with an officer's
 * action on the value itself (a decision, a protection) within a minute of the change: an officer clearing
 * it, also when deciding a dispute. `lapsed` are all others: its reports aged past the decay window, a feed
 * listing expired, or its reports were closed as not a scam or as duplicates.
 */
export async function unflaggedPerMonth(db: Db, from: Date, until: Date): Promise<GroupedMonthCount[]> {
  const result = await sql<{ month: string; group: string; count: string }>`
    SELECT ${monthOf('c.changed_at')} AS month,
      CASE WHEN EXISTS (
        SELECT 1 FROM audit_log a
        WHERE a.subject = c.key AND a.action = ANY(${OFFICER_VALUE_ACTIONS}::text[])
          AND a.at BETWEEN c.changed_at - ${SAME_ACTION_WINDOW} AND c.changed_at + ${SAME_ACTION_WINDOW}
      ) THEN 'officer' ELSE 'lapsed' END AS "group",
      count(*) AS count
    FROM evidence_changes c
    WHERE c.level = 0 AND c.previous_level IN (1, 2) AND c.changed_at >= ${from} AND c.changed_at < ${until}
    GROUP BY 1, 2`.execute(db);
  return counted(result.rows);
}

/** Audit rows of these actions per month and action (officers reading contact details, say). */
export async function auditActionsPerMonth(db: Db, actions: readonly string[], from: Date, until: Date): Promise<GroupedMonthCount[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select([monthOf('at').as('month'), 'action as group', db.fn.countAll<string>().as('count')])
    .where('action', 'in', [...actions])
    .where('at', '>=', from)
    .where('at', '<', until)
    .groupBy(['month', 'action'])
    .execute();
  return counted(rows);
}

/** Partners' calls per month and organisation type (bank, telco, …): partner_usage counts calls per day and route. */
export async function partnerCallsPerMonth(db: Db, from: Date, until: Date): Promise<GroupedMonthCount[]> {
  const rows = await db
    .selectFrom('partner_usage as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([monthOfDate('u.day').as('month'), 'o.type as group', sql<string>`sum(u.calls)`.as('count')])
    .where('u.day', '>=', day(from))
    .where('u.day', '<', day(until))
    .groupBy(['month', 'o.type'])
    .execute();
  return counted(rows);
}

/**
 * What the retention job deleted per month and kind of data: the sums of `deleted` in its audit rows
 * (`retention.run`, `{dryRun: false, deleted: {contacts: n, …}}`); dry runs delete nothing and are left out.
 */
export async function deletionsPerMonth(db: Db, from: Date, until: Date): Promise<GroupedMonthCount[]> {
  const result = await sql<{ month: string; group: string; count: string }>`
    SELECT ${monthOf('a.at')} AS month, d.key AS "group", sum(d.value::bigint) AS count
    FROM audit_log a CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(a.details->'deleted') = 'object' THEN a.details->'deleted' ELSE '{}'::jsonb END) d
    WHERE a.action = 'retention.run' AND coalesce(a.details->>'dryRun', 'false') = 'false'
      AND a.at >= ${from} AND a.at < ${until} AND d.value ~ '^[0-9]{1,15}$'
    GROUP BY 1, 2`.execute(db);
  return counted(result.rows);
}

/** Legal holds in force on `at` (not lifted, not past their end date) and those placed per month. */
export async function legalHolds(db: Db, from: Date, until: Date, at: Date): Promise<{ inForce: number; placed: MonthCount[] }> {
  const inForce = await db
    .selectFrom('legal_holds')
    .select(db.fn.countAll<string>().as('count'))
    .where('lifted_at', 'is', null)
    .where('until', '>=', day(at))
    .where('placed_at', '<=', at)
    .executeTakeFirstOrThrow();
  const placed = await db
    .selectFrom('legal_holds')
    .select([monthOf('placed_at').as('month'), db.fn.countAll<string>().as('count')])
    .where('placed_at', '>=', from)
    .where('placed_at', '<', until)
    .groupBy('month')
    .execute();
  return { inForce: Number(inForce.count), placed: counted(placed) };
}
