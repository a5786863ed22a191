import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openScamgraph, type Scamgraph } from '../src/main.js';
import { normalize } from '../src/modules/indicators/index.js';
import { importFeed } from '../src/modules/reports/report.import.js';
import { lookupEntries } from '../src/modules/verdicts/evidence-keys.js';
import { ENGINES, openTestScamgraph, testConfig } from './helpers/database.js';

// VerdictService.checkJson against a real database: the recent answers it reuses are exactly check()'s answer,
// and are never served once a change (from this process or another writer) or the passing of time makes
// them wrong.

const DAY = 86_400;

interface Answer {
  input: string;
  kind: string;
  verdict: { level: string; reasons: { code: string; covers?: string; count?: number }[]; reportCount: number };
  lookalikes: { protected: string }[];
  alternatives: { kind: string; level: string }[];
}

const parse = (body: Buffer): Answer => JSON.parse(body.toString('utf8')) as Answer;
const codes = (a: Answer): string[] => a.verdict.reasons.map((r) => r.code);

const report = (value: string) => ({ scamType: 'investment' as const, channel: 'call' as const, narrative: 'Promised returns', indicators: [{ value, role: 'caller' as const }] });

for (const engine of ENGINES) {
  describe(`checkJson and its recent answers (${engine})`, () => {
    let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
    let dir: string;
    let addresses = 0;
    const address = (): string => `10.77.${++addresses & 255}.1`; // each in a block of its own: an independent reporter

    before(async () => {
      sg = await openTestScamgraph(engine);
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-check-cache-'));
    });
    after(async () => {
      await sg.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers with exactly the bytes of JSON.stringify(check()), and reuses them while nothing changes', async () => {
      await sg.reports.submit(report('+852 6123 4001'), address());
      const values: [string, Parameters<typeof sg.verdicts.check>[1]][] = [
        ['+852 6123 4001', undefined], // suspicious: one report
        ['+852 9123 4002', undefined], // no record
        ['91234003', undefined], // a phone and an FPS ID: alternatives
        ['91234003', 'phone'],
        ['https://Example-Cache.top/a?b=1', undefined],
        ['someone@example.com', 'email'],
      ];
      for (const [value, kind] of values) {
        const body = sg.verdicts.checkJson(value, kind);
        assert.equal(body.toString('utf8'), JSON.stringify(sg.verdicts.check(value, kind)), `${value} (${kind ?? 'any kind'})`);
        assert.equal(sg.verdicts.checkJson(value, kind), body, `${value}: the recent answer is reused`);
      }
      assert.equal(parse(sg.verdicts.checkJson('+852 6123 4001')).verdict.level, 'suspicious');
      assert.ok(parse(sg.verdicts.checkJson('91234003')).alternatives.length > 0);
      assert.equal(parse(sg.verdicts.checkJson('91234003', 'phone')).alternatives.length, 0);
      // The same text asked as a given kind is a different answer from the one for any kind.
      assert.notEqual(sg.verdicts.checkJson('91234003', 'phone').toString(), sg.verdicts.checkJson('91234003').toString());
    });

    it('refuses what is not an indicator on every call (nothing is remembered for it)', () => {
      for (let i = 0; i < 2; i++) {
        assert.throws(() => sg.verdicts.checkJson('123', 'phone'), { code: 'INVALID_PHONE' });
        assert.throws(() => sg.verdicts.checkJson('!!!'), { code: 'UNRECOGNIZED' });
      }
    });

    it("after an officer's decision on the value, the next answer shows it", async () => {
      const value = '+852 9123 4010';
      const first = sg.verdicts.checkJson(value);
      assert.equal(parse(first).verdict.level, 'no_record');
      assert.equal(sg.verdicts.checkJson(value), first);

      await sg.verdicts.decide('user:test', { value }, 'high_risk', 'confirmed by the bank');
      const confirmed = sg.verdicts.checkJson(value);
      assert.notEqual(confirmed, first);
      assert.equal(parse(confirmed).verdict.level, 'high_risk');
      assert.deepEqual(codes(parse(confirmed)), ['OFFICER_CONFIRMED']);
      assert.equal(confirmed.toString(), JSON.stringify(sg.verdicts.check(value)));

      await sg.verdicts.decide('user:test', { value: '+85291234010', kind: 'phone' }, 'cleared', 'a real firm after all');
      const cleared = parse(sg.verdicts.checkJson(value));
      assert.equal(cleared.verdict.level, 'no_record');
      assert.deepEqual(codes(cleared), ['OFFICER_CLEARED']);
    });

    it('a decision about a whole site makes the cached answer for a link on it stale', async () => {
      const link = 'https://cache-phish.top/login?session=1';
      const first = sg.verdicts.checkJson(link);
      assert.equal(parse(first).verdict.level, 'no_record');
      await sg.verdicts.decide('user:test', { value: 'cache-phish.top', kind: 'domain' }, 'high_risk', 'phishing site');
      const now = parse(sg.verdicts.checkJson(link));
      assert.equal(now.verdict.level, 'high_risk');
      assert.equal(now.verdict.reasons[0]?.code, 'OFFICER_CONFIRMED');
      assert.equal(now.verdict.reasons[0]?.covers, 'cache-phish.top/');
    });

    it('a decision about a different value leaves the first answer in place (the same Buffer)', async () => {
      const value = '+852 9123 4020';
      const first = sg.verdicts.checkJson(value);
      const other = sg.verdicts.checkJson('+852 9123 4021');
      const seq = sg.verdicts.index.seq;
      await sg.verdicts.decide('user:test', { value: '+852 9123 4021' }, 'suspicious', 'unsure');
      assert.ok(sg.verdicts.index.seq > seq, 'the decision went through the change log');
      assert.equal(sg.verdicts.checkJson(value), first);
      const changed = sg.verdicts.checkJson('+852 9123 4021');
      assert.notEqual(changed, other);
      assert.equal(parse(changed).verdict.level, 'suspicious');
    });

    it('protecting a name makes cached answers for look-alikes stale (they now name it)', async () => {
      const link = 'https://hangsemg.com/login';
      const first = parse(sg.verdicts.checkJson(link));
      assert.equal(first.verdict.level, 'no_record');
      await sg.verdicts.protect('user:test', { value: 'hangseng.com' }, 'Hang Seng Bank');
      const now = parse(sg.verdicts.checkJson(link));
      assert.equal(now.verdict.level, 'suspicious');
      assert.deepEqual(codes(now), ['LOOKALIKE_PROTECTED']);
      assert.equal(now.lookalikes[0]?.protected, 'hangseng.com');
    });

    it('a change written by another writer (a feed import) shows once the change log is caught up', async () => {
      const value = 'https://feed-listed-cache.top/pay';
      const first = sg.verdicts.checkJson(value);
      assert.equal(parse(first).verdict.level, 'no_record');

      const file = join(dir, 'feed.txt');
      writeFileSync(file, `${value}\n`);
      const summary = await importFeed(sg.db, file, 'cache-feed', { region: 'HK', rejectsPath: join(dir, 'feed.rejects.jsonl'), level: 'high_risk' });
      assert.equal(summary.stored, 1);
      // Not followed yet: the answer is the index's, whichever way it is asked.
      assert.equal(sg.verdicts.checkJson(value).toString(), JSON.stringify(sg.verdicts.check(value)));
      assert.equal(parse(sg.verdicts.checkJson(value)).verdict.level, 'no_record');

      await sg.verdicts.catchUp();
      const now = sg.verdicts.checkJson(value);
      assert.notEqual(now, first);
      assert.equal(parse(now).verdict.level, 'high_risk');
      assert.deepEqual(codes(parse(now)), ['FEED_HIGH_RISK']);
    });

    if (engine === 'postgres') {
      it('reports written through a second server on the same database show after catchUp()', async () => {
        const value = '+852 6123 4030';
        const first = sg.verdicts.checkJson(value);
        assert.equal(parse(first).verdict.level, 'no_record');
        const other: Scamgraph = await openScamgraph(testConfig(sg.url), { loadIndex: true });
        try {
          for (let i = 0; i < 3; i++) await other.reports.submit(report(value), address());
          assert.equal(other.verdicts.check(value).verdict.level, 'high_risk');
        } finally {
          await other.close();
        }
        assert.equal(sg.verdicts.checkJson(value), first, 'nothing followed yet');
        await sg.verdicts.catchUp();
        const now = parse(sg.verdicts.checkJson(value));
        assert.equal(now.verdict.level, 'high_risk');
        assert.equal(now.verdict.reportCount, 2); // public answers round down: 1, 2, 5, …
        assert.deepEqual(codes(now), ['REPORTS_HIGH_RISK']);
      });
    }

    it('report evidence older than decayDays is lapsed: no record', async () => {
      const value = '+852 6123 4040';
      const old = new Date(Date.now() - (sg.config.verdicts.decayDays + 1) * DAY * 1000);
      await sg.reports.submit(report(value), address(), old);
      const answer = parse(sg.verdicts.checkJson(value));
      assert.equal(answer.verdict.level, 'no_record');
      assert.equal(answer.verdict.reportCount, 1);
      assert.deepEqual(codes(answer), ['REPORTS_LAPSED']);
    });

    it('an answer built just before report evidence lapses is not served after it', async (t) => {
      const value = '+852 6123 4050';
      await sg.reports.submit(report(value), address(), new Date(Date.now() - 30 * DAY * 1000));
      const entry = lookupEntries(normalize('phone', value, { region: 'HK' }))[0] as string;
      const lastReport = sg.verdicts.index.get(entry)?.lastReport;
      assert.ok(typeof lastReport === 'number');
      const lapse = lastReport + sg.config.verdicts.decayDays * DAY;

      const clock = t.mock.method(Date, 'now', () => (lapse - 1) * 1000);
      const before = sg.verdicts.checkJson(value);
      assert.equal(parse(before).verdict.level, 'suspicious');
      assert.deepEqual(codes(parse(before)), ['REPORTS_SUSPICIOUS']);
      clock.mock.mockImplementation(() => (lapse - 0.5) * 1000);
      assert.equal(sg.verdicts.checkJson(value), before, 'reused until the lapse');

      clock.mock.mockImplementation(() => (lapse + 1) * 1000);
      const afterLapse = sg.verdicts.checkJson(value);
      assert.notEqual(afterLapse, before);
      assert.equal(parse(afterLapse).verdict.level, 'no_record');
      assert.deepEqual(codes(parse(afterLapse)), ['REPORTS_LAPSED']);
      assert.equal(afterLapse.toString(), JSON.stringify(sg.verdicts.check(value)));
    });

    it('an answer built at the very second evidence lapses is not served after it', async (t) => {
      const value = '+852 6123 4051';
      await sg.reports.submit(report(value), address(), new Date(Date.now() - 30 * DAY * 1000));
      const entry = lookupEntries(normalize('phone', value, { region: 'HK' }))[0] as string;
      const lapse = (sg.verdicts.index.get(entry)?.lastReport as number) + sg.config.verdicts.decayDays * DAY;
      const clock = t.mock.method(Date, 'now', () => lapse * 1000);
      assert.equal(parse(sg.verdicts.checkJson(value)).verdict.level, 'suspicious', 'still fresh at the lapse second itself');
      clock.mock.mockImplementation(() => (lapse + 3600) * 1000);
      assert.equal(parse(sg.verdicts.checkJson(value)).verdict.level, 'no_record');
    });
  });
}
