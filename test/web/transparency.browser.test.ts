import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { appendAudit } from '../../src/modules/audit/audit.repository.js';
import { addUsage } from '../../src/modules/partners/partners.repository.js';
import { reportPeriod } from '../../src/modules/transparency/transparency.service.js';
import { addCheckCounts } from '../../src/modules/verdicts/check-counts.repository.js';
import { axeProblems, DESK_VIEWPORT, PHONE_VIEWPORT, SCREENSHOTS, startWeb, type Language, type Scamgraph, type WebUnderTest } from './browser.js';

// The public transparency report in a real browser (issue 17): reached from the footer of every public page,
// its charts drawn (each with its numbers as a table), in both languages, on a phone and a desk, with no
// serious axe violation and nothing broken by the Content-Security-Policy.

const DAY_MS = 86_400_000;
const report = (value: string) => ({ scamType: 'investment' as const, channel: 'whatsapp' as const, narrative: 'Promised 30% a month, then stopped answering.', indicators: [{ value, role: 'caller' as const }] });

/** A year of history: what the services write, at past times where they take one, and the log rows as the jobs write them. */
async function seedYear(sg: Scamgraph): Promise<void> {
  const { months, until } = reportPeriod(new Date());
  // A time in month i, on day d (never today or later: the report counts whole days).
  const at = (i: number, d: number): Date | null => {
    const t = new Date(`${months[i]}-${String(Math.min(d, 28)).padStart(2, '0')}T10:00:00Z`);
    return t < until ? t : null;
  };
  const checks = new Map<string, number>();
  for (let t = until.getTime() - 365 * DAY_MS; t < until.getTime(); t += DAY_MS) checks.set(new Date(t).toISOString().slice(0, 10), 900 + Math.round(400 * Math.sin(t / (20 * DAY_MS))) + ((t / DAY_MS) % 7) * 40);
  await addCheckCounts(sg.db, checks);
  const bank = (await sg.partners.addOrganisation('cli', { name: 'Harbour Bank', type: 'bank', scopes: ['payee:check'] }, 'demo')).organisation.id;
  const telco = (await sg.partners.addOrganisation('cli', { name: 'Harbour Mobile', type: 'telco', scopes: ['calls:screen'] }, 'demo')).organisation.id;
  const usage = [];
  const references: string[] = [];
  let n = 0;
  for (let i = 0; i < months.length; i++) {
    for (let r = 0; r < 12 + ((i * 7) % 11); r++) {
      const when = at(i, 1 + (r % 27));
      if (when !== null) references.push((await sg.reports.submit(report(`+852 9120 ${String(1000 + n++)}`), `10.${i}.${r}.1`, when)).reference);
    }
    for (let d = 1; d <= 28; d += 3) {
      const when = at(i, d);
      if (when === null) continue;
      const day = when.toISOString().slice(0, 10);
      usage.push({ organisationId: bank, day, route: 'POST /api/v1/partner/payee-check', calls: 300 + i * 40 + d, refused: 0 }, { organisationId: telco, day, route: 'POST /api/v1/partner/calls/screen', calls: 150 + d * 5, refused: 0 });
    }
    const audited = async (action: string, subject: string, details: Record<string, unknown>, when: Date | null) => {
      if (when !== null) await sg.db.transaction().execute((trx) => appendAudit(trx, sg.secrets.auditKey, { actor: action === 'retention.run' ? 'retention' : 'officer-1', action, subject, details }, when));
    };
    for (let c = 0; c < 10 + (i % 4) * 3; c++) await audited('contact.read', `SG-DEMO-${i}-${c}`, { reason: 'calling back' }, at(i, 2 + c));
    if (i >= 3) await audited('retention.run', 'retention', { dryRun: false, deleted: { contacts: 20 + i * 3, narratives: 40 + i * 5, messages: 12 + i, fingerprints: 60 + i * 8, independence: 55 + i * 7, sessions: 14 } }, at(i, 1));
  }
  await addUsage(sg.db, usage);
  // Changes of the verdict log, as the verdict clock and officers' decisions write them.
  for (let i = 0; i < months.length; i++) {
    for (let c = 0; c < 15 + ((i * 5) % 12); c++) {
      const when = at(i, 1 + (c % 27));
      if (when === null) continue;
      const key = `phone:+8529130${String(1000 + i * 100 + c)}`;
      await sql`INSERT INTO evidence_changes (key, changed_at, kind, level, previous_level) VALUES (${key}, ${when}, 'phone', 0, 1)`.execute(sg.db);
      if (c % 3 === 0) await sg.db.transaction().execute((trx) => appendAudit(trx, sg.secrets.auditKey, { actor: 'officer-1', action: 'indicator.decide', subject: key, details: { level: 'cleared' } }, when));
    }
  }
  // Legal holds on reports of the autumn months.
  for (const [j, reference] of references.slice(0, 24).entries()) {
    await sql`INSERT INTO legal_holds (report_id, reason, until, placed_by, placed_at) SELECT id, 'court order', '2099-12-31', 'officer-1', received_at + interval '2 days' FROM reports WHERE reference = ${reference}`.execute(sg.db);
    if (j % 6 === 0) await sql`UPDATE legal_holds SET lifted_at = now() WHERE report_id = (SELECT id FROM reports WHERE reference = ${reference})`.execute(sg.db);
  }
  // Values flagged now: confirmed by officers, and numbers reported today; some disputed by their owners.
  for (let v = 0; v < 27; v++) await sg.verdicts.decide('officer-1', { value: `+852 6120 ${String(1000 + v)}`, kind: 'phone' }, 'high_risk', 'seen in a raid');
  for (let v = 0; v < 16; v++) await sg.verdicts.decide('officer-1', { value: `parcel-fee-${v}.example`, kind: 'domain' }, 'high_risk', 'phishing kit');
  for (let v = 0; v < 23; v++) {
    const submitted = await sg.disputes.submit({ request: 'dispute', value: `+852 6120 ${String(1000 + v)}`, kind: 'phone', role: 'owner', explanation: 'This is my own shop’s number, not a scam.', contact: { name: `Owner ${v}`, email: `owner${v}@example.com` } }, at(months.length - 1 - (v % 4), 5 + v) ?? undefined);
    if (v % 2 === 0) await sg.disputes.decide('officer-1', submitted.reference, 'uphold', 'reports from independent victims');
  }
}

describe('the transparency report in a browser', () => {
  let web: WebUnderTest;

  before(async () => {
    web = await startWeb(seedYear);
  });
  after(() => web?.close());

  async function look(page: Page, language: Language, name: string): Promise<void> {
    const en = language === 'en';
    await page.getByRole('heading', { name: en ? 'Transparency report' : '透明度報告', level: 1 }).waitFor();
    await page.getByRole('img', { name: en ? 'Public checks per month' : '每月公眾查證次數' }).waitFor();
    await page.getByRole('img', { name: en ? 'Calls by partner organisations per month, by type' : '每月合作機構的查詢次數（按類別）' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  it('is linked from the public pages, draws its charts with their numbers, and publishes the inventory in force', async () => {
    const { page, policyErrors } = await web.open('en', DESK_VIEWPORT);
    await page.goto(web.url);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Transparency report' }).click();
    await look(page, 'en', 'transparency-en-desk');
    // Counts under 10 are said to be left out; flagged values are rounded down to 5 (27 → 25, 16 → 15).
    await page.getByText('A count under 10 is never published').waitFor();
    const flagged = page.getByRole('table', { name: 'Numbers, links and accounts flagged today, by kind' });
    assert.equal(await flagged.getByRole('row', { name: /^phone number/ }).getByRole('cell').first().innerText(), '25');
    assert.equal(await flagged.getByRole('row', { name: /^website/ }).getByRole('cell').first().innerText(), '15');
    assert.equal(await flagged.getByRole('row', { name: /^e-mail address/ }).getByRole('cell').first().innerText(), 'under 10');
    // A chart's numbers as a table.
    const checks = page.locator('.monthly').filter({ has: page.getByRole('figure', { name: 'Public checks per month' }) });
    await checks.locator(':scope > details > summary').click();
    const table = checks.getByRole('table', { name: 'Public checks per month' });
    assert.equal(await table.getByRole('row').count(), 13, 'a heading row and 12 months');
    assert.match(await table.getByRole('row').nth(1).innerText(), /^[A-Z][a-z]{2} \d{4}\s+\d{1,3}(,\d{3})*$/, 'a month and its count');
    // The data inventory from the schedule in force (the defaults here).
    await page.getByRole('cell', { name: 'Encrypted; deleted 90 days after the report is closed' }).waitFor();
    assert.deepEqual(policyErrors, []);
  });

  it('on a phone, and in Traditional Chinese on both', async () => {
    for (const [language, viewport, name] of [
      ['en', PHONE_VIEWPORT, 'transparency-en-phone'],
      ['zh-Hant', DESK_VIEWPORT, 'transparency-zh-Hant-desk'],
      ['zh-Hant', PHONE_VIEWPORT, 'transparency-zh-Hant-phone'],
    ] as const) {
      const { page, policyErrors } = await web.open(language, viewport);
      await page.goto(`${web.url}/transparency`);
      await look(page, language, name);
      if (language === 'zh-Hant') await page.getByRole('cell', { name: '加密儲存；舉報結案後 90 日刪除' }).waitFor();
      assert.deepEqual(policyErrors, [], name);
    }
  });
});
