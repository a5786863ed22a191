import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers/http.js';
import { axeProblems, DESK_VIEWPORT, SCREENSHOTS, startWeb, type Language, type WebUnderTest } from './browser.js';

// Forwarded messages in a real browser (issue 16): an officer opens the campaigns, sees one campaign's
// forwards per hour, senders and links, and shares its template with telcos; the check page says what a
// pasted message's wording suggests. Both languages, no serious axe violation, nothing broken by the CSP.

const NAMES = ['Mr Chan', 'Ms Wong', 'Mr Lee', 'Ms Ho', 'Mr Ng', 'Ms Yip', 'Mr Lam', 'Ms Cheung', 'Mr Lau', 'Ms Tsang', 'Mr Kwok', 'Ms Fung'];

describe('forwarded messages in a browser', () => {
  let web: WebUnderTest;

  before(async () => {
    web = await startWeb(async (sg) => {
      await sg.auth.addUser('campaign-officer', PASSWORD, 'officer');
      await sg.auth.addUser('registry-admin', PASSWORD, 'admin');
      // Demo data: one parcel-fee campaign forwarded over the last day, from many senders and links.
      const now = Date.now();
      for (let i = 0; i < 36; i++) {
        const name = NAMES[i % NAMES.length] as string;
        const text = `HKPost: Dear ${name}, your parcel is held at our depot because of an unpaid fee of HK$${12 + (i % 5)}.50. Pay within 24 hours at https://depot-fee-${i % 9}.top/p?id=${i} or it will be returned.`;
        const forwarder = sg.messages.publicForwarder(undefined, `10.77.${i}.1`);
        await sg.messages.forward({ channel: 'sms', sender: `+852 6400 ${String(7000 + (i % 7))}`, text }, forwarder, 'en', new Date(now - ((i * 37) % 24) * 3_600_000));
      }
      await sg.campaignTracker.catchUp();
    });
  });
  after(() => web?.close());

  async function signIn(page: Page, user = 'campaign-officer'): Promise<void> {
    await page.goto(`${web.url}/console`);
    await page.getByLabel(/User name|用戶名稱/).fill(user);
    await page.getByLabel(/^(Password|密碼)$/).fill(PASSWORD);
    await page.getByRole('button', { name: /^(Sign in|登入)$/ }).click();
  }

  for (const language of ['en', 'zh-Hant'] as Language[]) {
    it(`an officer opens a campaign, reads its volume per hour, senders and links, and shares its template (${language})`, async () => {
      const { page, policyErrors } = await web.open(language, DESK_VIEWPORT);
      await signIn(page);
      await page.getByRole('link', { name: language === 'en' ? 'Campaigns' : '訊息活動' }).click();
      const row = page.getByRole('link', { name: /parcel is held at our depot/ });
      await row.waitFor();
      await row.click();
      await page.getByRole('img', { name: language === 'en' ? /Forwards per hour/ : /每小時轉發次數/ }).waitFor();
      await page.getByText('+852 6400 7000').first().waitFor();
      await page.getByRole('link', { name: /depot-fee-0\.top/ }).first().waitFor();
      assert.deepEqual(await axeProblems(page), []);
      await page.screenshot({ path: join(SCREENSHOTS, `console-campaign-${language}.png`), fullPage: true });
      if (language === 'en') {
        await page.getByLabel('Reason').fill('parcel-fee template, 36 forwards in a day');
        await page.getByRole('button', { name: 'Share the template with telcos' }).click();
        await page.getByText('Shared: telcos get it at their next read.').waitFor();
        const shares = await web.sg.db.selectFrom('campaign_shares').select(['shared_by', 'reason']).execute();
        assert.deepEqual(shares, [{ shared_by: 'user:campaign-officer', reason: 'parcel-fee template, 36 forwards in a day' }]);
        await page.getByRole('button', { name: 'Withdraw the template' }).waitFor();
      }
      assert.deepEqual(policyErrors, []);
    });

    it(`the check page says what a pasted message's wording suggests, beside its values (${language})`, async () => {
      const { page, policyErrors } = await web.open(language);
      await page.goto(web.url);
      const message =
        language === 'en'
          ? 'URGENT: your bank account has been suspended. Verify your identity now at https://secure-verify-hk.top/login to avoid closure.'
          : '【緊急】閣下的銀行戶口已被暫停，請立即到 https://secure-verify-hk.top/login 核實身份，以免戶口被凍結。';
      await page.getByRole('textbox').fill(message);
      await page.getByRole('button', { name: language === 'en' ? 'Check' : '查證' }).click();
      const reading = page.locator('.message-reading');
      await reading.waitFor();
      assert.match(await reading.innerText(), language === 'en' ? /Its wording looks like a scam/ : /字眼看來是/);
      assert.deepEqual(await axeProblems(page), []);
      await page.screenshot({ path: join(SCREENSHOTS, `check-message-reading-${language}.png`), fullPage: true });
      assert.deepEqual(policyErrors, []);
    });
  }

  it('an administrator imports the SMS sender registry, a refused file names its bad rows, and suspends a sender', async () => {
    const { page, policyErrors } = await web.open('en', DESK_VIEWPORT);
    await signIn(page, 'registry-admin');
    await page.getByRole('link', { name: 'SMS senders' }).click();
    await page.getByRole('heading', { name: 'SMS Sender Registry', level: 1 }).waitFor();
    await page.getByLabel(/or paste it/).fill('sender_id,organisation,status,registered_on,expires_on\n#BAD,,active,2024-01-01,\n');
    await page.getByLabel('Reason').first().fill('first import of the register');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText(/line 2: #BAD has no organisation/).waitFor();
    assert.equal(await web.sg.db.selectFrom('sms_sender_registry').select('sender_key').execute().then((r) => r.length), 0);
    await page.getByLabel('CSV file').setInputFiles(new URL('../fixtures/sender-registry.sample.csv', import.meta.url).pathname);
    await page.getByLabel('Reason').first().fill('first import of the register');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText(/^Imported: \d+ added, 0 updated, 0 unchanged\.$/).waitFor();
    await page.getByRole('cell', { name: '#HSBC', exact: true }).waitFor();
    await page.getByLabel('Sender ID').selectOption('#HSBC');
    await page.getByLabel('Reason').nth(1).fill('suspended by the scheme');
    await page.getByRole('button', { name: 'Suspend #HSBC' }).click();
    await page.getByText('#HSBC is suspended: it is no longer verified, and gateways refuse it.').waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-senders-en.png'), fullPage: true });
    assert.deepEqual(policyErrors, []);
  });
});
