import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

const USAGE = 'usage: scamgraph retention run [--dry-run] [--json] [--data DIR] | holds [--json] [--data DIR]';

/** `scamgraph retention run [--dry-run]`: applies the retention schedule now; `holds`: the legal holds in force. */
export async function retentionCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, data: { type: 'string' } }, allowPositionals: true, strict: true });
  const config = withDataDir(base, values.data);
  const [action] = positionals;
  if (action === 'run' && positionals.length === 1) {
    const run = await withScamgraph(config, {}, (sg) => sg.retention.run('cli', { dryRun: values['dry-run'] === true }));
    if (values.json === true) io.stdout.write(`${JSON.stringify(run)}\n`);
    else if (!run.ran) io.stdout.write('Another process is applying the retention schedule now; nothing was done.\n');
    else {
      const d = run.deleted;
      const verb = run.dryRun ? 'would go' : 'gone';
      io.stdout.write(
        `${run.dryRun ? 'Dry run (nothing changed)' : 'Retention applied (audited)'}: contacts ${verb} ${d.contacts}, narratives redacted ${d.narratives}, message texts redacted ${d.messages}, ` +
          `fingerprints re-keyed ${d.fingerprints}, independence keys re-keyed ${d.independence}, sessions ${verb} ${d.sessions}, ` +
          `disputers' contacts ${verb} ${d.disputes}, daily partner counts ${verb} ${d.usage}, sign-in throttles ${verb} ${d.throttles}.\n`,
      );
    }
    return EXIT_OK;
  }
  if (action === 'holds' && positionals.length === 1) {
    const holds = await withScamgraph(config, {}, (sg) => sg.retention.holds());
    for (const h of holds) io.stdout.write(values.json === true ? `${JSON.stringify({ ...h, placedAt: h.placedAt.toISOString() })}\n` : `${h.reference} held until ${h.until} by ${h.placedBy}\n`);
    if (holds.length === 0 && values.json !== true) io.stdout.write('No legal hold is in force.\n');
    return EXIT_OK;
  }
  throw new UsageError(USAGE);
}
