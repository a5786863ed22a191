import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { userCommand } from '../src/cli/admin.commands.js';
import type { CliIO } from '../src/cli/io.js';
import { openScamgraph } from '../src/main.js';
import { testConfig } from './helpers/database.js';
import { readableAuditRows } from '../src/modules/audit/audit.repository.js';

// `scamgraph user add` and `user reset`, run in this process on an embedded data directory, write audit rows
// naming the command line as the actor, with neither the password given nor the one printed.

const GIVEN = 'a password typed on stdin 1';

function io(stdin = ''): CliIO & { out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stdin: Readable.from([stdin]), stdout, stderr: new PassThrough(), out: () => text };
}

describe('the user command is audited', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-cli-user-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('user add and user reset write user.add and user.password_reset by cli, without a password', async () => {
    const config = testConfig(null, { dataDir: dir });
    const added = io(`${GIVEN}\n`);
    assert.equal(await userCommand(['add', 'carol', '--role', 'officer', '--password-stdin'], added, config), 0);
    const generated = io();
    assert.equal(await userCommand(['add', 'dave', '--role', 'admin'], generated, config), 0);
    const printed = /Password \(shown once\): (\S+)/.exec(generated.out())?.[1] as string;
    const reset = io();
    assert.equal(await userCommand(['reset', 'dave', '--reason', 'Lost his password'], reset, config), 0);
    const oneTime = /One-time password[^:]*: (\S+)/.exec(reset.out())?.[1] as string;

    const sg = await openScamgraph(config);
    try {
      const rows = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).orderBy('seq').execute());
      assert.deepEqual(rows, [
        { actor: 'cli', action: 'user.add', subject: 'user:carol', details: { role: 'officer' } },
        { actor: 'cli', action: 'user.add', subject: 'user:dave', details: { role: 'admin' } },
        { actor: 'cli', action: 'user.password_reset', subject: 'user:dave', details: { reason: 'Lost his password', endedSessions: 0 } },
      ]);
      for (const secret of [GIVEN, printed, oneTime]) assert.equal(JSON.stringify(rows).includes(secret), false);
      // The printed one-time password is the one that works, once, for choosing a new password.
      await assert.rejects(sg.auth.login('dave', oneTime, { address: '127.0.0.1' }), { code: 'PASSWORD_CHANGE_REQUIRED' });
      await assert.rejects(sg.auth.login('dave', printed, { address: '127.0.0.1' }), { code: 'INVALID_CREDENTIALS' });
      assert.equal((await sg.auth.login('dave', oneTime, { address: '127.0.0.1' }, 'dave chose this one')).user.username, 'dave');
    } finally {
      await sg.close();
    }
  });
});
