import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { CliIO } from '../src/cli/io.js';
import { retentionCommand } from '../src/cli/retention.command.js';
import { openScamgraph } from '../src/main.js';
import { testConfig } from './helpers/database.js';

// `scamgraph retention run [--dry-run] | holds` on an embedded data directory: a dry run counts and audits
// nothing, a run deletes and writes its counts to the audit log, holds lists what is held.

function io(): CliIO & { out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { stdin: Readable.from(['']), stdout, stderr: new PassThrough(), out: () => out };
}

describe('scamgraph retention', () => {
  let dir: string;
  let config: ReturnType<typeof testConfig>;
  let held: string;
  const run = async (...args: string[]) => {
    const streams = io();
    const code = await retentionCommand([...args, '--data', dir], streams, config);
    return { code, out: streams.out() };
  };
  const runs = async () => {
    const sg = await openScamgraph(config);
    try {
      return await sg.db.selectFrom('audit_log').select('details').where('action', '=', 'retention.run').execute();
    } finally {
      await sg.close();
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-cli-retention-'));
    config = testConfig(null, { dataDir: dir });
    const sg = await openScamgraph(config);
    try {
      const at = new Date(Date.now() - 120 * 86_400_000);
      const report = (value: string) => ({ scamType: 'investment' as const, channel: 'call' as const, narrative: 'Called about shares.', indicators: [{ value, role: 'caller' as const }], contact: { email: 'me@example.com', consent: true as const } });
      const closed = (await sg.reports.submit(report('+852 6124 0001'), '10.30.1.1', at)).reference;
      held = (await sg.reports.submit(report('+852 6124 0002'), '10.30.2.1', at)).reference;
      await sg.db.updateTable('reports').set({ status: 'closed', status_changed_at: at }).where('reference', 'in', [closed, held]).execute();
      await sg.retention.hold('user:officer', held, '2099-01-01', 'court case');
    } finally {
      await sg.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a dry run says what would go and changes nothing', async () => {
    const { code, out } = await run('run', '--dry-run');
    assert.equal(code, 0);
    assert.match(out, /^Dry run \(nothing changed\): contacts would go 1, /);
    assert.equal((await runs()).length, 0);
  });

  it('a run deletes the closed report’s contact, not the held one’s, and audits the counts', async () => {
    const { out } = await run('run', '--json');
    const result = JSON.parse(out) as { ran: boolean; dryRun: boolean; deleted: Record<string, number> };
    assert.deepEqual([result.ran, result.dryRun, result.deleted.contacts], [true, false, 1]);
    const audited = await runs();
    assert.equal(audited.length, 1);
    assert.deepEqual((audited[0]?.details as { deleted: unknown }).deleted, result.deleted);
    assert.match((await run('run')).out, /^Retention applied \(audited\): contacts gone 0, /);
  });

  it('lists the holds in force', async () => {
    assert.match((await run('holds')).out, new RegExp(`^${held} held until 2099-01-01 by user:officer\\n$`));
    await assert.rejects(run('purge'), /usage: scamgraph retention run/);
  });
});
