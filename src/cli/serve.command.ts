import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Config } from '../config.js';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../http/app.js';
import { hasWebApp } from '../http/web.js';
import { startCheckpointJob } from '../jobs/audit-checkpoint.job.js';
import { openScamgraph } from '../main.js';
import { describeStorage, withDataDir } from './context.js';
import { listenForCommands, type CommandSocket } from './control-server.js';
import { runServedCommand } from './main.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

/** `scamgraph serve`: loads the lookup index, follows the change log and serves the HTTP API until stopped. */
export async function serveCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } }, strict: true });
  const port = values.port === undefined ? base.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not “${values.port}”`);
  const config = withDataDir(base, values.data);
  const started = performance.now();
  const sg = await openScamgraph(config, { loadIndex: true, follow: true });
  // Buffered log writes: a synchronous write per request was a measurable share of each check's cost.
  const logStream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const web = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const app = await buildApp(sg, { logger: { level: 'info', stream: logStream }, web: hasWebApp(web) ? web : undefined });
  const address = await app.listen({ port, host: values.host ?? config.host });
  const checkpoints = startCheckpointJob(sg.audit, config.auditCheckpoints.intervalMinutes * 60_000, (error) => app.log.error({ job: 'audit-checkpoint' }, (error as Error).message));
  // The embedded database is this process's alone: the CLI's database commands on it run in here.
  let commands: CommandSocket | null = null;
  let commandsNote = '';
  if (config.databaseUrl === null && config.dataDir !== 'memory://') {
    try {
      commands = await listenForCommands(sg, config.dataDir, runServedCommand);
      commandsNote = `CLI commands on this data directory (scamgraph demo, check, user add, …) run in this server.\n`;
    } catch (error) {
      // A socket path longer than the system allows (about 100 bytes), say: the server still serves.
      commandsNote = `CLI commands cannot reach this server (${(error as Error).message}); stop it to run them.\n`;
    }
  }
  io.stderr.write(
    `Scamgraph listening on ${address} (${describeStorage(config)}); ${sg.verdicts.index.count.toLocaleString('en-US')} entries indexed (${(sg.verdicts.index.byteSize / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s.\n` +
      `API docs: ${address}/api/docs\n` +
      (hasWebApp(web) ? `Web app: ${address}/\n` : 'Web app not built (npm run build:web); serving the API only.\n') +
      commandsNote,
  );
  await new Promise<void>((resolveStop) => {
    const stop = (): void => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await checkpoints.stop();
  await commands?.close();
  await app.close();
  await sg.close();
  logStream.flushSync();
  return EXIT_OK;
}
