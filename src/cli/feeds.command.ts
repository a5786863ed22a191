import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { MispFeedFiles } from '../modules/feeds/misp.js';
import { buildRpzZone, zoneFile } from '../modules/feeds/rpz.js';
import { cliPath, displayPath, withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

/**
 * `scamgraph feeds rpz --out FILE [--feed NAME] [--data DIR]`: writes the DNS policy zone as a master file, for
 * resolvers that load one (Unbound's `zonefile:`, BIND's `file`). The file appears whole or not at all: it is
 * written beside its place and renamed, so a resolver reloading meanwhile reads the old zone or the new one.
 * `scamgraph feeds misp --out DIR [--feed NAME] [--data DIR]`: writes a MISP feed directory (mispCommand).
 */
export async function feedsCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'misp') return mispCommand(rest, io, base);
  if (sub !== 'rpz') throw new UsageError(sub === undefined ? 'feeds needs a subcommand: rpz or misp' : `unknown feeds subcommand “${sub}” (there are rpz and misp)`);
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, feed: { type: 'string' }, data: { type: 'string' } }, strict: true });
  if (values.out === undefined || values.out === '') throw new UsageError('feeds rpz needs --out FILE');
  const out = cliPath(values.out);
  const config = withDataDir(base, values.data);
  return withScamgraph(config, {}, async (sg) => {
    const feed = values.feed ?? config.rpz.feed;
    const zone = await buildRpzZone(sg.blockLists, feed, config.rpz.options);
    const partial = `${out}.${process.pid}.partial`;
    try {
      await pipeline(Readable.from(zoneFile(zone)), createWriteStream(partial, { mode: 0o644 }));
      await rename(partial, out);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const names = zone.records.filter((r) => r.type === 'CNAME' && !r.name.startsWith('*.'));
    const passthru = names.filter((r) => r.data === 'rpz-passthru').length;
    io.stdout.write(`${displayPath(out)}: zone ${config.rpz.options.zone}, serial ${zone.soa.data.serial}, ${(names.length - passthru).toLocaleString('en-US')} sites blocked, ${passthru.toLocaleString('en-US')} protected (feed ${feed}).\n`);
    return EXIT_OK;
  });
}

/** A file put in place whole: written beside its name, then renamed over it. */
async function replaceFile(path: string, text: string): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  try {
    await writeFile(partial, text, { mode: 0o644 });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

const EVENT_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$/;

/**
 * The MISP feed as a directory that a web server can serve, or a MISP can read as a local feed. Each file is
 * renamed into place whole, the events and hashes.csv first and manifest.json last: a MISP reading meanwhile
 * finds either the old manifest, whose events are all there still (an event keeps its uuid and is only ever
 * rewritten), or the new one, whose events are written. Event files no manifest names any more (the feed's
 * definition changed) are removed after it.
 */
async function mispCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, feed: { type: 'string' }, data: { type: 'string' } }, strict: true });
  if (values.out === undefined || values.out === '') throw new UsageError('feeds misp needs --out DIR');
  const out = cliPath(values.out);
  const config = withDataDir(base, values.data);
  return withScamgraph(config, {}, async (sg) => {
    const feed = values.feed ?? config.mispFeed;
    const files: MispFeedFiles = await sg.misp.files(feed);
    await mkdir(out, { recursive: true });
    for (const [uuid, { text }] of files.events) await replaceFile(join(out, `${uuid}.json`), text);
    await replaceFile(join(out, 'hashes.csv'), files.hashes);
    await replaceFile(join(out, 'manifest.json'), files.manifest);
    for (const name of await readdir(out)) if (EVENT_FILE.test(name) && !files.events.has(name.slice(0, -5))) await rm(join(out, name), { force: true });
    const attributes = [...files.events.values()].flatMap((e) => e.event.Attribute);
    const revoked = attributes.filter((a) => a.deleted).length;
    const n = (x: number) => x.toLocaleString('en-US');
    io.stdout.write(
      `${displayPath(out)}: MISP feed ${feed}, ${n(files.events.size)} events (one per day of listing), ${n(attributes.length - revoked)} values listed, ${n(revoked)} revoked, ` +
        `${n(files.untyped)} left out (no MISP type), verdict log ${files.cursor}.\n`,
    );
    return EXIT_OK;
  });
}
