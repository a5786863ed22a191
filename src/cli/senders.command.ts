import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { IndicatorError } from '../modules/indicators/index.js';
import { SenderRegistryCsvError } from '../modules/senders/sender-registry-csv.js';
import type { SenderAssessment, StoredRegistryEntry } from '../modules/senders/sender-registry.types.js';
import { cliPath, displayPath, withDataDir, withScamgraph } from './context.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIO } from './io.js';

/** The command's usage, as `scamgraph senders` with no action prints it (and usage.ts lists it). */
export const SENDERS_USAGE =
  'usage: scamgraph senders import FILE --reason TEXT [--json] | senders list [--json] | senders suspend SENDER_ID --reason TEXT | senders reinstate SENDER_ID --reason TEXT | senders check SENDER_ID [--json]  (each with [--data DIR])';

/** Bad rows printed before "… and N more": enough to fix a file by, without flooding a terminal. */
const ROWS_SHOWN = 50;

const STATUS_WORDS: Record<SenderAssessment['status'], string> = {
  registered: 'REGISTERED',
  suspended: 'SUSPENDED (registration suspended)',
  expired: 'EXPIRED (registration ended)',
  lookalike: 'LOOK-ALIKE of a registered sender',
  unregistered_hash: 'NOT REGISTERED, yet starts with # (spoofed)',
  not_registered: 'NOT REGISTERED',
};

function needReason(reason: string | undefined, what: string): string {
  if (reason === undefined || reason.trim().length < 3) throw new UsageError(`${what} needs --reason TEXT (3 characters or more; it goes into the audit log)`);
  return reason;
}

function entryLine(e: StoredRegistryEntry): string {
  return `${e.senderId.padEnd(13)} ${e.status.padEnd(9)} ${e.registeredOn} to ${e.expiresOn ?? 'open'}  ${e.organisation}\n`;
}

function describeAssessment(a: SenderAssessment): string {
  const lines = [`${a.sender}: ${STATUS_WORDS[a.status]}`];
  if (a.entry !== undefined) lines.push(`  Registered entry: ${a.entry.senderId} (${a.entry.organisation}; ${a.entry.status}, ${a.entry.registeredOn} to ${a.entry.expiresOn ?? 'open'})`);
  for (const r of a.reasons) lines.push(`  - ${r.en} [${r.code}]`, `    ${r['zh-Hant']}`);
  return lines.join('\n') + '\n';
}

function readRegistryFile(path: string, io: CliIO): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    io.stderr.write(`scamgraph: cannot read ${displayPath(path)} (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return null;
  }
}

/**
 * `scamgraph senders …`: the SMS Sender Registry. `import` stores a registry CSV all or nothing (every bad row
 * printed with its line and code, exit 1); `suspend` and `reinstate` change one sender; `check` says what the
 * registry makes of a sender ID. Changes are audited with the actor `cli` and the reason given.
 */
export async function sendersCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { reason: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, ...rest] = positionals;
  const config = withDataDir(base, values.data);
  const json = values.json === true;

  if (action === 'import' && rest.length === 1) {
    const reason = needReason(values.reason, 'senders import');
    const path = cliPath(rest[0] as string);
    const text = readRegistryFile(path, io);
    if (text === null) return EXIT_FAILURE;
    return withScamgraph(config, {}, async (sg) => {
      try {
        const r = await sg.senders.importCsv('cli', text, reason);
        if (json) io.stdout.write(JSON.stringify(r) + '\n');
        else {
          io.stdout.write(`${r.changed ? 'Imported' : 'Nothing changed:'} ${displayPath(path)}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.\n`);
          if (r.protected.length > 0) io.stdout.write(`Now verified: ${r.protected.join(', ')}\n`);
          if (r.unprotected.length > 0) io.stdout.write(`No longer verified: ${r.unprotected.join(', ')}\n`);
        }
        return EXIT_OK;
      } catch (error) {
        if (!(error instanceof SenderRegistryCsvError)) throw error;
        if (json) io.stdout.write(JSON.stringify({ error: error.toJSON() }) + '\n');
        io.stderr.write(`scamgraph: ${displayPath(path)} has ${error.rows.length} bad row${error.rows.length === 1 ? '' : 's'}; nothing was stored [${error.code}]\n`);
        for (const row of error.rows.slice(0, ROWS_SHOWN)) io.stderr.write(`  line ${row.line}: ${row.code}: ${row.message}\n`);
        if (error.rows.length > ROWS_SHOWN) io.stderr.write(`  … and ${error.rows.length - ROWS_SHOWN} more\n`);
        return EXIT_FAILURE;
      }
    });
  }
  if (action === 'list' && rest.length === 0) {
    return withScamgraph(config, {}, async (sg) => {
      const entries = await sg.senders.list();
      if (json) for (const e of entries) io.stdout.write(JSON.stringify(e) + '\n');
      else io.stdout.write(entries.length === 0 ? 'The SMS Sender Registry is empty (scamgraph senders import FILE --reason TEXT).\n' : entries.map(entryLine).join(''));
      return EXIT_OK;
    });
  }
  if ((action === 'suspend' || action === 'reinstate') && rest.length === 1) {
    const reason = needReason(values.reason, `senders ${action}`);
    return withScamgraph(config, {}, async (sg) => {
      const { entry, changed } = await sg.senders.setStatus('cli', rest[0] as string, action === 'suspend' ? 'suspended' : 'active', reason);
      if (json) io.stdout.write(JSON.stringify({ entry, changed }) + '\n');
      else io.stdout.write(changed ? `${action === 'suspend' ? 'Suspended' : 'Reinstated'} ${entry.senderId} (${entry.organisation}).\n` : `${entry.senderId} is ${entry.status} already: nothing changed.\n`);
      return EXIT_OK;
    });
  }
  if (action === 'check' && rest.length === 1) {
    return withScamgraph(config, {}, async (sg) => {
      try {
        const assessment = await sg.senders.check(rest[0] as string);
        io.stdout.write(json ? JSON.stringify(assessment) + '\n' : describeAssessment(assessment));
        return EXIT_OK;
      } catch (error) {
        if (!(error instanceof IndicatorError)) throw error;
        io.stdout.write(json ? JSON.stringify({ input: rest[0], error: error.toJSON() }) + '\n' : `${error.message} [${error.code}]\n`);
        return EXIT_FAILURE;
      }
    });
  }
  throw new UsageError(SENDERS_USAGE);
}
