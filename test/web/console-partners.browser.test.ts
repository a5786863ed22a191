import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD, bearer } from '../helpers/http.js';
import { axeProblems, DESK_VIEWPORT, SCREENSHOTS, startWeb, type WebUnderTest } from './browser.js';

// The partners page in a real browser (issue 13): an administrator adds a bank, sees its first key once,
// rotates and revokes keys and sees the bank's calls per day; the key made there works, the revoked one is
// refused. In both languages, with no serious axe violation and nothing broken by the Content-Security-Policy.

describe('the partners page in a browser', () => {
  let web: WebUnderTest;

  before(async () => {
    web = await startWeb(async (sg) => {
      await sg.auth.addUser('partner-admin', PASSWORD, 'admin');
      await sg.auth.addUser('plain-officer', PASSWORD, 'officer');
      // A bank with calls on record, so that the usage chart has days to draw.
      const { organisation } = await sg.partners.addOrganisation('cli', { name: 'Harbour Bank', type: 'bank', scopes: ['payee:check', 'accounts:share'] }, 'demo data for the browser test');
      const today = Date.now();
      const rows = Array.from({ length: 12 }, (_, i) => ({ organisationId: organisation.id, day: new Date(today - i * 86_400_000).toISOString().slice(0, 10), route: 'POST /api/v1/partner/payee-check', calls: 900 + ((i * 37) % 400), refused: i % 4 === 0 ? 12 : 0 }));
      const { addUsage } = await import('../../src/modules/partners/partners.repository.js');
      await addUsage(sg.db, rows);
      // Outcomes the bank reported after its checks: two payments stopped, one paid, one false alarm.
      const answers = sg.payeeCheck.check(organisation.id, ['1111111', '2222222', '3333333', '4444444'].map((value) => ({ type: 'fps_id' as const, value })));
      const ids = answers.map((a) => ('checkId' in a ? a.checkId : ''));
      await sg.payeeOutcomes.record(organisation, [
        { checkId: ids[0] as string, outcome: 'warned_cancelled', amount: 18_000, currency: 'HKD' },
        { checkId: ids[1] as string, outcome: 'delayed_cancelled', amount: 52_500, currency: 'HKD' },
        { checkId: ids[2] as string, outcome: 'warned_paid', amount: 900, currency: 'HKD' },
        { checkId: ids[3] as string, outcome: 'false_alarm' },
      ]);
      // A telco that acted on values it was told of: a number suspended, a link blocked.
      const telco = await sg.partners.addOrganisation('cli', { name: 'Harbour Mobile', type: 'telco', scopes: ['calls:screen', 'outcomes:write'] }, 'demo data for the browser test');
      await sg.telcoOutcomes.record(telco.organisation, [
        { value: '+852 6400 7001', outcome: 'number_suspended', reference: 'HM-2291' },
        { value: 'https://parcel-fee.example.top/pay', outcome: 'link_blocked' },
      ]);
    });
  });
  after(() => web?.close());

  async function signIn(page: Page, user: string): Promise<void> {
    await page.goto(`${web.url}/console`);
    await page.getByLabel(/User name|用戶名稱/).fill(user);
    await page.getByLabel(/^(Password|密碼)$/).fill(PASSWORD);
    await page.getByRole('button', { name: /^(Sign in|登入)$/ }).click();
  }

  it('an administrator adds a bank, gets its key once, sees its calls, rotates and revokes a key', async () => {
    const { page, policyErrors } = await web.open('en', DESK_VIEWPORT);
    await signIn(page, 'partner-admin');
    await page.getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { name: 'Partners', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /Harbour Bank/ }).waitFor();

    await page.getByRole('button', { name: 'Calls of Harbour Bank' }).click();
    await page.getByRole('img', { name: /Calls of Harbour Bank per day/ }).waitFor();

    await page.getByLabel('Reason').fill('pilot with Kowloon Wallet');
    await page.getByLabel('Name').fill('Kowloon Wallet');
    await page.getByLabel('Type').selectOption('wallet');
    await page.getByRole('checkbox', { name: /accounts:share/ }).check();
    await page.getByRole('button', { name: 'Add the organisation and make its first key' }).click();
    await page.getByText('Kowloon Wallet added. Its first key is shown below, once.').waitFor();
    const token = (await page.locator('code.secret').innerText()).trim();
    assert.match(token, /^sgp_[A-Za-z0-9_-]{32}$/);
    const me = await web.sg.partners.authenticate(token);
    assert.ok(typeof me !== 'string' && me.organisation.name === 'Kowloon Wallet' && me.scopes.join() === 'payee:check,accounts:share');
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-partners-en.png'), fullPage: true });

    await page.getByRole('button', { name: 'Hide it' }).click();
    assert.equal(await page.locator('code.secret').count(), 0, 'the key is gone once hidden');
    // Rotate key 1 of Harbour Bank, then revoke the new key.
    await page.getByLabel('Reason').fill('yearly rotation');
    await page.getByRole('button', { name: 'Rotate key 1' }).click();
    await page.getByText(/Key 1 of Harbour Bank replaced/).waitFor();
    const rotated = (await page.locator('code.secret').innerText()).trim();
    assert.notEqual(rotated, token);
    const newId = await web.sg.partners.authenticate(rotated);
    assert.ok(typeof newId !== 'string');
    await page.getByLabel('Reason').fill('handed over by mistake');
    await page.getByRole('button', { name: `Revoke key ${newId.keyId}` }).click();
    await page.getByText(`Key ${newId.keyId} of Harbour Bank revoked.`).waitFor();
    assert.equal(await web.sg.partners.authenticate(rotated), 'revoked');
    assert.deepEqual(policyErrors, []);
  });

  it('the dashboard shows what banks did after payee checks: a chart, the amounts kept, and false alarms to review', async () => {
    const { page, policyErrors } = await web.open('en', DESK_VIEWPORT);
    await signIn(page, 'plain-officer');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Payee checks by banks' }).waitFor();
    await page.getByRole('img', { name: 'What happened after payee checks, as banks reported it, per day' }).waitFor();
    await page.getByText(/^Kept from scammers after a warning: HKD\s70,500\.00 \(2 payments not made\)\.$/).waitFor();
    await page.getByRole('link', { name: 'fps:4444444' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-dashboard-payee-outcomes-en.png'), fullPage: true });
    assert.deepEqual(policyErrors, []);
  });

  it('what telcos did shows on the dashboard per day and on the value’s page, with who, when and their reference', async () => {
    const { page, policyErrors } = await web.open('en', DESK_VIEWPORT);
    await signIn(page, 'plain-officer');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Telcos and platforms' }).waitFor();
    await page.getByRole('img', { name: 'What telcos and platforms did about values, per day' }).waitFor();
    await page.goto(`${web.url}/console/indicators?value=${encodeURIComponent('+85264007001')}`);
    await page.getByRole('heading', { name: 'What telcos and platforms did' }).waitFor();
    await page.getByText(/Harbour Mobile: Number suspended \(\+85264007001\)/).waitFor();
    await page.getByText('HM-2291').waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-indicator-telco-outcomes-en.png'), fullPage: true });
    assert.deepEqual(policyErrors, []);
  });

  it('in Traditional Chinese too; an officer sees no partners page and the API refuses them', async () => {
    const { page, policyErrors } = await web.open('zh-Hant', DESK_VIEWPORT);
    await signIn(page, 'partner-admin');
    await page.getByRole('link', { name: '合作夥伴' }).click();
    await page.getByRole('heading', { name: '合作夥伴', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Harbour Bank的調用次數' }).click();
    await page.getByRole('img', { name: /Harbour Bank過去30日/ }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-partners-zh-Hant.png'), fullPage: true });
    assert.deepEqual(policyErrors, []);

    const officer = await web.open('en', DESK_VIEWPORT);
    await signIn(officer.page, 'plain-officer');
    await officer.page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    assert.equal(await officer.page.getByRole('link', { name: 'Partners' }).count(), 0);
    const login = await fetch(`${web.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'plain-officer', password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    assert.equal((await fetch(`${web.url}/api/v1/officer/partners`, { headers: bearer(token) })).status, 403);
  });
});
