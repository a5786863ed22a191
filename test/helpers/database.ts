import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { openScamgraph, type OpenOptions, type Scamgraph } from '../../src/main.js';

/**
 * The engines every repository and HTTP suite runs on (`for (const engine of ENGINES)`): the embedded PGlite
 * always, and PostgreSQL too when DATABASE_URL is set (CI sets it). Each suite gets a fresh database of its own.
 * Without DATABASE_URL, a file's PostgreSQL suites do not vanish silently: looping over the engines adds, once
 * per file, a skipped test that says so.
 */
export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : withPostgresSkipped(['pglite']);

/** `engines`, whose first iteration registers the visible skip of the file's PostgreSQL suites. */
function withPostgresSkipped(engines: Engine[]): Engine[] {
  const iterate = engines[Symbol.iterator].bind(engines);
  let noted = false;
  Object.defineProperty(engines, Symbol.iterator, {
    value: () => {
      if (!noted) {
        noted = true;
        test('the suites of this file on PostgreSQL', { skip: 'DATABASE_URL is not set, so they did not run (.ci/run sets it)' }, () => undefined);
      }
      return iterate();
    },
  });
  return engines;
}

/** A fixed master secret for tests: derived keys are then the same in every run. */
export const TEST_SECRET = Buffer.alloc(32, 42);

/** The audit checkpoint signing key of tests (a fixed one, so that no test writes a key under $HOME). */
export const TEST_SIGNING_KEY = fileURLToPath(new URL('audit-signing-test.key', import.meta.url));

/** The environment for a child process: without the parent's DATABASE_URL unless one is given. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, SCAMGRAPH_SECRET_KEY: TEST_SECRET.toString('base64'), SCAMGRAPH_AUDIT_SIGNING_KEY: TEST_SIGNING_KEY, ...extra };
}

export interface FreshDatabase {
  /** Connection string of the new database (postgres), or null (PGlite in memory). */
  url: string | null;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database for one suite (dropped afterwards), or stands for an in-memory PGlite. */
export async function freshDatabase(engine: Engine): Promise<FreshDatabase> {
  if (engine === 'pglite') return { url: null, drop: async () => undefined };
  const admin = process.env.DATABASE_URL as string;
  const name = `scamgraph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testConfig(url: string | null, overrides: Partial<Config> = {}): Readonly<Config> {
  const auditCheckpoints = Object.freeze({ signingKeyFile: TEST_SIGNING_KEY, logFile: null, intervalMinutes: 15 });
  return Object.freeze({ ...loadConfig({}), databaseUrl: url, dataDir: 'memory://', secretKey: TEST_SECRET, auditCheckpoints, ...overrides });
}

/** A whole Scamgraph (migrated) on a fresh database of the engine; close() also drops the database. */
export async function openTestScamgraph(engine: Engine, options: OpenOptions = { loadIndex: true }, overrides: Partial<Config> = {}): Promise<Scamgraph & { url: string | null }> {
  const fresh = await freshDatabase(engine);
  const sg = await openScamgraph(testConfig(fresh.url, overrides), options);
  return {
    ...sg,
    url: fresh.url,
    async close() {
      await sg.close();
      await fresh.drop();
    },
  };
}

/** Every row of every table of the database, as text: what the server holds (privacy tests read it). */
export async function databaseRows(sg: Scamgraph): Promise<string[]> {
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(sg.db);
  const rows: string[] = [];
  for (const { name } of tables.rows) for (const r of (await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(sg.db)).rows) rows.push(r.row);
  if (rows.length === 0) throw new Error('the database has no rows at all: not the database under test');
  return rows;
}
