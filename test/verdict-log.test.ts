import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_VERDICT_POLICY, loadConfig } from '../src/config.js';
import { openScamgraph, type Scamgraph } from '../src/main.js';
import { importFeed } from '../src/modules/reports/report.import.js';
import type { VerdictChange } from '../src/modules/verdicts/verdict-log.repository.js';
import { ENGINES, freshDatabase, testConfig, type Engine, type FreshDatabase } from './helpers/database.js';
import { freshAddress } from './helpers/http.js';

// The verdict log (issue 12): every change of an entry's public level, and only those, appends a row with
// the new level; lapses, expiries, threshold changes and renames reach followers; changesSince() filters.

const DAY = 86_400;
const report = (value: string, narrative = 'Promised 30% a month') => ({ scamType: 'investment' as const, channel: 'call' as const, narrative, indicators: [{ value, role: 'caller' as const }] });

/** A database that outlives one process (PGlite in a directory, or a PostgreSQL database). */
async function durable(engine: Engine): Promise<{ open: (overrides?: Parameters<typeof testConfig>[1]) => Promise<Scamgraph>; drop: () => Promise<void> }> {
  const fresh: FreshDatabase = await freshDatabase(engine);
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-verdict-log-'));
  return {
    open: (overrides = {}) => openScamgraph(testConfig(fresh.url, { dataDir: engine === 'pglite' ? dir : 'memory://', ...overrides }), { loadIndex: true }),
    drop: async () => {
      await fresh.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const levelRows = (changes: VerdictChange[], entry: string): string[] => changes.filter((c) => c.entry === entry).map((c) => `${c.previous}>${c.level}`);

describe('the verdict policy of a new database', () => {
  it('is the default one, as the configuration writes it: a first start re-judges nothing', async () => {
    assert.equal(JSON.stringify(loadConfig({}).verdicts), JSON.stringify(DEFAULT_VERDICT_POLICY));
    const sg = await openScamgraph(testConfig(null), {});
    try {
      const row = await sg.db.selectFrom('verdict_policy').select('policy').executeTakeFirstOrThrow();
      assert.equal(row.policy, JSON.stringify(DEFAULT_VERDICT_POLICY));
    } finally {
      await sg.close();
    }
  });
});

for (const engine of ENGINES) {
  describe(`the verdict log (${engine})`, () => {
    let db: Awaited<ReturnType<typeof durable>>;
    let sg: Scamgraph;
    let dir: string;
    before(async () => {
      db = await durable(engine);
      sg = await db.open();
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-feeds-'));
    });
    after(async () => {
      await sg.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('appends a row only when a public level changes, carrying the new and previous level', async () => {
      const from = (await sg.verdicts.snapshot()).seq;
      await sg.reports.submit(report('+852 6111 0001'), freshAddress());
      await sg.reports.submit(report('+852 6111 0001', 'again, another person'), freshAddress());
      await sg.reports.submit(report('+852 6111 0001', 'a third person'), freshAddress());
      await sg.reports.submit(report('+852 6111 0001', 'a fourth person'), freshAddress());
      const changes = await sg.verdicts.changesSince(from);
      // Four reports changed the evidence four times, but the level twice: none → suspicious → high risk.
      assert.deepEqual(levelRows(changes, 'phone:+85261110001'), ['no_record>suspicious', 'suspicious>high_risk']);
      assert.ok(changes.every((c) => c.seq > from && c.kind === 'phone'));
    });

    it('writes the row for a lapse when its time comes (the verdict clock), once', async () => {
      const from = (await sg.verdicts.snapshot()).seq;
      const later = Date.now() / 1000 + 181 * DAY;
      assert.equal(sg.verdicts.check('+852 6111 0001', undefined, { now: later }).verdict.level, 'no_record', 'the answer is right at once');
      assert.deepEqual(await sg.verdicts.changesSince(from), [], 'nothing is due yet');
      assert.equal(await sg.verdicts.applyDueChanges(Date.now() / 1000), 0);
      const changed = await sg.verdicts.applyDueChanges(later);
      assert.ok(changed >= 1);
      assert.deepEqual(levelRows(await sg.verdicts.changesSince(from), 'phone:+85261110001'), ['high_risk>no_record']);
      assert.equal(await sg.verdicts.applyDueChanges(later), 0, 'a second run finds nothing due');
    });

    it('feed listings keep the source dates, expire after their time to live, and are renewed by listing again', async () => {
      const file = join(dir, 'openphish.tsv');
      writeFileSync(file, 'first_seen_commit_time\turl\n2024-10-12T20:01:09+00:00\thttps://old-phish.example/login\n2026-11-30T08:00:00+00:00\thttps://new-phish.example/pay\n');
      const listed = new Date(Date.now() - 40 * DAY * 1000);
      const from = (await sg.verdicts.snapshot()).seq;
      const options = { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl'), level: 'high_risk' as const, column: 'url' };
      const first = await importFeed(sg.db, file, 'openphish', { ...options, now: listed });
      assert.equal(first.stored, 2);
      await sg.verdicts.catchUp();
      // Listed 40 days ago with the default 30-day time to live: no longer high risk.
      const old = sg.verdicts.check('https://old-phish.example/login', undefined, { exact: true });
      assert.equal(old.verdict.level, 'no_record');
      assert.equal(await sg.verdicts.applyDueChanges(), 2);
      const rows = await sg.verdicts.changesSince(from, { kinds: ['url'] });
      assert.deepEqual(levelRows(rows, 'urle:old-phish.example/login'), ['no_record>high_risk', 'high_risk>no_record']);
      // Listed again today: high risk again, and the dates are the source's, not the import's.
      const again = await importFeed(sg.db, file, 'openphish', options);
      assert.deepEqual([again.stored, again.alreadyPresent], [0, 2]);
      await sg.verdicts.catchUp();
      const renewed = sg.verdicts.check('https://old-phish.example/login', undefined, { exact: true });
      assert.equal(renewed.verdict.level, 'high_risk');
      assert.equal(renewed.verdict.firstSeen, '2024-10-12T20:01:09.000Z');
      assert.equal(renewed.verdict.lastSeen, '2024-10-12T20:01:09.000Z');
      assert.equal(renewed.verdict.updated?.slice(0, 10), new Date().toISOString().slice(0, 10), 'the listing itself was renewed today');
      const publicView = sg.verdicts.check('https://old-phish.example/login');
      assert.equal(publicView.verdict.firstSeen, '2024-10-12');
      // Running the same import again the same day changes nothing.
      const seq = (await sg.verdicts.snapshot()).seq;
      const third = await importFeed(sg.db, file, 'openphish', options);
      assert.deepEqual([third.stored, third.alreadyPresent], [0, 2]);
      assert.equal((await sg.verdicts.snapshot()).seq, seq);
    });

    it('reads a source time without an offset as UTC, wherever the import runs (URLhaus dateadded)', async () => {
      const file = join(dir, 'urlhaus.csv');
      writeFileSync(file, 'dateadded,url\n2026-11-20 10:00:00,https://utc-test.example/a\n');
      const zone = process.env.TZ;
      process.env.TZ = 'Asia/Hong_Kong';
      try {
        await importFeed(sg.db, file, 'urlhaus', { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl'), level: 'high_risk', column: 'url' });
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
      await sg.verdicts.catchUp();
      assert.equal(sg.verdicts.check('https://utc-test.example/a', undefined, { exact: true }).verdict.firstSeen, '2026-11-20T10:00:00.000Z');
    });

    it('a time to live changed by a second import the same day applies at once', async () => {
      const file = join(dir, 'retimed.txt');
      writeFileSync(file, '+852 6111 0099\n');
      const options = { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl'), level: 'suspicious' as const };
      await importFeed(sg.db, file, 'retimed', { ...options, ttlDays: 90, now: new Date(Date.now() - 10 * DAY * 1000) });
      await importFeed(sg.db, file, 'retimed', { ...options, ttlDays: 5, now: new Date(Date.now() - 10 * DAY * 1000 + 60_000) });
      await sg.verdicts.catchUp();
      assert.equal(sg.verdicts.check('+852 6111 0099', undefined, { exact: true }).verdict.level, 'no_record', 'the 5-day time to live, listed 10 days ago, has run out');
    });

    it('a feed may set its own time to live, which later imports keep', async () => {
      const file = join(dir, 'numbers.txt');
      writeFileSync(file, '+852 6111 0077\n');
      const options = { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl'), level: 'suspicious' as const };
      await importFeed(sg.db, file, 'telco-list', { ...options, ttlDays: 7, now: new Date(Date.now() - 8 * DAY * 1000) });
      await importFeed(sg.db, join(dir, 'numbers.txt'), 'telco-list-default', { ...options, now: new Date(Date.now() - 8 * DAY * 1000) });
      await sg.verdicts.catchUp();
      const e = sg.verdicts.check('+852 6111 0077', undefined, { exact: true });
      assert.equal(e.verdict.reasons[0]?.source, 'telco-list-default', 'the 7-day listing expired; the 180-day default one holds');
    });

    it('renaming a protection appends a change row, and answers name the new name', async () => {
      await sg.verdicts.protect('user:test', { value: 'hsbc.com.hk', kind: 'domain' }, 'HSBC');
      const from = (await sg.verdicts.snapshot()).seq;
      await sg.verdicts.protect('user:test', { value: 'hsbc.com.hk', kind: 'domain' }, 'HSBC Hong Kong');
      const rows = await sg.db.selectFrom('evidence_changes').select(['key', 'level']).where('seq', '>', from).execute();
      assert.deepEqual(rows, [{ key: 'urlx:hsbc.com.hk/', level: null }], 'an evidence row, no level row: verified stays verified');
      assert.match(sg.verdicts.check('https://www.hsbc.com.hk/').verdict.reasons[0]!.message.en, /HSBC Hong Kong/);
    });

    it('filters by kinds and levels: a follower of high-risk phones gets additions and removals only', async () => {
      const from = (await sg.verdicts.snapshot()).seq;
      for (let i = 0; i < 3; i++) await sg.reports.submit(report('+852 6111 0002', `person ${i}`), freshAddress());
      await sg.reports.submit({ ...report('https://filter-test.example/x'), indicators: [{ value: 'https://filter-test.example/x', role: 'link' as const }] }, freshAddress());
      await sg.verdicts.decide('user:test', { value: '+852 6111 0002' }, 'cleared', 'a real business');
      const phones = await sg.verdicts.changesSince(from, { kinds: ['phone'], levels: ['high_risk'] });
      assert.deepEqual(phones.map((c) => [c.entry, c.previous, c.level]), [
        ['phone:+85261110002', 'suspicious', 'high_risk'],
        ['phone:+85261110002', 'high_risk', 'no_record'],
      ]);
      const links = await sg.verdicts.changesSince(from, { kinds: ['url', 'domain'] });
      assert.ok(links.length >= 2 && links.every((c) => c.kind === 'url' || c.kind === 'domain'));
      assert.deepEqual(await sg.verdicts.changesSince(from, { kinds: ['crypto_wallet'] }), []);
    });

    it('re-judges every entry when a threshold changes, and logs what moved', async () => {
      for (let i = 0; i < 3; i++) await sg.reports.submit(report('+852 6111 0003', `person ${i}`), freshAddress());
      assert.equal(sg.verdicts.check('+852 6111 0003').verdict.level, 'high_risk');
      const from = (await sg.verdicts.snapshot()).seq;
      await sg.close();
      sg = await db.open({ verdicts: { highRiskReports: 5, suspiciousReports: 1, decayDays: 180 } });
      assert.equal(sg.verdicts.check('+852 6111 0003').verdict.level, 'suspicious');
      const moved = await sg.verdicts.changesSince(from);
      assert.deepEqual(levelRows(moved, 'phone:+85261110003'), ['high_risk>suspicious']);
      // Opening again with the same policy re-judges nothing.
      const seq = (await sg.verdicts.snapshot()).seq;
      await sg.close();
      sg = await db.open({ verdicts: { highRiskReports: 5, suspiciousReports: 1, decayDays: 180 } });
      assert.equal((await sg.verdicts.snapshot()).seq, seq);
    });

    it('a listing that expired before it was judged again is recomputed by the clock: the listing still in force shows', async () => {
      const file = join(dir, 'two-lists.txt');
      writeFileSync(file, '+852 6111 0088\n');
      const options = { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl') };
      await importFeed(sg.db, file, 'current-list', { ...options, level: 'suspicious' });
      // Judged 40 days ago, when its 30-day listing was in force: high risk then, and due 10 days ago.
      await importFeed(sg.db, file, 'old-list', { ...options, level: 'high_risk', ttlDays: 30, now: new Date(Date.now() - 40 * DAY * 1000) });
      // A threshold change re-judges it before any clock ran: the stored listing has expired by now.
      await sg.close();
      sg = await db.open({ verdicts: { highRiskReports: 6, suspiciousReports: 1, decayDays: 180 } });
      assert.ok((await sg.verdicts.applyDueChanges()) >= 1);
      const e = sg.verdicts.check('+852 6111 0088', undefined, { exact: true });
      assert.equal(e.verdict.level, 'suspicious');
      assert.equal(e.verdict.reasons[0]?.source, 'current-list');
    });
  });
}
