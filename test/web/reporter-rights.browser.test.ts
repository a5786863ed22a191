import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axeProblems, SCREENSHOTS, startWeb, type Language, type WebUnderTest } from './browser.js';

// The reporter's rights on the status page (issue 17), in both languages: everything held is shown, the
// contact details are corrected, and the report is withdrawn (English) with the verdict following.

describe("the reporter's rights on the status page", () => {
  let web: WebUnderTest;
  const links: Record<Language, string> = { en: '', 'zh-Hant': '' };

  before(async () => {
    web = await startWeb(async (sg) => {
      for (const [language, value] of [['en', '+852 6123 8001'], ['zh-Hant', '+852 6123 8002']] as const) {
        const receipt = await sg.reports.submit(
          { scamType: 'investment', channel: 'whatsapp', narrative: 'Demo data: a WhatsApp group teacher promised 30% a month.', indicators: [{ value, role: 'caller' }], contact: { email: 'reporter@example.com', consent: true } },
          language === 'en' ? '10.30.1.1' : '10.30.2.1',
        );
        links[language] = `/status/${receipt.reference}#${receipt.statusToken}`;
      }
    });
  });
  after(() => web?.close());

  for (const language of ['en', 'zh-Hant'] as Language[]) {
    it(`shows what is held, corrects the contact${language === 'en' ? ', and withdraws the report' : ''} (${language})`, async () => {
      const { page, policyErrors } = await web.open(language);
      await page.goto(web.url + links[language]);
      const en = language === 'en';
      await page.getByRole('heading', { name: en ? 'What we hold about your report' : '我們持有關於你的舉報的資料' }).waitFor();
      await page.getByText('Demo data: a WhatsApp group teacher promised 30% a month.').waitFor();
      await page.getByText('reporter@example.com').waitFor();
      await page.getByLabel(en ? 'Phone' : '電話').fill('+852 6000 1234');
      await page.getByRole('button', { name: en ? 'Save contact details' : '儲存聯絡資料' }).click();
      await page.getByText(en ? 'Saved. Officers will use these details.' : '已儲存，人員會使用這些資料聯絡你。').waitFor();
      assert.deepEqual(await axeProblems(page), []);
      await page.screenshot({ path: join(SCREENSHOTS, `status-rights-${language}.png`), fullPage: true });
      if (en) {
        assert.equal(web.sg.verdicts.check('+852 6123 8001').verdict.level, 'suspicious');
        await page.getByLabel('I want to withdraw this report').check();
        await page.getByRole('button', { name: 'Withdraw and erase my report' }).click();
        await page.getByText('Your report is withdrawn and erased. Thank you for having reported.').waitFor();
        assert.equal(web.sg.verdicts.check('+852 6123 8001').verdict.level, 'no_record');
      }
      assert.deepEqual(policyErrors, []);
    });
  }
});
