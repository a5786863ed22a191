import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { ROLES, type Role } from '../modules/auth/auth.service.js';
import { migrateToLatest } from '../storage/migrate.js';
import { describeStorage, withDataDir, withScamgraph, withStorage } from './context.js';
import { EXIT_OK, UsageError, readAll, type CliIO } from './io.js';

/** `scamgraph migrate [--data DIR]`: brings the schema up to date (servers also do this on start). */
export async function migrateCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } }, strict: true });
  const config = withDataDir(base, values.data);
  return withStorage(config, async (storage) => {
    const result = await migrateToLatest(storage.db);
    const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    io.stdout.write(applied.length === 0 ? `Schema up to date (${describeStorage(config)}).\n` : `Applied ${applied.join(', ')} (${describeStorage(config)}).\n`);
    return EXIT_OK;
  });
}

/**
 * `scamgraph user add NAME --role analyst|officer|admin [--password-stdin]`: without --password-stdin a
 * random password is generated and printed once.
 */
export async function userCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, data: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, name] = positionals;
  if (action !== 'add' || name === undefined || positionals.length !== 2) throw new UsageError('usage: scamgraph user add NAME --role ROLE');
  if (!ROLES.includes(values.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const generated = values['password-stdin'] !== true;
  const password = generated ? randomBytes(18).toString('base64url') : (await readAll(io.stdin)).split(/\r?\n/)[0] ?? '';
  return withScamgraph(withDataDir(base, values.data), {}, async (sg) => {
    const user = await sg.auth.addUser(name, password, values.role as Role);
    io.stdout.write(`Added ${user.username} (${user.role}).${generated ? ` Password (shown once): ${password}` : ''}\n`);
    return EXIT_OK;
  });
}

/** `scamgraph audit verify`: walks the hash chain; exit 1 and the first broken row when it does not verify. */
export async function auditCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { data: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw new UsageError('usage: scamgraph audit verify');
  return withScamgraph(withDataDir(base, values.data), {}, async (sg) => {
    const result = await sg.audit.verify();
    if (values.json === true) io.stdout.write(JSON.stringify(result) + '\n');
    else if (result.broken === null) io.stdout.write(`Audit log verifies: ${result.rows} rows, chain intact.\n`);
    else io.stdout.write(`Audit log BROKEN at row ${result.broken.seq}: ${result.broken.problem} (${result.broken.detail}).\n`);
    return result.broken === null ? EXIT_OK : 1;
  });
}
