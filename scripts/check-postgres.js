#!/usr/bin/env node
// `.ci/run` runs the repository and HTTP suites on PostgreSQL as well as PGlite: it must stop here, with a
// clear message, when the server cannot be reached, rather than fail minutes later or run half the suites.
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('check-postgres: DATABASE_URL is not set');
  process.exit(1);
}
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
try {
  await client.connect();
  const { rows } = await client.query('SHOW server_version');
  console.log(`PostgreSQL ${rows[0].server_version} at ${new URL(url).host}`);
} catch (error) {
  // The host only: a connection string may carry a password.
  console.error(`check-postgres: cannot reach PostgreSQL at ${new URL(url).host}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => undefined);
}
