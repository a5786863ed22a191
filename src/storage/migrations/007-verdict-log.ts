import { sql, type Kysely } from 'kysely';

/**
 * The change log becomes a verdict log, and evidence learns what makes reporters independent and when feed
 * listings expire:
 * - `reports.independence`: a keyed hash of the costly signal that tells this reporter apart (a network
 *   block, an institution's own reporter id); reports sharing it count as one independent source. Earlier
 *   reports keep their reporter fingerprint (what they were counted by), so no count moves by migrating.
 * - `evidence_sources`: the (entry, independence) pairs already counted, as evidence_reporters for reporters.
 * - `evidence.level`: the entry's public level as last logged (0 no record, 1 suspicious, 2 high risk,
 *   3 verified), `next_change_at` when time alone may change it (reports lapsing, a listing expiring),
 *   `source_count`, `feed_until`, `feed_listed_at` and `protected_name`.
 * - `evidence_changes.level`/`previous_level` are set on the rows where the public level changed (the verdict
 *   log partners follow); `kind` lets them follow one kind.
 * - `feed_entries.first_seen`/`last_seen` (from the source, when it gives them) and `expires_at`; `feeds`
 *   holds each feed's time to live.
 * - `verdict_policy`: the policy the stored levels were computed with, so a changed threshold re-levels.
 * The stored levels start at 0 and are computed by the first start after migrating (a policy change).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE reports ADD COLUMN independence bytea;
    UPDATE reports SET independence = fingerprint;
    ALTER TABLE reports ALTER COLUMN independence SET NOT NULL;

    CREATE TABLE evidence_sources (
      evidence_key text NOT NULL,
      independence bytea NOT NULL,
      PRIMARY KEY (evidence_key, independence)
    );
    INSERT INTO evidence_sources (evidence_key, independence) SELECT evidence_key, fingerprint FROM evidence_reporters;

    ALTER TABLE evidence
      ADD COLUMN source_count integer NOT NULL DEFAULT 0,
      ADD COLUMN feed_listed_at timestamptz,
      ADD COLUMN feed_until timestamptz,
      ADD COLUMN protected_name text,
      ADD COLUMN level smallint NOT NULL DEFAULT 0,
      ADD COLUMN next_change_at timestamptz,
      ADD COLUMN kind text;
    -- As evidence-keys.ts entryKind: an exact link and a path are urls, a whole site is its domain.
    UPDATE evidence SET source_count = report_count, kind = CASE
      WHEN key LIKE 'urle:%' THEN 'url'
      WHEN key LIKE 'urlx:%' THEN CASE WHEN strpos(substr(key, 6), '/') = length(key) - 5 THEN 'domain' ELSE 'url' END
      ELSE split_part(key, ':', 1) END;
    ALTER TABLE evidence ALTER COLUMN kind SET NOT NULL;
    CREATE INDEX evidence_kind_level ON evidence (kind, level) WHERE level > 0;
    CREATE INDEX evidence_next_change ON evidence (next_change_at) WHERE next_change_at IS NOT NULL;

    ALTER TABLE evidence_changes
      ADD COLUMN kind text,
      ADD COLUMN level smallint,
      ADD COLUMN previous_level smallint;
    CREATE INDEX evidence_changes_verdicts ON evidence_changes (seq) WHERE level IS NOT NULL;

    ALTER TABLE feed_entries
      ADD COLUMN first_seen timestamptz,
      ADD COLUMN last_seen timestamptz,
      ADD COLUMN expires_at timestamptz;

    CREATE TABLE feeds (
      name text PRIMARY KEY,
      ttl_days integer,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO feeds (name) SELECT DISTINCT feed FROM feed_entries;
    -- Listings made before expiry existed get the default time to live from when they were listed.
    UPDATE feed_entries SET expires_at = listed_at + CASE WHEN kind IN ('url', 'domain', 'ip') THEN 30 ELSE 180 END * interval '1 day';
    UPDATE evidence e SET feed_listed_at = f.listed_at, feed_until = f.expires_at
      FROM (SELECT evidence_key, level, max(listed_at) AS listed_at, max(expires_at) AS expires_at FROM feed_entries GROUP BY evidence_key, level) f
      WHERE f.evidence_key = e.key AND f.level = e.feed_level;
    UPDATE evidence e SET protected_name = p.name FROM protected_entities p WHERE p.evidence_key = e.key;

    CREATE TABLE verdict_policy (
      id smallint PRIMARY KEY CHECK (id = 1),
      policy text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );
    -- Evidence stored before this migration has no levels yet: the first start judges it (any policy differs
    -- from 'unjudged'). An empty database's levels are written as evidence arrives, under the default policy
    -- until a server with another one starts (config.ts DEFAULT_VERDICT_POLICY, as JSON.stringify writes it).
    INSERT INTO verdict_policy (id, policy)
      SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM evidence) THEN 'unjudged' ELSE '{"highRiskReports":3,"suspiciousReports":1,"decayDays":180}' END;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE verdict_policy, feeds, evidence_sources;
    ALTER TABLE feed_entries DROP COLUMN first_seen, DROP COLUMN last_seen, DROP COLUMN expires_at;
    ALTER TABLE evidence_changes DROP COLUMN kind, DROP COLUMN level, DROP COLUMN previous_level;
    ALTER TABLE evidence DROP COLUMN source_count, DROP COLUMN feed_listed_at, DROP COLUMN feed_until, DROP COLUMN protected_name,
      DROP COLUMN level, DROP COLUMN next_change_at;
    ALTER TABLE reports DROP COLUMN independence;
  `.execute(db);
}
