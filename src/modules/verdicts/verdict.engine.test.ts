import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalize } from '../indicators/index.js';
import type { Lookalike } from '../indicators/index.js';
import { entryKind, lookupEntries, reportedEntries, scopedEntry } from './evidence-keys.js';
import { decideVerdict, entryLevel, nextChangeAt, roundedCount, type VerdictInput } from './verdict.engine.js';
import { DECISION, PROTECTION, RISK, type Evidence } from './verdict.types.js';

const NOW = Date.UTC(2026, 10, 23) / 1000;
const DAY = 86_400;
const policy = { highRiskReports: 3, suspiciousReports: 1, decayDays: 180 };

function evidence(entry: string, fields: Partial<Evidence> = {}): Evidence {
  return { entry, reportCount: 0, sourceCount: 0, feedListedAt: null, feedUntil: null, firstSeen: null, lastSeen: null, lastReport: null, scamTypes: 0, feedLevel: RISK.none, feedName: null, decision: DECISION.none, decidedAt: null, protection: PROTECTION.none, ...fields };
}

function reports(entry: string, count: number, daysAgo = 1): Evidence {
  const at = NOW - daysAgo * DAY;
  return evidence(entry, { reportCount: count, sourceCount: count, firstSeen: at - DAY, lastSeen: at, lastReport: at, scamTypes: 0b10 });
}

function verdict(found: Evidence[], extra: Partial<VerdictInput> = {}) {
  return decideVerdict({ found, ownEntry: found[0]?.entry ?? 'phone:+85291234567', lookalikes: [], protectedNames: new Map(), policy, now: NOW, exact: true, ...extra });
}

describe('decideVerdict', () => {
  it('no evidence is no_record, and says that is not a statement of safety', () => {
    const v = verdict([]);
    assert.equal(v.level, 'no_record');
    assert.deepEqual(v.reasons.map((r) => r.code), ['NO_RECORD']);
    assert.match(v.reasons[0]!.message.en, /not a statement that it is safe/);
    assert.ok(v.reasons[0]!.message['zh-Hant'].length > 0);
    assert.ok(v.advice.en.some((a) => /does not mean it is safe/.test(a)));
  });

  it('1 or 2 independent reports make suspicious, 3 make high_risk (configurable)', () => {
    assert.equal(verdict([reports('k', 1)]).level, 'suspicious');
    assert.equal(verdict([reports('k', 2)]).level, 'suspicious');
    const three = verdict([reports('k', 3)]);
    assert.equal(three.level, 'high_risk');
    assert.equal(three.reasons[0]!.code, 'REPORTS_HIGH_RISK');
    assert.equal(three.reasons[0]!.count, 3);
    assert.equal(three.reportCount, 3);
    assert.deepEqual(three.scamTypes, ['investment']);
    assert.equal(verdict([reports('k', 3)], { policy: { ...policy, highRiskReports: 5 } }).level, 'suspicious');
  });

  it('report evidence lapses after decayDays without a new report', () => {
    assert.equal(verdict([reports('k', 2, 179)]).level, 'suspicious');
    const lapsed = verdict([reports('k', 2, 181)]);
    assert.equal(lapsed.level, 'no_record');
    assert.equal(lapsed.reasons[0]!.code, 'REPORTS_LAPSED');
    assert.equal(verdict([reports('k', 5, 181)]).level, 'no_record');
  });

  it('a high-risk feed makes high_risk on its own; a suspicious feed, suspicious', () => {
    const feed = verdict([evidence('k', { feedLevel: RISK.high_risk, feedName: 'openphish' })]);
    assert.equal(feed.level, 'high_risk');
    assert.equal(feed.reasons[0]!.code, 'FEED_HIGH_RISK');
    assert.equal(feed.reasons[0]!.source, 'openphish');
    assert.equal(verdict([evidence('k', { feedLevel: RISK.suspicious, feedName: 'x' })]).level, 'suspicious');
  });

  it("an officer's decision settles the entry whatever the reports say", () => {
    const decidedAt = NOW - DAY;
    assert.equal(verdict([evidence('k', { decision: DECISION.confirmed, decidedAt })]).level, 'high_risk');
    const cleared = verdict([{ ...reports('k', 9), decision: DECISION.cleared, decidedAt }]);
    assert.equal(cleared.level, 'no_record');
    assert.deepEqual(cleared.reasons.map((r) => r.code), ['OFFICER_CLEARED']);
    assert.equal(verdict([{ ...reports('k', 9), decision: DECISION.downgraded, decidedAt }]).level, 'suspicious');
  });

  it('a protected entity stays verified whatever is reported, until an officer records a compromise', () => {
    const names = new Map([['k', 'HSBC']]);
    const v = verdict([{ ...reports('k', 50), protection: PROTECTION.verified }], { protectedNames: names });
    assert.equal(v.level, 'verified');
    assert.match(v.reasons[0]!.message.en, /HSBC/);
    const compromised = verdict([{ ...reports('k', 1), protection: PROTECTION.compromised, decidedAt: NOW }], { protectedNames: names });
    assert.equal(compromised.level, 'suspicious');
    assert.deepEqual(compromised.reasons.map((r) => r.code), ['PROTECTED_COMPROMISED', 'REPORTS_SUSPICIOUS']);
  });

  it("an officer's confirmation of a page on a protected site stands; reports there do not", () => {
    const names = new Map([['urlx:bank.com/', 'The Bank']]);
    const site = evidence('urlx:bank.com/', { protection: PROTECTION.verified });
    const page = evidence('urle:bank.com/hacked/phish', { decision: DECISION.confirmed, decidedAt: NOW });
    assert.equal(verdict([page, site], { protectedNames: names, ownEntry: page.entry }).level, 'high_risk');
    assert.equal(verdict([reports('urle:bank.com/login', 9), site], { protectedNames: names, ownEntry: 'urle:bank.com/login' }).level, 'verified');
  });

  it('a look-alike of a protected name raises no_record to suspicious, never a cleared or high-risk answer', () => {
    const lookalike: Lookalike = { protected: 'hsbc.com.hk', kind: 'domain', score: 0.9, reasons: [{ code: 'BRAND_EMBEDDED', detail: '' }] };
    const v = verdict([], { lookalikes: [lookalike] });
    assert.equal(v.level, 'suspicious');
    assert.equal(v.reasons[0]!.code, 'LOOKALIKE_PROTECTED');
    assert.equal(verdict([evidence('k', { decision: DECISION.cleared, decidedAt: NOW })], { lookalikes: [lookalike] }).level, 'no_record');
    assert.equal(verdict([reports('k', 3)], { lookalikes: [lookalike] }).reasons.length, 1);
  });

  it('the worst covering entry decides, and reasons about a whole site say so', () => {
    const url = normalize('url', 'https://evil.example.com/a/b?c=1');
    const entries = lookupEntries(url);
    assert.equal(entries[0], 'urle:evil.example.com/a/b?c=1');
    const site = reports('urlx:example.com/', 3);
    const v = verdict([reports(entries[0]!, 1), site], { ownEntry: entries[0]! });
    assert.equal(v.level, 'high_risk');
    assert.equal(v.reasons[0]!.covers, 'example.com/');
    assert.match(v.reasons[0]!.message.en, /other links on example\.com/);
  });
});

describe('evidence entries', () => {
  it('a link on its own host condemns the link and the host; on shared hosting or a shortener only the link', () => {
    assert.deepEqual(reportedEntries(normalize('url', 'https://evil.top/pay?id=1')), ['urle:evil.top/pay?id=1', 'urlx:evil.top/']);
    assert.deepEqual(reportedEntries(normalize('url', 'https://someone.vercel.app/login')), ['urle:someone.vercel.app/login']);
    assert.deepEqual(reportedEntries(normalize('url', 'https://bit.ly/3xYz')), ['urle:bit.ly/3xYz']);
    assert.deepEqual(reportedEntries(normalize('url', 'https://docs.google.com/forms/d/abc')), ['urle:docs.google.com/forms/d/abc']);
    // The root link of a shared host is that link, not the host: it does not cover https://someone.vercel.app/other.
    assert.deepEqual(reportedEntries(normalize('url', 'https://someone.vercel.app/')), ['urle:someone.vercel.app/']);
    assert.ok(!lookupEntries(normalize('url', 'https://someone.vercel.app/other')).includes('urle:someone.vercel.app/'));
    assert.deepEqual(reportedEntries(normalize('domain', 'bit.ly')), []);
    assert.deepEqual(reportedEntries(normalize('phone', '+852 9123 4567')), ['phone:+85291234567']);
  });

  it('http and https, ports and fragments of one link share its entry', () => {
    const a = reportedEntries(normalize('url', 'http://Evil.top:8080/pay?id=1#x'))[0];
    const b = reportedEntries(normalize('url', 'https://evil.top/pay?id=1'))[0];
    assert.equal(a, b);
  });

  it('a check matches on the lookup expressions: a site entry covers its subdomains and paths', () => {
    const entries = lookupEntries(normalize('url', 'https://a.b.evil.top/x/y.html'));
    assert.ok(entries.includes('urlx:evil.top/'));
    assert.ok(entries.includes('urlx:a.b.evil.top/x/'));
    assert.ok(lookupEntries(normalize('domain', 'login.evil.top')).includes('urlx:evil.top/'));
  });

  it('a whole shared host cannot be the scope of a decision', () => {
    assert.equal(scopedEntry(normalize('url', 'https://x.vercel.app/a'), 'host'), null);
    assert.equal(scopedEntry(normalize('domain', 'bit.ly'), 'host'), null);
    assert.equal(scopedEntry(normalize('url', 'https://evil.top/a'), 'host'), 'urlx:evil.top/');
    assert.equal(scopedEntry(normalize('url', 'https://evil.top/a'), 'url'), 'urle:evil.top/a');
  });
});

describe('poisoning resistance, expiry and public rounding (issue 12)', () => {
  it('many reporters that are not independent (one network block) stay suspicious, and say why', () => {
    const crowd = evidence('phone:+85291234567', { reportCount: 5, sourceCount: 1, lastReport: NOW - DAY, lastSeen: NOW - DAY, firstSeen: NOW - 2 * DAY });
    const v = verdict([crowd]);
    assert.equal(v.level, 'suspicious');
    assert.equal(v.reasons[0]!.code, 'REPORTS_SUSPICIOUS');
    assert.match(v.reasons[0]!.message.en, /not been shown to come from independent people/);
    assert.equal(verdict([{ ...crowd, sourceCount: 2 }]).level, 'suspicious');
    assert.equal(verdict([{ ...crowd, sourceCount: 3 }]).level, 'high_risk');
    // Independent sources never count beyond the reporters behind them (one person on three networks).
    assert.equal(verdict([{ ...crowd, reportCount: 1, sourceCount: 3 }]).level, 'suspicious');
  });

  it('a feed listing counts until it expires, and the verdict clock is told when', () => {
    const listed = evidence('urle:evil.top/pay', { feedLevel: RISK.high_risk, feedName: 'openphish', feedListedAt: NOW - 29 * DAY, feedUntil: NOW + DAY });
    assert.equal(verdict([listed]).level, 'high_risk');
    assert.equal(verdict([listed], { now: NOW + DAY }).level, 'no_record');
    assert.equal(entryLevel(listed, policy, NOW + DAY - 1), 'high_risk');
    assert.equal(entryLevel(listed, policy, NOW + DAY), 'no_record');
    assert.equal(nextChangeAt(listed, policy, NOW), NOW + DAY);
    assert.equal(nextChangeAt(listed, policy, NOW + DAY), NOW + DAY, 'judged after it expired: due at once, to be recomputed');
  });

  it('report evidence lapses the second after decayDays, and nextChangeAt names that second', () => {
    const e = reports('k', 3, 1);
    const lapse = (e.lastReport as number) + 180 * DAY;
    assert.equal(nextChangeAt(e, policy, NOW), lapse + 1);
    assert.equal(entryLevel(e, policy, lapse), 'high_risk');
    assert.equal(entryLevel(e, policy, lapse + 1), 'no_record');
  });

  it('the headline comes from the reasons: a look-alike with no report is not "reported in scams"', () => {
    const lookalike: Lookalike = { protected: 'hsbc.com.hk', kind: 'domain', score: 0.9, reasons: [] } as unknown as Lookalike;
    const v = verdict([], { lookalikes: [lookalike], ownEntry: 'urlx:hsbc-hk.top/' });
    assert.equal(v.level, 'suspicious');
    assert.doesNotMatch(v.headline.en, /[Rr]eported/);
    assert.match(v.headline.en, /[Ll]ooks like a registered name/);
    assert.match(verdict([reports('k', 1)]).headline.en, /Reported in scams, not yet confirmed/);
    assert.match(verdict([evidence('k', { feedLevel: RISK.high_risk, feedName: 'f' })]).headline.en, /trusted source/);
    assert.match(verdict([]).headline.en, /does not mean it is safe/);
    assert.ok(verdict([]).headline['zh-Hant'].length > 0);
  });

  it('the public gets days and counts rounded down to 1, 2, 5, 10, 20, 50, …; officers get exact figures', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9, 10, 19, 20, 49, 50, 99, 100, 250, 1234].map(roundedCount), [0, 1, 2, 2, 2, 5, 5, 10, 10, 20, 20, 50, 50, 100, 200, 1000]);
    const e = { ...reports('k', 7), firstSeen: NOW - 3 * DAY + 3723, lastSeen: NOW - DAY + 61, decidedAt: null };
    const pub = verdict([e], { exact: false });
    assert.equal(pub.reportCount, 5);
    assert.equal(pub.reasons[0]!.count, 5);
    assert.match(pub.reasons[0]!.message.en, /^5 or more people/);
    assert.match(pub.firstSeen ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.match(pub.lastSeen ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(pub.updated, pub.lastSeen);
    const exact = verdict([e]);
    assert.equal(exact.reportCount, 7);
    assert.match(exact.lastSeen ?? '', /T\d{2}:\d{2}:\d{2}/);
  });

  it('each entry has the kind partners follow it by', () => {
    assert.deepEqual(['urle:evil.top/pay', 'urlx:evil.top/', 'urlx:evil.top/a/', 'phone:+85291234567', 'payment_proxy:fps:1234567'].map(entryKind), ['url', 'domain', 'url', 'phone', 'payment_proxy']);
  });
});
