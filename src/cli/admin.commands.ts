import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { AuditReport } from '../modules/audit/audit.service.js';
import { latestCheckpointIn, type Checkpoint } from '../modules/audit/checkpoint.js';
import { loadSigningKey, publicKeyPem, readPublicKey } from '../modules/audit/signing-key.js';
import { ROLES, type Role } from '../modules/auth/auth.service.js';
import { generatePassword } from '../modules/auth/passwords.js';
import { migrateToLatest } from '../storage/migrate.js';
import { cliPath, describeStorage, withDataDir, withScamgraph, withStorage } from './context.js';
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

/**
 * `scamgraph audit verify [--checkpoint FILE] [--key PUBLIC_KEY] [--json]`: walks the hash chain and checks it
 * against the latest signed checkpoint (FILE's, else the checkpoint log's), then signs a new one; exit 1
 * naming the problem when it does not verify. `scamgraph audit key [--json]`: the public key partners check
 * checkpoints with.
 */
export async function auditCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { data: { type: 'string' }, json: { type: 'boolean' }, checkpoint: { type: 'string' }, key: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action] = positionals;
  if (positionals.length !== 1 || (action !== 'verify' && action !== 'key')) throw new UsageError('usage: scamgraph audit verify [--checkpoint FILE] [--key PUBLIC_KEY] | scamgraph audit key');
  const config = withDataDir(base, values.data);
  if (action === 'key') {
    if (values.checkpoint !== undefined || values.key !== undefined) throw new UsageError('audit key takes no --checkpoint or --key');
    const key = loadSigningKey(config.auditCheckpoints.signingKeyFile);
    io.stdout.write(values.json === true ? JSON.stringify({ keyId: key.keyId, publicKey: publicKeyPem(key) }) + '\n' : `${publicKeyPem(key)}key id (SHA-256 of the key, base64): ${key.keyId}\n`);
    return EXIT_OK;
  }
  // Relative to where the command was typed, also when it runs inside a server (cliPath).
  const given = values.checkpoint === undefined ? undefined : readCheckpointFile(cliPath(values.checkpoint));
  const trusted = values.key === undefined ? undefined : readPublicKey(cliPath(values.key));
  return withScamgraph(config, {}, async (sg) => {
    const report = await sg.audit.verify(given, trusted);
    io.stdout.write(values.json === true ? JSON.stringify(report) + '\n' : describeReport(report, sg.audit.checkpointLog));
    return report.broken === null ? EXIT_OK : 1;
  });
}

function readCheckpointFile(path: string): Checkpoint {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INVALID_CHECKPOINT', `Cannot read the checkpoint file ${path} (${(error as NodeJS.ErrnoException).code}).`);
  }
  const checkpoint = latestCheckpointIn(text, path);
  if (checkpoint === null) throw new AppError('INVALID_CHECKPOINT', `${path} holds no checkpoint.`);
  return checkpoint;
}

function describeReport(report: AuditReport, log: string): string {
  if (report.broken !== null) return `Audit log BROKEN at row ${report.broken.seq}: ${report.broken.problem} (${report.broken.detail}).\n`;
  const lines = [`Audit log verifies: ${report.rows} rows, chain intact.`];
  const c = report.checkpoint;
  lines.push(
    c === null
      ? 'No checkpoint to check it against yet: rows removed from its end, or a rewrite by someone holding the audit key, show only against a checkpoint signed before.'
      : `Consistent with the checkpoint of ${new Date(c.timestamp).toISOString()} (${c.tree_size} rows, head ${c.sha256_root_hash}).`,
  );
  const p = report.published as Checkpoint;
  lines.push(`Signed a checkpoint: ${p.tree_size} rows, head ${p.sha256_root_hash}, key ${p.key_id}; appended to ${log}.`);
  return lines.join('\n') + '\n';
}
