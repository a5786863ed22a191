import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { buildRpzZone, zoneFile } from '../modules/feeds/rpz.js';
import { cliPath, displayPath, withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

/**
 * `scamgraph feeds rpz --out FILE [--feed NAME] [--data DIR]`: writes the DNS policy zone as a master file, for
 * resolvers that load one (Unbound's `zonefile:`, BIND's `file`). The file appears whole or not at all: it is
 * written beside its place and renamed, so a resolver reloading meanwhile reads the old zone or the new one.
 */
export async function feedsCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rpz') throw new UsageError(sub === undefined ? 'feeds needs a subcommand: rpz' : `unknown feeds subcommand “${sub}” (there is rpz)`);
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
