import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { openScamgraph, type OpenOptions, type Scamgraph } from '../main.js';

/** The config with `--data DIR` applied (the embedded database and generated key file live there). */
export function withDataDir(config: Readonly<Config>, data: string | undefined): Readonly<Config> {
  return data === undefined ? config : Object.freeze({ ...config, dataDir: resolve(data) });
}

/** Opens Scamgraph for one command and always closes it (releasing the data directory lock). */
export async function withScamgraph<T>(config: Readonly<Config>, options: OpenOptions, run: (sg: Scamgraph) => Promise<T>): Promise<T> {
  const sg = await openScamgraph(config, options);
  try {
    return await run(sg);
  } finally {
    await sg.close();
  }
}

export function describeStorage(config: Readonly<Config>): string {
  return config.databaseUrl === null ? `embedded database in ${resolve(config.dataDir)}` : 'PostgreSQL (DATABASE_URL)';
}
