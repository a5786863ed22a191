import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import type { ClusterSummary } from '../modules/clusters/cluster-queries.repository.js';
import type { ClusterDetail } from '../modules/clusters/clusters.service.js';
import type { RebuildProgress } from '../modules/clusters/clusters-rebuild.repository.js';
import { withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

const USAGE = 'usage: scamgraph clusters list [--json] [--min-reports N] [--limit N] | show ID [--json] | rebuild';

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new UsageError(`${name} must be a positive whole number`);
  return Number(value);
}

const day = (d: Date | null): string => (d === null ? '-' : d.toISOString().slice(0, 10));

/** A cluster as JSON: dates as ISO strings, everything else as summarised. */
function asJson(c: ClusterSummary | ClusterDetail): string {
  return JSON.stringify({ ...c, firstSeen: c.firstSeen?.toISOString() ?? null, lastSeen: c.lastSeen?.toISOString() ?? null });
}

function describe(c: ClusterSummary): string {
  const loss = c.loss.map((l) => `${l.currency} ${l.amount}`).join(', ') || 'no loss reported';
  const top = c.topIndicators
    .slice(0, 3)
    .map((i) => `${i.key} (${i.reports})`)
    .join(', ');
  return `cluster ${c.id}: ${c.reportCount} reports from ${c.reporterCount} reporters, ${day(c.firstSeen)} to ${day(c.lastSeen)}, ${loss}, ${c.status}${top === '' ? '' : `; held by ${top}`}`;
}

function rebuildReporter(io: CliIO): { update: (p: RebuildProgress) => void; stop: () => void } {
  if ((io.stderr as { isTTY?: boolean }).isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ stream: io.stderr as NodeJS.WritableStream, format: '{step} [{bar}] {percentage}% | {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic);
  let step = '';
  return {
    update: (p) => {
      if (p.step !== step) {
        if (step !== '') bar.stop();
        step = p.step;
        bar.start(p.total, p.done, { step });
      } else bar.update(p.done);
    },
    stop: () => bar.stop(),
  };
}

/** `scamgraph clusters list|show|rebuild`: the correlated clusters of reports, read from the command line. */
export async function clustersCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, 'min-reports': { type: 'string' }, limit: { type: 'string' }, data: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, id] = positionals;
  const config = withDataDir(base, values.data);
  if (action === 'list' && positionals.length === 1) {
    const minReports = positiveInt(values['min-reports'], '--min-reports', 2);
    const limit = positiveInt(values.limit, '--limit', 50);
    return withScamgraph(config, {}, async (sg) => {
      const clusters = await sg.clusters.list(minReports, limit);
      for (const c of clusters) io.stdout.write((values.json === true ? asJson(c) : describe(c)) + '\n');
      if (values.json !== true && clusters.length === 0) io.stdout.write(`No cluster has ${minReports} reports or more.\n`);
      return EXIT_OK;
    });
  }
  if (action === 'show' && positionals.length === 2) {
    const clusterId = positiveInt(id, 'ID', 0);
    return withScamgraph(config, {}, async (sg) => {
      const c = await sg.clusters.show(clusterId);
      if (values.json === true) {
        io.stdout.write(asJson(c) + '\n');
        return EXIT_OK;
      }
      io.stdout.write(describe(c) + '\n');
      io.stdout.write(`scam types: ${c.scamTypes.map((t) => `${t.scamType} ${t.reports}`).join(', ')}\n`);
      io.stdout.write(`channels: ${c.channels.map((t) => `${t.channel} ${t.reports}`).join(', ')}\n`);
      io.stdout.write(`statuses: ${c.statuses.map((t) => `${t.status} ${t.reports}`).join(', ')}\n`);
      io.stdout.write(`reports per day: ${c.perDay.map((d) => `${d.day} ${d.reports}`).join(', ')}\n`);
      for (const i of c.topIndicators) io.stdout.write(`  ${String(i.reports).padStart(6)}  ${i.kind.padEnd(14)} ${i.key}\n`);
      for (const s of c.suggestions) io.stdout.write(`  related (not merged): cluster ${s.cluster}, ${s.relation.replace(/_/g, ' ')}: ${s.key} ~ ${s.via}\n`);
      return EXIT_OK;
    });
  }
  if (action === 'rebuild' && positionals.length === 1) {
    return withScamgraph(config, {}, async (sg) => {
      const progress = rebuildReporter(io);
      const s = await sg.clusters.rebuild('cli', progress.update).finally(progress.stop);
      io.stdout.write(
        `Rebuilt ${s.clusters.toLocaleString('en-US')} clusters from ${s.reports.toLocaleString('en-US')} reports and ${s.keys.toLocaleString('en-US')} keys ` +
          `in ${s.seconds.toFixed(1)} s; ${s.clustered.toLocaleString('en-US')} reports share a cluster with another.\n`,
      );
      return EXIT_OK;
    });
  }
  throw new UsageError(USAGE);
}
