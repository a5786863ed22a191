import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Scamgraph } from '../src/main.js';
import { SenderRegistryService } from '../src/modules/senders/sender-registry.service.js';
import { ENGINES, openTestScamgraph } from './helpers/database.js';
import { readableAuditRows } from '../src/modules/audit/audit.repository.js';

// The SMS Sender Registry over a real database: imports are all or nothing and idempotent, every change has
// its audit row and reason, and a registered sender in force is a verified (protected) entity, in the same
// transaction, on the same path an officer's "protect" takes.

const SAMPLE = readFileSync(new URL('fixtures/sender-registry.sample.csv', import.meta.url), 'utf8');
const HEADER = 'sender_id,organisation,status,registered_on,expires_on';
const NOW = new Date('2025-06-10T04:00:00Z');

for (const engine of ENGINES) {
  describe(`the SMS Sender Registry (${engine})`, () => {
    let sg: Scamgraph;
    before(async () => {
      sg = await openTestScamgraph(engine);
    });
    after(() => sg.close());

    const audit = async () => readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('action', 'like', 'sender_registry.%').orderBy('seq').execute());
    const protectedRow = (key: string) => sg.db.selectFrom('protected_entities').select(['kind', 'canonical', 'name', 'created_by']).where('evidence_key', '=', key).executeTakeFirst();
    const level = (sender: string) => sg.verdicts.check(sender, 'sms_sender').verdict.level;

    it('imports the sample: its senders in force become verified with their organisation’s name', async () => {
      const from = await sg.verdicts.logEnd();
      const result = await sg.senders.importCsv('user:admin', SAMPLE, 'OFCA register of June', NOW);
      assert.deepEqual({ ...result, protected: result.protected.length }, { added: 20, updated: 0, unchanged: 0, protected: 17, unprotected: [], changed: true });
      assert.deepEqual(await protectedRow('sms_sender:#hsbc'), { kind: 'sms_sender', canonical: '#HSBC', name: 'The Hongkong and Shanghai Banking Corporation Limited', created_by: 'user:admin' });
      const check = sg.verdicts.check('#HSBC', 'sms_sender');
      assert.equal(check.verdict.level, 'verified');
      assert.match(check.verdict.reasons[0]!.message.en, /The Hongkong and Shanghai Banking Corporation Limited/);
      // Suspended, expired (31 May 2025) and not yet started (2031): not verified.
      for (const s of ['#3HK', '#AIAHK', '#FPSAlert']) {
        assert.equal(await protectedRow(`sms_sender:${s.toLowerCase()}`), undefined, s);
        assert.notEqual(level(s), 'verified', s);
      }
      // The verdict log says so, as for any protection: feeds and other nodes follow it.
      const changes = await sg.verdicts.changesSince(from, { kinds: ['sms_sender'] });
      assert.equal(changes.length, 17);
      assert.ok(changes.every((c) => c.level === 'verified' && c.previous === 'no_record'));
      // Without the #, HSBC is a look-alike of the now-registered #HSBC in the public check too.
      assert.ok(sg.verdicts.check('HSBC', 'sms_sender').lookalikes.some((l) => l.protected === '#HSBC'));
    });

    it('writes one audit row with the actor, the reason and what changed', async () => {
      const rows = await audit();
      assert.equal(rows.length, 1);
      const [row] = rows;
      assert.equal(row!.actor, 'user:admin');
      assert.equal(row!.action, 'sender_registry.import');
      const details = row!.details as Record<string, unknown>;
      assert.equal(details.reason, 'OFCA register of June');
      assert.equal((details.added as string[]).length, 20);
      assert.ok((details.protected as string[]).includes('#HSBC'));
    });

    it('the same file again changes nothing, writes no audit row, and says so', async () => {
      const seq = await sg.verdicts.logEnd();
      const result = await sg.senders.importCsv('user:admin', SAMPLE, 'the same file again', NOW);
      assert.deepEqual(result, { added: 0, updated: 0, unchanged: 20, protected: [], unprotected: [], changed: false });
      assert.equal((await audit()).length, 1);
      assert.equal(await sg.verdicts.logEnd(), seq);
    });

    it('a file with one bad row stores nothing of it', async () => {
      const before = await sg.senders.list();
      const bad = `${HEADER}\n#NewBank,New Bank Limited,active,2024-01-01,\n#HSBC,Someone Else,active,2024-01-01,\n#Broken,,active,2024-01-01,\n`;
      await assert.rejects(sg.senders.importCsv('user:admin', bad, 'partial update', NOW), (error: { code: string; rows: { line: number; code: string }[] }) => {
        assert.equal(error.code, 'INVALID_SENDER_REGISTRY');
        assert.deepEqual(error.rows.map((r) => [r.line, r.code]), [[4, 'MISSING_ORGANISATION']]);
        return true;
      });
      assert.deepEqual(await sg.senders.list(), before);
      assert.equal((await audit()).length, 1);
      assert.equal(sg.senders.assess('#NewBank', NOW).status, 'unregistered_hash');
    });

    it('an update renames the protection; rows not in the file stay', async () => {
      const result = await sg.senders.importCsv('user:admin', `${HEADER}\n#HSBC,HSBC Hong Kong,active,2023-12-28,\n#NewBank,New Bank Limited,active,2024-01-01,\n`, 'name change', NOW);
      assert.deepEqual([result.added, result.updated, result.unchanged, result.protected], [1, 1, 0, ['#NewBank']]);
      assert.equal((await protectedRow('sms_sender:#hsbc'))?.name, 'HSBC Hong Kong');
      assert.match(sg.verdicts.check('#HSBC', 'sms_sender').verdict.reasons[0]!.message.en, /HSBC Hong Kong/);
      assert.equal((await sg.senders.list()).length, 21);
      assert.deepEqual((await audit()).at(-1)?.details, { reason: 'name change', added: ['#NewBank'], updated: ['#HSBC'], unchanged: 0, protected: ['#NewBank'], unprotected: [], renamed: ['#HSBC'] });
    });

    it('suspension removes the protection; reinstating restores it; each audited with its reason', async () => {
      const suspended = await sg.senders.setStatus('user:admin', '#hsbc', 'suspended', 'OFCA suspended the registration', NOW);
      assert.equal(suspended.changed, true);
      assert.equal(suspended.entry.status, 'suspended');
      assert.equal(await protectedRow('sms_sender:#hsbc'), undefined);
      assert.equal(level('#HSBC'), 'no_record');
      assert.equal(sg.senders.assess('#HSBC', NOW).status, 'suspended');
      const again = await sg.senders.setStatus('user:admin', '#HSBC', 'suspended', 'twice', NOW);
      assert.equal(again.changed, false);

      const reinstated = await sg.senders.setStatus('user:admin', '#HSBC', 'active', 'suspension lifted', NOW);
      assert.equal(reinstated.changed, true);
      assert.equal((await protectedRow('sms_sender:#hsbc'))?.name, 'HSBC Hong Kong');
      assert.equal(level('#HSBC'), 'verified');
      assert.equal(sg.senders.assess('#HSBC', NOW).status, 'registered');

      const rows = (await audit()).slice(-2);
      assert.deepEqual(rows, [
        { actor: 'user:admin', action: 'sender_registry.suspend', subject: 'sms_sender:#hsbc', details: { reason: 'OFCA suspended the registration', senderId: '#HSBC', from: 'active', to: 'suspended', protected: false, unprotected: true } },
        { actor: 'user:admin', action: 'sender_registry.reinstate', subject: 'sms_sender:#hsbc', details: { reason: 'suspension lifted', senderId: '#HSBC', from: 'suspended', to: 'active', protected: true, unprotected: false } },
      ]);
    });

    it('an officer’s compromise finding survives a suspension and the reinstatement after it', async () => {
      await sg.verdicts.unprotect('user:officer', { value: '#HangSeng', kind: 'sms_sender' }, 'compromised', 'the sender ID was used by scammers through a bulk SMS vendor');
      assert.notEqual(level('#HangSeng'), 'verified');
      await sg.senders.setStatus('user:admin', '#HangSeng', 'suspended', 'OFCA suspended the registration', NOW);
      await sg.senders.setStatus('user:admin', '#HangSeng', 'active', 'suspension lifted', NOW);
      const row = await sg.db.selectFrom('protected_entities').select('compromised_at').where('evidence_key', '=', 'sms_sender:#hangseng').executeTakeFirst();
      assert.notEqual(row?.compromised_at ?? null, null, 'still recorded as compromised');
      assert.notEqual(level('#HangSeng'), 'verified');
    });

    it('refuses an unknown sender, and a change without a reason', async () => {
      await assert.rejects(sg.senders.setStatus('user:admin', '#Nobody', 'suspended', 'no such sender', NOW), { code: 'NOT_FOUND' });
      await assert.rejects(sg.senders.setStatus('user:admin', '#HSBC', 'suspended', ' ', NOW), { code: 'VALIDATION_FAILED' });
      await assert.rejects(sg.senders.importCsv('user:admin', SAMPLE, '', NOW), { code: 'VALIDATION_FAILED' });
    });

    it('dates: a registration that starts becomes verified, one that ends stops being so', async () => {
      assert.deepEqual(await sg.senders.applyDates(NOW), { protected: [], unprotected: [] });
      const cursor = Math.max(...(await sg.senders.changesSince(0)).map((e) => e.seq));
      const later = new Date('2031-01-01T00:00:00+08:00');
      const result = await sg.senders.applyDates(later);
      assert.deepEqual(result.protected, ['#FPSAlert']);
      // Telcos following the feed learn of it: the entry comes again after their cursor.
      assert.deepEqual((await sg.senders.changesSince(cursor)).map((e) => e.senderId), ['#FPSAlert']);
      assert.equal(level('#FPSAlert'), 'verified');
      assert.equal((await audit()).at(-1)?.action, 'sender_registry.dates');
      // Back at June 2025 (a clock set wrong and fixed): it is not verified again.
      assert.deepEqual(await sg.senders.applyDates(NOW), { protected: [], unprotected: ['#FPSAlert'] });
      assert.notEqual(level('#FPSAlert'), 'verified');
    });

    it('assesses from the view in memory, which another node catches up with', async () => {
      assert.equal(sg.senders.view().size, 21);
      assert.deepEqual(
        ['#HSBC', '#HSBC1', 'HSBC', '#H5BC', '#3HK', '#AIAHK', '#Nobody', 'Hello'].map((s) => sg.senders.assess(s, NOW).status),
        ['registered', 'lookalike', 'lookalike', 'lookalike', 'suspended', 'expired', 'unregistered_hash', 'not_registered'],
      );
      const other = new SenderRegistryService(sg.db, sg.verdicts, sg.secrets.auditKey);
      await other.load();
      assert.equal(other.assess('#BEA', NOW).status, 'registered');
      await sg.senders.setStatus('user:admin', '#BEA', 'suspended', 'checking other nodes', NOW);
      assert.equal(other.assess('#BEA', NOW).status, 'registered');
      await other.refresh();
      assert.equal(other.assess('#BEA', NOW).status, 'suspended');
      assert.equal((await other.check('#BEA', NOW)).status, 'suspended');
    });

    it('gives a telco the entries changed since a sequence number', async () => {
      const all = await sg.senders.changesSince(0);
      assert.equal(all.length, 21);
      const last = all.at(-1)!;
      assert.equal(last.senderId, '#BEA'); // suspended last
      assert.equal(last.status, 'suspended');
      assert.deepEqual(await sg.senders.changesSince(last.seq), []);
      assert.deepEqual((await sg.senders.changesSince(all.at(-3)!.seq)).map((e) => e.senderId), all.slice(-2).map((e) => e.senderId));
    });

    it('leaves the audit chain intact', async () => {
      const report = await sg.audit.verify();
      assert.equal(report.broken, null);
    });
  });
}
