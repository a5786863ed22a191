import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { IndicatorError, isIndicatorKind, type IndicatorKind } from '../modules/indicators/index.js';
import type { CheckResult } from '../modules/verdicts/verdicts.service.js';
import { withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

const LEVEL_WORDS = { high_risk: 'HIGH RISK', suspicious: 'SUSPICIOUS', no_record: 'NO RECORD (not a statement of safety)', verified: 'VERIFIED' } as const;

function human(result: CheckResult): string {
  const lines = [`${result.display} (${result.kind}): ${LEVEL_WORDS[result.verdict.level]}`];
  for (const reason of result.verdict.reasons) lines.push(`  - ${reason.message.en} [${reason.code}]`);
  const count = result.verdict.reportCount;
  if (count > 0) lines.push(`  Reports: ${count === 1 ? '1' : `${count} or more`}, first ${result.verdict.firstSeen}, last ${result.verdict.lastSeen}`);
  if (result.verdict.updated !== null) lines.push(`  Evidence last updated: ${result.verdict.updated}`);
  if (result.verdict.scamTypes.length > 0) lines.push(`  Scam types: ${result.verdict.scamTypes.join(', ')}`);
  for (const l of result.lookalikes) lines.push(`  Looks like ${l.protected} (${l.reasons.map((r) => r.code).join(', ')})`);
  lines.push('  What to do:', ...result.verdict.advice.en.map((a) => `    * ${a}`));
  return lines.join('\n') + '\n';
}

/** `scamgraph check VALUE [--kind K] [--json]`: the verdict the public gets, from this database. Exit 1 if the value is not valid. */
export async function checkCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { kind: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('check takes exactly one VALUE');
  if (values.kind !== undefined && !isIndicatorKind(values.kind)) throw new UsageError(`unknown kind “${values.kind}”`);
  const value = positionals[0] as string;
  return withScamgraph(withDataDir(base, values.data), {}, async (sg) => {
    try {
      const result = await sg.verdicts.checkFromDatabase(value, values.kind as IndicatorKind | undefined);
      io.stdout.write(values.json === true ? JSON.stringify(result) + '\n' : human(result));
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof IndicatorError)) throw error;
      io.stdout.write(values.json === true ? JSON.stringify({ input: value, error: error.toJSON() }) + '\n' : `${error.message} [${error.code}]\n`);
      return 1;
    }
  });
}
