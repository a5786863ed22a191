import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { importFeed, importReports } from '../modules/reports/report.import.js';
import { DEMO_CAMPAIGNS, DEMO_FEED, DEMO_PROTECTED } from './demo-data.js';
import { withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, type CliIO } from './io.js';

/**
 * `scamgraph demo`: loads the clearly labelled demo data (source "demo", feed "demo-feed", narratives
 * marked [DEMO]) through the normal import path, so running it twice adds nothing.
 */
export async function demoCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } }, strict: true });
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-demo-'));
  try {
    const reportsFile = join(dir, 'demo-reports.jsonl');
    const day = 86_400_000;
    const now = Date.now();
    const lines = DEMO_CAMPAIGNS.flatMap((c, ci) =>
      Array.from({ length: c.reports }, (_, i) =>
        JSON.stringify({
          externalId: `demo-${ci + 1}-${i + 1}`,
          receivedAt: new Date(now - (c.reports - i) * day).toISOString(),
          channel: c.channel,
          scamType: c.scamType,
          narrative: c.narrative,
          loss: c.loss > 0 ? { amount: c.loss, currency: 'HKD' } : null,
          indicators: c.indicators,
        }),
      ),
    );
    writeFileSync(reportsFile, lines.join('\n') + '\n');
    const feedFile = join(dir, 'demo-feed.txt');
    writeFileSync(feedFile, DEMO_FEED.join('\n') + '\n');
    return await withScamgraph(withDataDir(base, values.data), {}, async (sg) => {
      const options = { region: sg.config.defaultRegion, policy: sg.config.verdicts, rejectsPath: join(dir, 'rejects.jsonl') };
      const reports = await importReports(sg.db, sg.secrets, reportsFile, 'demo', options);
      const feed = await importFeed(sg.db, feedFile, 'demo-feed', { ...options, level: 'high_risk' });
      for (const p of DEMO_PROTECTED) await sg.verdicts.protect('cli:demo', { value: p.value, kind: p.kind }, p.name);
      io.stdout.write(
        `Demo data (labelled [DEMO], source "demo"): ${reports.stored} reports added (${reports.alreadyPresent} already present), ` +
          `${feed.stored} feed entries, ${DEMO_PROTECTED.length} protected entities.\n` +
          'Try: scamgraph check +85251230001, scamgraph check hxxps://demo-hkpost-redelivery[.]top/pay, scamgraph check hsbc-secure-login.com\n',
      );
      return EXIT_OK;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
