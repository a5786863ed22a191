import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { classifyMessage } from '../modules/messages/classifier.js';
import { EXIT_OK, LineWriter, UsageError, readLines, regionOption, type CliIO } from './io.js';

/**
 * `scamgraph classify [FILE|-] [--region CC]`: one message per input line (blank lines skipped), one JSON line
 * out per message, `{"label": "scam"|"not_scam", "score", "signals"}`. Lines are streamed, so a large file or
 * a pipe is classified as it arrives.
 */
export async function classifyCommand(args: string[], io: CliIO, defaultRegion: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { region: { type: 'string' } } });
  if (positionals.length > 1) throw new UsageError('classify reads one file at a time');
  const region = regionOption(values.region, defaultRegion);
  const file = positionals[0] ?? '-';
  const out = new LineWriter(io.stdout);
  try {
    for await (const line of readLines(file === '-' ? io.stdin : createReadStream(file))) {
      if (line.trim() === '') continue;
      const { label, score, signals } = classifyMessage(line, { region });
      await out.json({ label, score, signals });
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only a file that cannot be opened or read is the caller's mistake; anything else is a failure to report as is.
    if (file !== '-' && code !== undefined && /^E[A-Z]+$/.test(code)) throw new UsageError(`cannot read ${file}: ${code}`);
    throw error;
  }
  await out.flush();
  return EXIT_OK;
}
