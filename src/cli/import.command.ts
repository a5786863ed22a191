import { basename, join } from 'node:path';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { pullTaxiiCollection } from '../modules/feeds/taxii-pull.js';
import { importFeed, importReports, type ImportProgress, type ImportSummary } from '../modules/reports/report.import.js';
import { importMispFeed, isFeedUrl } from '../modules/reports/misp.import.js';
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

/** `Name: value`, as curl's -H and MISP's feed headers take it; no line breaks (they would start another header). */
function parseHeaders(given: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const text of given) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}):[ \t]*([^\r\n]{1,4096})$/.exec(text);
    if (m === null) throw new UsageError('--header is “Name: value”, such as --header "Authorization: Bearer KEY"');
    headers[(m[1] as string).toLowerCase()] = (m[2] as string).trim();
  }
  return headers;
}

/**
 * `scamgraph import FILE [--as reports|feed:NAME] [--level suspicious|high_risk] [--column NAME] [--ttl-days N] [--source NAME] [--rejects PATH]`,
 * or `scamgraph import --misp-feed URL|DIR --as feed:NAME --level … [--header "Name: value"]… [--ttl-days N] [--rejects PATH]`.
 */
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
      'misp-feed': { type: 'string' },
      taxii: { type: 'string' },
      collection: { type: 'string' },
      header: { type: 'string', multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  const misp = values['misp-feed'];
  if (misp !== undefined && values.taxii !== undefined) throw new UsageError('--misp-feed and --taxii are two sources: give one');
  if (misp !== undefined) return importMisp(misp, values, positionals, io, base);
  if (values.taxii !== undefined) return importTaxii(values.taxii, values, positionals, io, base);
  if (values.collection !== undefined) throw new UsageError('--collection is for --taxii URL');
  if (values.header !== undefined) throw new UsageError('--header is for --misp-feed URL or --taxii URL');
  if (positionals.length !== 1) throw new UsageError('import takes exactly one FILE (or --misp-feed URL|DIR, or --taxii URL --collection ID)');
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
  const ttl = ttlDays(values['ttl-days'], feed !== null);
  const source = values.source ?? basename(file);
  const config = withDataDir(base, values.data);
  const rejectsPath = rejectsFile(config, values.rejects, file);
  return withScamgraph(config, {}, async (sg) => {
    const progress = progressReporter(io, size);
    const options = { region: sg.config.defaultRegion, policy: sg.config.verdicts, rejectsPath, onProgress: progress.update };
    try {
      const summary =
        feed === null
          ? await importReports(sg.db, sg.secrets, file, source, options)
          : await importFeed(sg.db, file, feed, { ...options, level: values.level as 'suspicious' | 'high_risk', column: values.column, ttlDays: ttl });
      progress.stop();
      printSummary(io, feed === null ? 'reports' : `entries of feed ${feed}`, summary, rejectsPath);
    } finally {
      progress.stop();
    }
    return EXIT_OK;
  });
}

function ttlDays(given: string | undefined, isFeed: boolean): number | undefined {
  if (given !== undefined && (!isFeed || !/^[1-9][0-9]{0,4}$/.test(given))) throw new UsageError('--ttl-days is for a feed: the days (1 to 99999) a listing counts after it is made or renewed');
  return given === undefined ? undefined : Number(given);
}

/** The rejects file, checked writable before any work. */
function rejectsFile(config: Readonly<Config>, given: string | undefined, input: string): string {
  const rejectsPath = given === undefined ? defaultRejectsPath(config, input) : cliPath(given);
  try {
    closeSync(openSync(rejectsPath, 'a'));
  } catch {
    throw new UsageError(`cannot write the rejects file “${rejectsPath}” (choose one with --rejects)`);
  }
  return rejectsPath;
}

/** `import --taxii URL --collection ID`: a peer centre's TAXII 2.1 collection (docs/feeds.md, "Pulling a peer's collection") kept as a feed. */
async function importTaxii(
  apiRoot: string,
  values: { as?: string; level?: string; column?: string; source?: string; 'ttl-days'?: string; rejects?: string; data?: string; header?: string[]; collection?: string },
  positionals: string[],
  io: CliIO,
  base: Readonly<Config>,
): Promise<number> {
  if (positionals.length > 0) throw new UsageError('--taxii takes the place of FILE: give one or the other');
  const feed = values.as?.startsWith('feed:') === true ? values.as.slice(5) : null;
  if (feed === null || !FEED_NAME_RE.test(feed)) throw new UsageError('--taxii needs --as feed:NAME (NAME: letters, digits, . _ -)');
  if (values.level !== 'suspicious' && values.level !== 'high_risk') throw new UsageError('a feed needs --level suspicious or --level high_risk');
  if (values.collection === undefined || values.collection === '') throw new UsageError('--taxii needs --collection ID (the collections are listed at URL/collections/)');
  if (values.column !== undefined || values.source !== undefined) throw new UsageError('--column and --source are for FILE; a TAXII collection holds STIX indicators');
  if (!/^https?:\/\//i.test(apiRoot)) throw new UsageError('--taxii is the http:// or https:// URL of a TAXII 2.1 API root');
  const headers = parseHeaders(values.header ?? []);
  const ttl = ttlDays(values['ttl-days'], true);
  const config = withDataDir(base, values.data);
  const rejectsPath = rejectsFile(config, values.rejects, `taxii-${feed}`);
  return withScamgraph(config, {}, async (sg) => {
    let last = performance.now();
    const summary = await pullTaxiiCollection(sg.db, feed, {
      apiRoot,
      collection: values.collection as string,
      headers,
      region: sg.config.defaultRegion,
      policy: sg.config.verdicts,
      rejectsPath,
      level: values.level as 'suspicious' | 'high_risk',
      ttlDays: ttl,
      // The collection's size is not known before its last page: a line per page on a terminal, every 10 s elsewhere.
      onPage: (pages, objects) => {
        const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
        if (!tty && performance.now() - last < 10_000) return;
        last = performance.now();
        io.stderr.write(`${tty ? '\r' : ''}pulling: ${pages.toLocaleString('en-US')} pages, ${objects.toLocaleString('en-US')} objects${tty ? '' : '\n'}`);
      },
    });
    if ((io.stderr as { isTTY?: boolean }).isTTY === true) io.stderr.write('\n');
    const n = (x: number) => x.toLocaleString('en-US');
    io.stdout.write(
      `${n(summary.objects)} TAXII objects in ${n(summary.pages)} pages; ${n(summary.delisted)} listings ended (revoked or expired), ${n(summary.passedOver)} objects that are not STIX indicators passed over; ` +
        `next pull from ${summary.addedAfter ?? 'the start'}.\n`,
    );
    printSummary(io, `entries of feed ${feed}`, summary, rejectsPath);
    return EXIT_OK;
  });
}

/** `import --misp-feed URL|DIR`: a MISP feed's events (docs/feeds.md, "MISP") as entries of a feed. */
async function importMisp(
  source: string,
  values: { as?: string; level?: string; column?: string; source?: string; 'ttl-days'?: string; rejects?: string; data?: string; header?: string[] },
  positionals: string[],
  io: CliIO,
  base: Readonly<Config>,
): Promise<number> {
  if (positionals.length > 0) throw new UsageError('--misp-feed takes the place of FILE: give one or the other');
  const feed = values.as?.startsWith('feed:') === true ? values.as.slice(5) : null;
  if (feed === null || !FEED_NAME_RE.test(feed)) throw new UsageError('--misp-feed needs --as feed:NAME (NAME: letters, digits, . _ -)');
  if (values.level !== 'suspicious' && values.level !== 'high_risk') throw new UsageError('a feed needs --level suspicious or --level high_risk (attributes with to_ids false are listed at suspicious)');
  if (values.column !== undefined || values.source !== undefined) throw new UsageError('--column and --source are for FILE; a MISP feed names its own types');
  const url = isFeedUrl(source);
  if (!url && /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) throw new UsageError('--misp-feed is an http:// or https:// URL, or a directory');
  if (!url && values.header !== undefined) throw new UsageError('--header is for a feed over HTTP');
  const headers = parseHeaders(values.header ?? []);
  const where = url ? source : cliPath(source);
  if (!url) {
    let isDir = false;
    try {
      isDir = statSync(where).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new UsageError(`“${where}” is not a directory that can be read (a MISP feed: manifest.json and an {uuid}.json per event)`);
  }
  const ttl = ttlDays(values['ttl-days'], true);
  const config = withDataDir(base, values.data);
  const rejectsPath = rejectsFile(config, values.rejects, `misp-feed-${feed}`);
  return withScamgraph(config, {}, async (sg) => {
    let progress: ReturnType<typeof progressReporter> | null = null;
    try {
      const summary = await importMispFeed(sg.db, where, feed, {
        region: sg.config.defaultRegion,
        policy: sg.config.verdicts,
        rejectsPath,
        level: values.level as 'suspicious' | 'high_risk',
        ttlDays: ttl,
        headers,
        // A bar over the events the manifest names, once it is read.
        onEvents: (_done, total) => void (progress ??= progressReporter(io, total)),
        onProgress: (p) => progress?.update(p),
      });
      (progress as ReturnType<typeof progressReporter> | null)?.stop();
      const n = (x: number) => x.toLocaleString('en-US');
      io.stdout.write(`${n(summary.events)} MISP events read; ${n(summary.untyped)} attributes of types Scamgraph does not judge and ${n(summary.deleted)} revoked ones passed over.\n`);
      printSummary(io, `entries of feed ${feed}`, summary, rejectsPath);
    } finally {
      (progress as ReturnType<typeof progressReporter> | null)?.stop();
    }
    return EXIT_OK;
  });
}
