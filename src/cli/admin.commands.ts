import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { ROLES, type Role } from '../modules/auth/auth.service.js';
import { generatePassword } from '../modules/auth/passwords.js';
import { openStorage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { describeStorage, withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, readAll, type CliIO } from './io.js';

/** `scamgraph migrate [--data DIR]`: brings the schema up to date (servers also do this on start). */
export async function migrateCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } }, strict: true });
  const config = withDataDir(base, values.data);
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const result = await migrateToLatest(storage.db);
    const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    io.stdout.write(applied.length === 0 ? `Schema up to date (${describeStorage(config)}).\n` : `Applied ${applied.join(', ')} (${describeStorage(config)}).\n`);
  } finally {
    await storage.close();
  }
  return EXIT_OK;
}

/**
 * `scamgraph user add NAME --role analyst|officer|admin [--password-stdin]`: without --password-stdin a
 * random password is generated and printed once. `scamgraph user reset NAME --reason TEXT`: a one-time
 * password, printed once, that only lets the user choose a new one at sign-in (for an administrator locked
 * out with no other administrator to ask). Both are audited with the actor `cli`.
 */
export async function userCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, reason: { type: 'string' }, data: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, name] = positionals;
  if ((action !== 'add' && action !== 'reset') || name === undefined || positionals.length !== 2) throw new UsageError('usage: scamgraph user add NAME --role ROLE | user reset NAME --reason TEXT');
  if (action === 'reset') {
    if (values.reason === undefined || values.reason.trim().length < 3) throw new UsageError('user reset needs --reason TEXT (3 characters or more; it goes into the audit log)');
    if (values.role !== undefined || values['password-stdin'] !== undefined) throw new UsageError('user reset takes no --role or --password-stdin');
    return withScamgraph(withDataDir(base, values.data), {}, async (sg) => {
      const reset = await sg.auth.resetPassword(null, name, values.reason as string);
      io.stdout.write(`Reset the password of ${reset.username}; ${reset.endedSessions} session(s) ended. One-time password (shown once; a new one is chosen at sign-in): ${reset.password}\n`);
      return EXIT_OK;
    });
  }
  if (!ROLES.includes(values.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  if (values.reason !== undefined) throw new UsageError('user add takes no --reason');
  const generated = values['password-stdin'] !== true;
  const password = generated ? generatePassword() : (await readAll(io.stdin)).split(/\r?\n/)[0] ?? '';
  return withScamgraph(withDataDir(base, values.data), {}, async (sg) => {
    const user = await sg.auth.addUser(name, password, values.role as Role, 'cli');
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
