import { parseArgs } from 'node:util';
import {
  IndicatorError,
  detectAll,
  isIndicatorKind,
  normalize,
  type Indicator,
  type IndicatorKind,
} from '../modules/indicators/index.js';
import { EXIT_OK, LineWriter, ProgressLine, UsageError, readLines, regionOption, type CliIO } from './io.js';

type Outcome = Record<string, unknown>;

function present(input: string, indicator: Indicator, alternatives?: IndicatorKind[]): Outcome {
  const { kind, canonical, key, display, details } = indicator;
  return alternatives === undefined
    ? { input, kind, canonical, key, display, details }
    : { input, kind, canonical, key, display, details, alternatives };
}

function failure(input: string, error: unknown): Outcome {
  if (error instanceof IndicatorError) return { input, error: error.toJSON() };
  throw error;
}

/** Normalizes one value as `kind`, or detects its kind first; never throws for a bad value. */
function normalizeOne(input: string, kind: IndicatorKind | undefined, region: string): Outcome {
  try {
    if (kind !== undefined) return present(input, normalize(kind, input, { region }));
    const { shapes, matches } = detectAll(input, { region });
    const [best, ...rest] = matches;
    if (best !== undefined) return present(input, best, rest.map((m) => m.kind));
    if (shapes[0] !== undefined) return present(input, normalize(shapes[0], input, { region }));
    if (input.trim() === '') throw new IndicatorError('EMPTY_INPUT', 'The value is empty.');
    throw new IndicatorError('UNRECOGNIZED', 'This is not a phone number, link, e-mail, account, wallet, handle, IP or sender ID.');
  } catch (error) {
    return failure(input, error);
  }
}

/** `scamgraph normalize [--kind KIND] [--region CC] [VALUE...]` */
export async function normalizeCommand(args: string[], io: CliIO, defaultRegion: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { kind: { type: 'string' }, region: { type: 'string' } },
  });
  if (values.kind !== undefined && !isIndicatorKind(values.kind)) throw new UsageError(`unknown kind “${values.kind}”`);
  const region = regionOption(values.region, defaultRegion);
  const kind = values.kind as IndicatorKind | undefined;
  const out = new LineWriter(io.stdout);
  const inputs: Iterable<string> | AsyncIterable<string> = positionals.length > 0 ? positionals : readLines(io.stdin);
  const progress = new ProgressLine(io.stderr, 'normalized');
  for await (const input of inputs) {
    await out.json(normalizeOne(input, kind, region));
    progress.tick();
  }
  await out.flush();
  progress.done();
  return EXIT_OK;
}
