import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { rotateMasterSecret, type Rotation } from '../modules/audit/key-rotation.js';
import { describeKeyring } from '../storage/keyring.js';
import { loadMasterSecret, masterKeyId, parseSecret, promoteSecretFile, stageSecretFile } from '../storage/secrets.js';
import { cliPath, describeStorage, displayPath, withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, readAll, type CliIO } from './io.js';

const USAGE = 'usage: scamgraph keys rotate [--new-secret-file FILE | --new-secret-stdin] [--json] | scamgraph keys status [--json]';

/**
 * `scamgraph keys rotate`: replaces the master secret. The data keys are re-wrapped under the new secret in
 * one transaction, audited (`keys.rotate`), and nothing is re-encrypted: contacts, webhook secrets, the audit
 * chain, fingerprints and STIX ids are all as they were (docs/keys.md). The new secret comes from FILE or
 * stdin (32 bytes in base64); with the data directory's own secret.key and neither, one is generated and the
 * key file replaced (staged as secret.key.next first, so a crash never leaves the database wrapped under a
 * secret no file holds). `scamgraph keys status`: the secret's id and the data keys' versions.
 */
export async function keysCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'new-secret-file': { type: 'string' }, 'new-secret-stdin': { type: 'boolean' }, json: { type: 'boolean' }, data: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action] = positionals;
  if (positionals.length !== 1 || (action !== 'rotate' && action !== 'status')) throw new UsageError(USAGE);
  const config = withDataDir(base, values.data);
  if (action === 'status') {
    if (values['new-secret-file'] !== undefined || values['new-secret-stdin'] !== undefined) throw new UsageError('keys status takes no new secret');
    return withScamgraph(config, {}, async (sg) => {
      const keys = await describeKeyring(sg.db);
      if (values.json === true) {
        io.stdout.write(JSON.stringify({ keys }) + '\n');
        return EXIT_OK;
      }
      io.stdout.write(`Data keys of the ${describeStorage(config)}, wrapped under the master secret with key id ${keys[0]?.masterId ?? '-'}:\n`);
      for (const k of keys) io.stdout.write(`  ${k.purpose} v${k.version} (wrapped ${k.wrappedAt})\n`);
      return EXIT_OK;
    });
  }
  if (values['new-secret-file'] !== undefined && values['new-secret-stdin'] === true) throw new UsageError('give the new secret once: --new-secret-file FILE or --new-secret-stdin');
  const given = values['new-secret-file'] !== undefined ? readFileSync(cliPath(values['new-secret-file']), 'utf8') : values['new-secret-stdin'] === true ? await readAll(io.stdin) : null;
  if (given === null && config.secretKey !== null) {
    throw new UsageError('keys rotate with SCAMGRAPH_SECRET_KEY set needs the new secret: --new-secret-file FILE or --new-secret-stdin (32 bytes in base64: openssl rand -base64 32)');
  }
  const next = given === null ? randomBytes(32) : parseSecret(given);
  // The message never repeats the text: it may be a secret.
  if (next === null) throw new UsageError('the new secret is not 32 bytes in base64 (openssl rand -base64 32)');
  return withScamgraph(config, {}, async (sg) => {
    // Read after opening: opening finishes a rotation of the key file that a crash interrupted.
    const master = loadMasterSecret(config.secretKey, config.dataDir, config.databaseUrl !== null);
    if (masterKeyId(next) === masterKeyId(master.key)) throw new UsageError('the new secret is the one in use');
    if (master.file !== null) stageSecretFile(master.file, next);
    let rotation: Rotation;
    try {
      rotation = await rotateMasterSecret(sg.db, sg.secrets.auditKey, master.key, next, 'cli');
    } catch (error) {
      if (master.file !== null) rmSync(`${master.file}.next`, { force: true });
      throw error;
    }
    if (master.file !== null) promoteSecretFile(master.file);
    if (values.json === true) {
      io.stdout.write(JSON.stringify({ from: rotation.from, to: rotation.to, keys: rotation.keys, auditSeq: rotation.seq, keyFile: master.file }) + '\n');
      return EXIT_OK;
    }
    const keys = rotation.keys.map((k) => `${k.purpose} v${k.version}`).join(', ');
    io.stdout.write(`Rotated the master secret: key id ${rotation.from} -> ${rotation.to}. Re-wrapped ${rotation.keys.length} data keys (${keys}); nothing re-encrypted. Audit row ${rotation.seq}.\n`);
    io.stdout.write(
      master.file !== null
        ? `The new secret is in ${displayPath(master.file)}; the old one is no longer needed (remove copies of it kept apart from database backups).\n`
        : 'Now set SCAMGRAPH_SECRET_KEY to the new secret on every server of this database and restart them: running servers keep working; one started with the old secret refuses to start.\n',
    );
    return EXIT_OK;
  });
}
