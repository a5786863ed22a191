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
  serve: async () => (await import('./serve.command.js')).serveCommand,
  check: async () => (await import('./check.command.js')).checkCommand,
  import: async () => (await import('./import.command.js')).importCommand,
  migrate: async () => (await import('./admin.commands.js')).migrateCommand,
  user: async () => (await import('./admin.commands.js')).userCommand,
  audit: async () => (await import('./admin.commands.js')).auditCommand,
  clusters: async () => (await import('./clusters.command.js')).clustersCommand,
  demo: async () => (await import('./demo.command.js')).demoCommand,
};

/** Runs one CLI command; returns the exit code. Usage errors print the usage to stderr and return 2. */
export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const load = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (load === undefined) throw new UsageError(name === undefined ? 'no command given' : `unknown command “${name}”`);
    const config = loadConfig();
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
