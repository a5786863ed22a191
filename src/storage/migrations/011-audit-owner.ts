import { sql, type Kysely } from 'kysely';

/** The role that owns the audit log: NOLOGIN, cluster-wide, shared by every Scamgraph database of a server. */
export const AUDIT_OWNER_ROLE = 'scamgraph_audit_owner';

/**
 * The audit log is handed to a role no one logs in as, and the role that migrates (the one the service
 * connects as, through its one DATABASE_URL) keeps only INSERT and SELECT on it: it can no longer UPDATE,
 * DELETE or TRUNCATE it, nor ALTER it to disable the append-only triggers, nor replace their function.
 *
 * - The owner role is created if missing; a role other databases' migrations made (CREATE ROLE is
 *   cluster-wide, and may race them) is used as it is.
 * - A non-superuser needs CREATEROLE for this one migration: to create the role, to join it for ALTER ...
 *   OWNER (PostgreSQL's rule), and to leave it again. It then gives up CREATEROLE, with which it could
 *   join the owner role again (on PostgreSQL 16+ a role may not change its own attributes: a warning asks
 *   an administrator to). docs/audit.md describes the deployment.
 * - A superuser bypasses privileges anyway: the handover is made, but it protects only from other roles.
 *
 * On the embedded PGlite, whose one user is a superuser, this changes nothing that matters (docs/audit.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    DECLARE
      me text := current_user;
      superuser boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
      joined boolean := false;
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'scamgraph_audit_owner') THEN
        BEGIN
          CREATE ROLE scamgraph_audit_owner NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          NULL; -- another database's migration created it meanwhile
        END;
      END IF;
      IF NOT pg_has_role(me, 'scamgraph_audit_owner', 'MEMBER') THEN
        EXECUTE format('GRANT scamgraph_audit_owner TO %I', me);
        joined := true;
      END IF;
      IF NOT superuser THEN
        -- ALTER ... OWNER asks that the new owner may create in the schema; taken back right after.
        EXECUTE format('GRANT CREATE ON SCHEMA %I TO scamgraph_audit_owner', current_schema());
      END IF;
      ALTER TABLE audit_log OWNER TO scamgraph_audit_owner;
      ALTER FUNCTION audit_log_append_only() OWNER TO scamgraph_audit_owner;
      EXECUTE format('GRANT SELECT, INSERT ON audit_log TO %I', me);
      IF NOT superuser THEN
        EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM scamgraph_audit_owner', current_schema());
      END IF;
      IF joined THEN
        EXECUTE format('REVOKE scamgraph_audit_owner FROM %I', me);
      END IF;
      IF NOT superuser AND (SELECT rolcreaterole FROM pg_roles WHERE rolname = me) THEN
        BEGIN
          EXECUTE format('ALTER ROLE %I NOCREATEROLE', me);
          RAISE NOTICE 'role % gave up CREATEROLE, with which it could take the audit log back', me;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE WARNING 'role % still has CREATEROLE and could take the audit log back: ALTER ROLE % NOCREATEROLE as an administrator (docs/audit.md)', me, me;
        END;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'could not hand the audit log to role scamgraph_audit_owner: %', SQLERRM
        USING HINT = 'The role that migrates needs CREATEROLE (for this migration) and CREATE on the schema WITH GRANT OPTION; or let an administrator run scamgraph migrate once. See docs/audit.md.';
    END $$
  `.execute(db);
}

/** Gives the audit log back to the migrating role (which must be a superuser or may join the owner role). */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    DECLARE me text := current_user;
    BEGIN
      IF NOT pg_has_role(me, 'scamgraph_audit_owner', 'MEMBER') THEN
        EXECUTE format('GRANT scamgraph_audit_owner TO %I', me);
      END IF;
      EXECUTE format('ALTER TABLE audit_log OWNER TO %I', me);
      EXECUTE format('ALTER FUNCTION audit_log_append_only() OWNER TO %I', me);
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = me) THEN
        EXECUTE format('REVOKE scamgraph_audit_owner FROM %I', me);
      END IF;
    END $$
  `.execute(db);
}
