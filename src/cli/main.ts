import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { AppError } from '../errors.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIO, config: Readonly<Config>) => Promise<number>;

// Each command's module is loaded only when it runs: loading them all (the HTTP app, the importer, argon2…)
// cost a one-off `check` or `normalize` seconds before it did anything.
const COMMANDS: Record<string, () => Promise<Command>> = {
  normalize: async () => {
    const { normalizeCommand } = await import('./normalize.command.js');
    return (args, io, config) => normalizeCommand(args, io, config.defaultRegion);
  },
  extract: async () => {
    const { extractCommand } = await import('./extract.command.js');
    return (args, io, config) => extractCommand(args, io, config.defaultRegion);
  },
  classify: async () => {
    const { classifyCommand } = await import('./classify.command.js');
    return (args, io, config) => classifyCommand(args, io, config.defaultRegion);
  },
  serve: async () => (await import('./serve.command.js')).serveCommand,
  check: async () => (await import('./check.command.js')).checkCommand,
  import: async () => (await import('./import.command.js')).importCommand,
  migrate: async () => (await import('./admin.commands.js')).migrateCommand,
  user: async () => (await import('./admin.commands.js')).userCommand,
  audit: async () => (await import('./admin.commands.js')).auditCommand,
  clusters: async () => (await import('./clusters.command.js')).clustersCommand,
  demo: async () => (await import('./demo.command.js')).demoCommand,
  partner: async () => (await import('./partner.command.js')).partnerCommand,
  feeds: async () => (await import('./feeds.command.js')).feedsCommand,
  senders: async () => (await import('./senders.command.js')).sendersCommand,
  keys: async () => (await import('./keys.command.js')).keysCommand,
  retention: async () => (await import('./retention.command.js')).retentionCommand,
};

/** The commands that open the database: while a server runs on the embedded one, they run inside it. */
export const DATABASE_COMMANDS = new Set(['check', 'import', 'migrate', 'user', 'audit', 'clusters', 'demo', 'partner', 'feeds', 'senders', 'keys', 'retention']);

/** The embedded data directory a database command would open (its `--data`, else the configured one); null on PostgreSQL. */
function embeddedDataDir(args: string[], config: Readonly<Config>): string | null {
  if (config.databaseUrl !== null || config.dataDir === 'memory://') return null;
  // Lenient: the command itself reports a bad option, here or in the server.
  const { values } = parseArgs({ args, options: { data: { type: 'string' } }, strict: false, allowPositionals: true });
  return resolve(typeof values.data === 'string' ? values.data : config.dataDir);
}

/** Runs one CLI command; returns the exit code. Usage errors print the usage to stderr and return 2. */
export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  return dispatch(argv, io, null);
}

/** Runs a command a CLI process sent to this server (control-socket.ts), on the server's config. */
export function runServedCommand(argv: string[], io: CliIO, config: Readonly<Config>): Promise<number> {
  return dispatch(argv, io, config);
}

async function dispatch(argv: string[], io: CliIO, servedConfig: Readonly<Config> | null): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const load = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (load === undefined) throw new UsageError(name === undefined ? 'no command given' : `unknown command “${name}”`);
    if (servedConfig !== null && !DATABASE_COMMANDS.has(name as string)) throw new UsageError(`“${name}” does not run through a server`);
    const config = servedConfig ?? loadConfig();
    if (servedConfig === null && DATABASE_COMMANDS.has(name as string)) {
      const dataDir = embeddedDataDir(args, config);
      // A server on this data directory holds it: the command runs there, or it could not open the database.
      const code = dataDir === null ? null : await (await import('./control-socket.js')).sendToServer(argv, io, dataDir);
      if (code !== null) return code;
    }
    const command = await load();
    return await command(args, io, config);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`scamgraph: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof AppError) {
      // A refusal with a stable code (the data directory is locked, the user exists): not a crash.
      io.stderr.write(`scamgraph: ${error.message} [${error.code}]\n`);
      return EXIT_FAILURE;
    }
    const isUsage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (!isUsage) throw error;
    io.stderr.write(`scamgraph: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
}
