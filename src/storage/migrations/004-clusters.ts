import { sql, type Kysely } from 'kysely';
import { rebuildClusters } from '../../modules/clusters/clusters-rebuild.repository.js';

/**
 * Clusters of reports linked through shared indicator keys, stored as a cluster id per report and per key
 * (never as pairs). A cluster's id is the id of one of its reports, so two clusters can never share one.
 * `correlation_keys.blocked` says why a key links nothing (see correlation-rules.ts); `family` and `shape`
 * group keys by weaker relations shown as suggestions. Reports stored before this migration are clustered
 * here, by the same rebuild `scamgraph clusters rebuild` runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE clusters (
      id bigint PRIMARY KEY,
      report_count integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE report_clusters (
      report_id bigint PRIMARY KEY,
      cluster_id bigint NOT NULL
    );
    CREATE INDEX report_clusters_cluster ON report_clusters (cluster_id);
    CREATE TABLE correlation_keys (
      key text PRIMARY KEY,
      cluster_id bigint,
      blocked smallint NOT NULL DEFAULT 0,
      family text,
      shape text
    );
    CREATE INDEX correlation_keys_cluster ON correlation_keys (cluster_id) WHERE cluster_id IS NOT NULL;
    CREATE INDEX correlation_keys_family ON correlation_keys (family) WHERE family IS NOT NULL;
    CREATE INDEX correlation_keys_shape ON correlation_keys (shape) WHERE shape IS NOT NULL;
    CREATE TABLE correlation_exclusions (
      key text PRIMARY KEY,
      reason text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
  await rebuildClusters(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE correlation_exclusions, correlation_keys, report_clusters, clusters`.execute(db);
}
