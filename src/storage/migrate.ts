import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as initial from './migrations/001-initial.js';
import * as evidenceReporters from './migrations/002-evidence-reporters.js';
import * as linkTablesUnchecked from './migrations/003-link-tables-unchecked.js';
import * as clusters from './migrations/004-clusters.js';
import * as triage from './migrations/005-triage.js';
import * as auditSubject from './migrations/006-audit-subject.js';
import * as verdictLog from './migrations/007-verdict-log.js';
import * as sessionsAndThrottle from './migrations/010-sessions-and-throttle.js';
import * as auditOwner from './migrations/011-audit-owner.js';
import * as partners from './migrations/012-partners.js';
import * as changeNotify from './migrations/013-change-notify.js';
import * as webhooks from './migrations/014-webhooks.js';
import * as stixObjects from './migrations/015-stix-objects.js';
import * as telcoOutcomes from './migrations/016-telco-outcomes.js';
import * as taxiiPulls from './migrations/017-taxii-pulls.js';
import * as messages from './migrations/018-messages.js';
import * as retention from './migrations/020-retention.js';
import * as senderRegistry from './migrations/019-sender-registry.js';
import * as disputes from './migrations/021-disputes.js';
import * as auditSubjectKeys from './migrations/022-audit-subject-keys.js';
import * as campaignShareHistory from './migrations/023-campaign-share-history.js';

/** Migrations are code, listed here in order, so a bundled or installed copy finds them without a directory scan. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-evidence-reporters': evidenceReporters,
  '003-link-tables-unchecked': linkTablesUnchecked,
  '004-clusters': clusters,
  '005-triage': triage,
  '006-audit-subject': auditSubject,
  '007-verdict-log': verdictLog,
  '010-sessions-and-throttle': sessionsAndThrottle,
  '011-audit-owner': auditOwner,
  '012-partners': partners,
  '013-change-notify': changeNotify,
  '014-webhooks': webhooks,
  '015-stix-objects': stixObjects,
  '016-telco-outcomes': telcoOutcomes,
  '017-taxii-pulls': taxiiPulls,
  '018-messages': messages,
  '019-sender-registry': senderRegistry,
  '020-retention': retention,
  '021-disputes': disputes,
  '022-audit-subject-keys': auditSubjectKeys,
  '023-campaign-share-history': campaignShareHistory,
};

/**
 * Whether exactly the known migrations have run, in one query. Every process migrates on open, and the
 * migrator's own way (catalog introspection for its two tables, then a lock) cost a one-off `check` a few
 * hundred milliseconds when there was nothing to do.
 */
async function schemaIsCurrent(db: Kysely<any>): Promise<boolean> {
  const known = Object.keys(MIGRATIONS).sort();
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
    const applied = rows.map((row) => row.name).sort();
    return applied.length === known.length && applied.every((name, i) => name === known[i]);
  } catch {
    return false; // no migration table yet: a new database, which the migrator sets up
  }
}

/** Brings the schema up to date (Kysely's migrator takes a database lock, so concurrent starts are safe). */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  if (await schemaIsCurrent(db)) return { results: [] };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) throw result.error;
  return result;
}
