import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { extract } from '../modules/indicators/index.js';
import { EXIT_OK, LineWriter, UsageError, readAll, regionOption, type CliIO } from './io.js';

/** `scamgraph extract [FILE|-] [--region CC]` */
export async function extractCommand(args: string[], io: CliIO, defaultRegion: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { region: { type: 'string' } } });
  if (positionals.length > 1) throw new UsageError('extract reads one file at a time');
  const region = regionOption(values.region, defaultRegion);
  const file = positionals[0] ?? '-';
  let text: string;
  try {
    text = await readAll(file === '-' ? io.stdin : createReadStream(file));
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const out = new LineWriter(io.stdout);
  for (const found of extract(text, { region })) {
    const { kind, raw, start, end, canonical, key } = found;
    await out.json({ kind, raw, start, end, canonical, key });
  }
  await out.flush();
  return EXIT_OK;
}
