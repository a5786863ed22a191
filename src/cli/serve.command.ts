import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Config } from '../config.js';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../http/app.js';
import { hasWebApp } from '../http/web.js';
import { startCheckpointJob } from '../jobs/audit-checkpoint.job.js';
import { startRetentionJob } from '../jobs/retention.job.js';
import { openScamgraph, type Scamgraph } from '../main.js';
import { buildRpzZone } from '../modules/feeds/rpz.js';
import { RpzServer } from '../modules/feeds/rpz-server.js';
import { describeStorage, withDataDir } from './context.js';
import { listenForCommands, type CommandSocket } from './control-server.js';
import { runServedCommand } from './main.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

/** How often the policy zone's server looks at the verdict log's end (a NOTIFY follows a move within this). */
const RPZ_REFRESH_MS = 2_000;

function portOption(name: string, value: string | undefined, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--${name} must be 0..65535, not “${value}”`);
  return port;
}

/** The DNS policy zone's server (docs/feeds.md), rebuilt and announced whenever the verdict log moves. */
async function startRpz(sg: Scamgraph, config: Readonly<Config>, host: string, port: number, onError: (error: unknown) => void): Promise<{ port: number; stop: () => Promise<void> }> {
  const { feed, options, notify, tsigKeys } = config.rpz;
  const server = new RpzServer(() => buildRpzZone(sg.blockLists, feed, options), () => sg.verdicts.logEnd(), { host, port, notify, tsigKeys });
  const started = await server.start();
  let refreshing: Promise<void> | null = null;
  // One refresh at a time: a rebuild of a large zone may take longer than the interval.
  const timer = setInterval(() => (refreshing ??= server.refresh().then(() => undefined, onError).finally(() => (refreshing = null))), RPZ_REFRESH_MS);
  return {
    port: started.port,
    stop: async () => {
      clearInterval(timer);
      await refreshing;
      await server.close();
    },
  };
}

/** `scamgraph serve`: loads the lookup index, follows the change log and serves the HTTP API until stopped. */
export async function serveCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, 'rpz-port': { type: 'string' }, 'rpz-host': { type: 'string' } },
    strict: true,
  });
  const port = portOption('port', values.port, base.port);
  const rpzPort = values['rpz-port'] === undefined ? null : portOption('rpz-port', values['rpz-port'], 0);
  const config = withDataDir(base, values.data);
  const started = performance.now();
  const sg = await openScamgraph(config, { loadIndex: true, follow: true });
  // Buffered log writes: a synchronous write per request was a measurable share of each check's cost.
  const logStream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const web = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const app = await buildApp(sg, { logger: { level: 'info', stream: logStream }, web: hasWebApp(web) ? web : undefined });
  const address = await app.listen({ port, host: values.host ?? config.host });
  const rpz = rpzPort === null ? null : await startRpz(sg, config, values['rpz-host'] ?? values.host ?? config.host, rpzPort, (error) => app.log.error({ job: 'rpz' }, (error as Error).message));
  const checkpoints = startCheckpointJob(sg.audit, config.auditCheckpoints.intervalMinutes * 60_000, (error) => app.log.error({ job: 'audit-checkpoint' }, (error as Error).message));
  // Counts only: what retention removed is in the audit log, never in the server's log.
  const retention = startRetentionJob(sg.retention, 86_400_000, (error) => app.log.error({ job: 'retention' }, (error as Error).message), (run) => app.log.info({ job: 'retention', ran: run.ran, ...run.deleted }, 'retention schedule applied'));
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
      (rpz === null ? '' : `DNS policy zone ${config.rpz.options.zone} (feed ${config.rpz.feed}) by zone transfer on port ${rpz.port}, TCP and UDP${config.rpz.tsigKeys.length > 0 ? `, TSIG required (${config.rpz.tsigKeys.length} key${config.rpz.tsigKeys.length === 1 ? '' : 's'})` : ''}.\n`) +
      commandsNote,
  );
  await new Promise<void>((resolveStop) => {
    const stop = (): void => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await checkpoints.stop();
  await retention.stop();
  await rpz?.stop();
  await commands?.close();
  await app.close();
  await sg.close();
  logStream.flushSync();
  return EXIT_OK;
}
