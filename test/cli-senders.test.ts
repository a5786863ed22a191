import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sendersCommand } from '../src/cli/senders.command.js';
import type { CliIO } from '../src/cli/io.js';
import { openScamgraph } from '../src/main.js';
import { testConfig } from './helpers/database.js';
import { readableAuditRows } from '../src/modules/audit/audit.repository.js';

// `scamgraph senders …` run in this process on an embedded data directory: import twice, a bad file, list,
// suspend and reinstate, check; changes audited with the actor `cli`.

const SAMPLE = fileURLToPath(new URL('fixtures/sender-registry.sample.csv', import.meta.url));

function io(): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { stdin: Readable.from(['']), stdout, stderr, out: () => out, err: () => err };
}

describe('scamgraph senders', () => {
  let dir: string;
  let config: ReturnType<typeof testConfig>;
  const run = async (...args: string[]) => {
    const streams = io();
    const code = await sendersCommand([...args, '--data', dir], streams, config);
    return { code, out: streams.out(), err: streams.err() };
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-cli-senders-'));
    config = testConfig(null, { dataDir: dir });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('import prints what it added, and the second time that nothing changed', async () => {
    const first = await run('import', SAMPLE, '--reason', 'sample registry');
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^Imported .*sender-registry\.sample\.csv: 20 added, 0 updated, 0 unchanged\.\nNow verified: #HSBC, /);
    const second = await run('import', SAMPLE, '--reason', 'sample registry');
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /^Nothing changed: .*: 0 added, 0 updated, 20 unchanged\.\n$/);
  });

  it('a bad file: every bad row with its line and code on stderr, exit 1, nothing stored', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'sender_id,organisation,status,registered_on,expires_on\n#Fine,Fine Ltd,active,2024-01-01,\nNOHASH,X,active,2024-01-01,\n#Late,Late Ltd,active,2024-13-01,\n');
    const result = await run('import', bad, '--reason', 'a bad file');
    assert.equal(result.code, 1);
    assert.equal(result.out, '');
    assert.match(result.err, /has 2 bad rows; nothing was stored \[INVALID_SENDER_REGISTRY\]/);
    assert.match(result.err, /line 3: INVALID_SENDER_ID: /);
    assert.match(result.err, /line 4: INVALID_DATE: /);
    assert.doesNotMatch((await run('list')).out, /#Fine/);
    assert.equal((await run('import', join(dir, 'missing.csv'), '--reason', 'no file')).code, 1);
  });

  it('list, suspend, reinstate and check', async () => {
    const list = await run('list');
    assert.equal(list.out.trim().split('\n').length, 20);
    assert.match(list.out, /#HSBC +active +2023-12-28 to open +The Hongkong and Shanghai Banking Corporation Limited/);
    const json = (await run('list', '--json')).out.trim().split('\n').map((l) => JSON.parse(l) as { senderId: string });
    assert.equal(json.length, 20);

    assert.match((await run('suspend', '#hsbc', '--reason', 'OFCA suspended it')).out, /^Suspended #HSBC \(The Hongkong/);
    assert.match((await run('check', '#HSBC')).out, /^#HSBC: SUSPENDED/);
    assert.match((await run('suspend', '#HSBC', '--reason', 'again')).out, /is suspended already: nothing changed/);
    assert.match((await run('reinstate', '#HSBC', '--reason', 'lifted')).out, /^Reinstated #HSBC/);

    const registered = await run('check', '#HSBC');
    assert.match(registered.out, /^#HSBC: REGISTERED\n/);
    assert.match(registered.out, /已登記短訊發送人/);
    const lookalike = await run('check', 'HSBC-Alert');
    assert.match(lookalike.out, /^HSBC-Alert: LOOK-ALIKE of a registered sender\n  Registered entry: #HSBC/);
    assert.match(lookalike.out, /\[AFFIX\]/);
    const spoof = JSON.parse((await run('check', '#NoSuchBank', '--json')).out) as { status: string };
    assert.equal(spoof.status, 'unregistered_hash');
  });

  it('refuses a change without a reason (usage), and an unknown sender', async () => {
    await assert.rejects(run('suspend', '#HSBC'), { name: 'UsageError', message: /needs --reason TEXT/ });
    await assert.rejects(run('import', SAMPLE), { name: 'UsageError' });
    await assert.rejects(run('frobnicate'), { name: 'UsageError', message: /usage: scamgraph senders import FILE/ });
    await assert.rejects(run('suspend', '#Nobody', '--reason', 'no such sender'), { code: 'NOT_FOUND' });
  });

  it('audits each change with the actor cli and its reason', async () => {
    const sg = await openScamgraph(config);
    try {
      const rows = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('action', 'like', 'sender_registry.%').orderBy('seq').execute());
      assert.deepEqual(
        rows.map((r) => [r.actor, r.action, (r.details as { reason: string }).reason]),
        [
          ['cli', 'sender_registry.import', 'sample registry'],
          ['cli', 'sender_registry.suspend', 'OFCA suspended it'],
          ['cli', 'sender_registry.reinstate', 'lifted'],
        ],
      );
    } finally {
      await sg.close();
    }
  });
});
