import { ConfigError, loadConfig, type Config } from '../config.js';
import { AppError } from '../errors.js';
import { auditCommand, migrateCommand, userCommand } from './admin.commands.js';
import { checkCommand } from './check.command.js';
import { clustersCommand } from './clusters.command.js';
import { demoCommand } from './demo.command.js';
import { extractCommand } from './extract.command.js';
import { importCommand } from './import.command.js';
import { serveCommand } from './serve.command.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { normalizeCommand } from './normalize.command.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIO, config: Readonly<Config>) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  normalize: (args, io, config) => normalizeCommand(args, io, config.defaultRegion),
  extract: (args, io, config) => extractCommand(args, io, config.defaultRegion),
  serve: serveCommand,
  check: checkCommand,
  import: importCommand,
  migrate: migrateCommand,
  user: userCommand,
  audit: auditCommand,
  clusters: clustersCommand,
  demo: demoCommand,
};

/** Runs one CLI command; returns the exit code. Usage errors print the usage to stderr and return 2. */
export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (command === undefined) throw new UsageError(name === undefined ? 'no command given' : `unknown command “${name}”`);
    const config = loadConfig();
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
