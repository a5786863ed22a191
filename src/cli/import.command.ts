import { basename, join } from 'node:path';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { importFeed, importReports, type ImportProgress, type ImportSummary } from '../modules/reports/report.import.js';
import { cliPath, displayPath, withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

const FEED_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/**
 * A progress bar over the file's bytes on a terminal; elsewhere (CI, pipes) a plain line every 10 seconds,
 * so a long import in a log still shows it is alive.
 */
function progressReporter(io: CliIO, size: number): { update: (p: ImportProgress) => void; stop: () => void } {
  if ((io.stderr as { isTTY?: boolean }).isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { stream: io.stderr as NodeJS.WritableStream, format: 'importing [{bar}] {percentage}% | {stored} stored, {rejected} rejected | {eta_formatted} left', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(size, 0, { stored: 0, rejected: 0 });
    return { update: (p) => bar.update(Math.min(p.bytes, size), { stored: p.stored.toLocaleString('en-US'), rejected: p.rejected }), stop: () => bar.stop() };
  }
  let last = performance.now();
  return {
    update: (p) => {
      if (performance.now() - last < 10_000) return;
      last = performance.now();
      io.stderr.write(`importing: ${p.records.toLocaleString('en-US')} records read, ${p.stored.toLocaleString('en-US')} stored, ${p.rejected} rejected\n`);
    },
    stop: () => undefined,
  };
}

function printSummary(io: CliIO, what: string, s: ImportSummary, rejectsPath: string): void {
  const rate = Math.round(s.records / (s.seconds || 1)).toLocaleString('en-US');
  io.stdout.write(
    `${s.records.toLocaleString('en-US')} records in ${s.seconds.toFixed(1)} s (${rate}/s): ${s.stored.toLocaleString('en-US')} ${what} added, ` +
      `${s.alreadyPresent.toLocaleString('en-US')} already present, ${s.duplicates} linked as duplicates, ${s.rejected} rejected` +
      (s.rejected > 0 ? ` (see ${displayPath(rejectsPath)})` : '') +
      '\n',
  );
}

/**
 * Where an import's bad records go unless `--rejects` says: `DATA_DIR/rejects/FILE.rejects.jsonl`, Scamgraph's
 * own (owner-only) directory. Never beside the input, whose folder may be shared, read-only or someone else's
 * (the README's example reads ../shared/data).
 */
function defaultRejectsPath(config: Readonly<Config>, file: string): string {
  if (config.dataDir === 'memory://') throw new UsageError('an in-memory database has no data directory for rejects: give --rejects PATH');
  const dir = join(cliPath(config.dataDir), 'rejects');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `${basename(file)}.rejects.jsonl`);
}

/** `scamgraph import FILE [--as reports|feed:NAME] [--level suspicious|high_risk] [--column NAME] [--ttl-days N] [--source NAME] [--rejects PATH]`. */
export async function importCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      as: { type: 'string' },
      level: { type: 'string' },
      column: { type: 'string' },
      'ttl-days': { type: 'string' },
      source: { type: 'string' },
      rejects: { type: 'string' },
      data: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('import takes exactly one FILE');
  const file = cliPath(positionals[0] as string);
  let size = -1;
  try {
    const stat = statSync(file);
    if (stat.isFile()) size = stat.size;
  } catch {
    // reported below
  }
  if (size < 0) throw new UsageError(`“${file}” is not a file that can be read`);
  const as = values.as ?? 'reports';
  const feed = as.startsWith('feed:') ? as.slice(5) : null;
  if (as !== 'reports' && (feed === null || !FEED_NAME_RE.test(feed))) throw new UsageError('--as is "reports" or "feed:NAME" (NAME: letters, digits, . _ -)');
  if (feed !== null && values.level !== 'suspicious' && values.level !== 'high_risk') throw new UsageError('a feed needs --level suspicious or --level high_risk');
  const ttl = values['ttl-days'];
  if (ttl !== undefined && (feed === null || !/^[1-9][0-9]{0,4}$/.test(ttl))) throw new UsageError('--ttl-days is for a feed: the days (1 to 99999) a listing counts after it is made or renewed');
  const source = values.source ?? basename(file);
  const config = withDataDir(base, values.data);
  const rejectsPath = values.rejects === undefined ? defaultRejectsPath(config, file) : cliPath(values.rejects);
  try {
    closeSync(openSync(rejectsPath, 'a'));
  } catch {
    throw new UsageError(`cannot write the rejects file “${rejectsPath}” (choose one with --rejects)`);
  }
  return withScamgraph(config, {}, async (sg) => {
    const progress = progressReporter(io, size);
    const options = { region: sg.config.defaultRegion, policy: sg.config.verdicts, rejectsPath, onProgress: progress.update };
    try {
      const summary =
        feed === null
          ? await importReports(sg.db, sg.secrets, file, source, options)
          : await importFeed(sg.db, file, feed, { ...options, level: values.level as 'suspicious' | 'high_risk', column: values.column, ttlDays: ttl === undefined ? undefined : Number(ttl) });
      progress.stop();
      printSummary(io, feed === null ? 'reports' : `entries of feed ${feed}`, summary, rejectsPath);
    } finally {
      progress.stop();
    }
    return EXIT_OK;
  });
}
