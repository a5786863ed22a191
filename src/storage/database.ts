import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDirectory, type DirectoryLock } from './lock.js';
import { makeTreePrivate, privateDirectory, restrictNewFiles } from './private-files.js';
import type { Database } from './schema.js';

// int8 (bigserial ids, count(*)) as numbers rather than strings: our ids and counts stay below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

export interface Storage {
  db: Kysely<Database>;
  /** Which engine answers: the embedded PGlite or a PostgreSQL server. */
  engine: 'pglite' | 'postgres';
  /**
   * The rows of a SELECT in COPY text format (tab-separated, `\N` for NULL), where the engine can produce
   * them in bulk: the embedded PGlite writes them to a blob about 6× faster than it returns result rows.
   * Null on PostgreSQL, whose row protocol is fast enough.
   */
  copyOut: ((select: string) => Promise<string>) | null;
  /**
   * Calls `onNotify` whenever another process NOTIFYs `channel` on this database, and once whenever the
   * listening connection is (re)opened, since a notification may have been missed meanwhile; resolves to a
   * function that stops. On PostgreSQL it holds a connection of its own and re-opens it when it drops. The
   * embedded database is one process's alone: nothing else can write to it, so there is nothing to listen to.
   */
  listen(channel: NotifyChannel, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The channels migration 013's triggers notify. */
export type NotifyChannel = 'scamgraph_changes' | 'scamgraph_shared' | 'scamgraph_keys';

/** How long a dropped listening connection waits before it is opened again. */
const RELISTEN_MS = 1000;

function listenOn(url: string, channel: NotifyChannel, onNotify: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const again = (): void => {
    if (stopped || retry !== null) return;
    retry = setTimeout(() => {
      retry = null;
      void open().catch(again);
    }, RELISTEN_MS);
    retry.unref();
  };
  const open = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    c.on('error', () => {
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      again();
    });
    await c.connect();
    // The channel is one of NotifyChannel's names, never input.
    await c.query(`LISTEN ${channel}`);
    if (stopped) {
      await c.end();
      return;
    }
    client = c;
    onNotify();
  };
  // A node that cannot listen at start still polls; it keeps trying to listen.
  return open()
    .catch(again)
    .then(() => async () => {
      stopped = true;
      if (retry !== null) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    });
}

export interface StorageOptions {
  /** PostgreSQL connection string; null for the embedded database. */
  databaseUrl: string | null;
  /** Directory of the embedded database (locked while open); `memory://` for a throwaway one. */
  dataDir: string;
  /** Pool size for PostgreSQL (the embedded database has one connection). */
  poolSize?: number;
}

/**
 * Opens the configured database: PGlite on disk with a directory lock, or a PostgreSQL pool. The data
 * directory and everything in it is made private to its owner (0700/0600), and so is everything this
 * process creates afterwards.
 */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.databaseUrl !== null) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // JIT off: it compiles any query the planner thinks costly, and a cluster's detail then spent 300 ms of
    // its 350 in LLVM. Our queries are short and indexed; JIT pays only for long analytical scans. A SET
    // rather than a startup option, which poolers such as PgBouncer refuse; queued before any other query.
    pool.on('connect', (client) => void client.query('SET jit = off').catch(() => undefined));
    // An idle connection the server drops (a restart, a failover) is replaced on next use; unhandled, its
    // error event would end the process.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = options.databaseUrl;
    return { db, engine: 'postgres', copyOut: null, listen: (channel, onNotify) => listenOn(url, channel, onNotify), close: () => db.destroy() };
  }
  let lock: DirectoryLock | null = null;
  let pglite: PGlite;
  if (options.dataDir === 'memory://') {
    pglite = new PGlite();
  } else {
    const dir = resolve(options.dataDir);
    privateDirectory(dir);
    lock = lockDirectory(dir);
    try {
      restrictNewFiles();
      pglite = new PGlite(join(dir, 'pgdata'));
      await pglite.waitReady;
      makeTreePrivate(dir);
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  // One connection: PGlite is a single session, so a pool of one serializes transactions correctly.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 } as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    listen: async () => async () => undefined,
    // Holding the pool's one connection keeps every other query out of the session meanwhile.
    copyOut: (select) =>
      db.connection().execute(async () => {
        const result = await pglite.query(`COPY (${select}) TO '/dev/blob'`);
        return result.blob === undefined ? '' : await result.blob.text();
      }),
    async close() {
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}
