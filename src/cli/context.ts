import { AsyncLocalStorage } from 'node:async_hooks';
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Config } from '../config.js';
import { openScamgraph, type OpenOptions, type Scamgraph } from '../main.js';
import { openStorage, type Storage } from '../storage/database.js';

/**
 * A command that a CLI process sent to a running server (see control-server.ts) runs inside the server on
 * the server's own open Scamgraph: the embedded database is one process's alone, so a second process could
 * not open it. Paths in the command are the sending process's, relative to its working directory.
 */
interface ServedCommand {
  host: Scamgraph;
  cwd: string;
}

const served = new AsyncLocalStorage<ServedCommand>();

/** Runs `run` as a command sent to the server `host` from a process working in `cwd`. */
export function runServed<T>(host: Scamgraph, cwd: string, run: () => Promise<T>): Promise<T> {
  return served.run({ host, cwd }, run);
}

/** A path given on the command line, made absolute against the directory the command was typed in. */
export function cliPath(path: string): string {
  return resolve(served.getStore()?.cwd ?? process.cwd(), path);
}

/** A path as the person who typed the command would write it: relative to their directory when inside it. */
export function displayPath(path: string): string {
  const inside = relative(served.getStore()?.cwd ?? process.cwd(), path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** The config with `--data DIR` applied (the embedded database and generated key file live there). */
export function withDataDir(config: Readonly<Config>, data: string | undefined): Readonly<Config> {
  return data === undefined ? config : Object.freeze({ ...config, dataDir: cliPath(data) });
}

/** Whether two paths name one directory, through symlinks too (one that does not exist yet is its resolved path). */
function samePath(a: string, b: string): boolean {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** The server's Scamgraph when this command runs inside a server that has `config`'s database open. */
function hostOf(config: Readonly<Config>): Scamgraph | null {
  const host = served.getStore()?.host;
  if (host === undefined || config.databaseUrl !== host.config.databaseUrl) return null;
  return samePath(config.dataDir, host.config.dataDir) ? host : null;
}

/** Opens Scamgraph for one command and always closes it (releasing the data directory lock); inside a server, uses the server's. */
export async function withScamgraph<T>(config: Readonly<Config>, options: OpenOptions, run: (sg: Scamgraph) => Promise<T>): Promise<T> {
  const host = hostOf(config);
  if (host !== null) {
    const result = await run(host);
    // What the command changed, the server answers as soon as it returns (it polls the change log otherwise).
    await host.verdicts.catchUp();
    return result;
  }
  const sg = await openScamgraph(config, options);
  try {
    return await run(sg);
  } finally {
    await sg.close();
  }
}

/** Opens only the database (no services, no migration) for one command; inside a server, uses the server's. */
export async function withStorage<T>(config: Readonly<Config>, run: (storage: Storage) => Promise<T>): Promise<T> {
  const host = hostOf(config);
  if (host !== null) return run(host.storage);
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await run(storage);
  } finally {
    await storage.close();
  }
}

export function describeStorage(config: Readonly<Config>): string {
  return config.databaseUrl === null ? `embedded database in ${resolve(config.dataDir)}` : 'PostgreSQL (DATABASE_URL)';
}
