import { ConfigError, loadConfig } from '../config.js';
import { extractCommand } from './extract.command.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { normalizeCommand } from './normalize.command.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIO, defaultRegion: string) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  normalize: normalizeCommand,
  extract: extractCommand,
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
    return await command(args, io, config.defaultRegion);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`scamgraph: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const isUsage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (!isUsage) throw error;
    io.stderr.write(`scamgraph: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
}
