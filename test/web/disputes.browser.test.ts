import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers/http.js';
import { axeProblems, DESK_VIEWPORT, SCREENSHOTS, startWeb, type Language, type WebUnderTest } from './browser.js';

// The dispute flow in a real browser (issue 17), in both languages: the owner of a flagged number disputes it
// from the check page, an officer clears it in the console with a reason, the verdict follows, and the owner
// reads the outcome on the private status page. No serious axe violation; nothing broken by the CSP.

const FLAGGED: Record<Language, string> = { en: '+852 6200 0001', 'zh-Hant': '+852 6200 0002' };

const WORDS = {
  en: {
    highRisk: /High risk/,
    noRecord: /No record/,
    link: 'Is this yours? Dispute it',
    title: 'Dispute a warning',
    value: 'The number, link, account or sender ID',
    explanation: 'Why is it yours, and not a scam?',
    evidence: 'Evidence (optional)',
    name: 'Your name',
    email: 'E-mail',
    submit: 'Send the dispute',
    received: 'Received',
    nav: 'Disputes',
    clear: 'Clear the warning',
    reason: 'Reason (shown to them)',
    done: 'Cleared: checks of the value no longer warn.',
    outcome: /the warning has been removed/,
    why: 'Our shop has used this number for ten years; a former employee’s phone was spoofed.',
    officerReason: 'The business registration and the bills match the shop.',
  },
  'zh-Hant': {
    highRisk: /高風險/,
    noRecord: /未有紀錄/,
    link: '這是你的嗎？提出申訴',
    title: '就警示提出申訴',
    value: '電話、連結、帳戶或短訊發送者名稱',
    explanation: '為何這屬於你，而不是騙案？',
    evidence: '證明（選填）',
    name: '你的姓名',
    email: '電郵',
    submit: '提交申訴',
    received: '已收到',
    nav: '申訴',
    clear: '撤銷警示',
    reason: '理由（會向對方顯示）',
    done: '已撤銷：查證此項目不會再顯示警示。',
    outcome: /警示已撤銷/,
    why: '這是我們茶餐廳用了十年的電話號碼，有人冒認我們的號碼來電。',
    officerReason: '商業登記及電話賬單與店舖資料相符。',
  },
} as const;

describe('disputes in a browser', () => {
  let web: WebUnderTest;

  before(async () => {
    web = await startWeb(async (sg) => {
      await sg.auth.addUser('dispute-officer', PASSWORD, 'officer');
      // Three independent reporters make each number high risk.
      let block = 0;
      for (const phone of Object.values(FLAGGED)) {
        for (let i = 0; i < 3; i += 1) {
          block += 1;
          await sg.reports.submit({ scamType: 'investment', channel: 'call', narrative: 'Promised 30% a month', indicators: [{ value: phone, role: 'caller' }] }, `10.9.${block}.1`);
        }
      }
      await sg.verdicts.catchUp();
    });
  });
  after(async () => web?.close());

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${web.url}/console`);
    await page.getByLabel(/User name|用戶名稱/).fill('dispute-officer');
    await page.getByLabel(/^(Password|密碼)$/).fill(PASSWORD);
    await page.getByRole('button', { name: /^(Sign in|登入)$/ }).click();
  }

  for (const language of ['en', 'zh-Hant'] as Language[]) {
    it(`a flagged number's owner disputes it, an officer clears it, the owner sees the outcome (${language})`, async () => {
      const words = WORDS[language];
      const phone = FLAGGED[language];
      const canonical = phone.replace(/\s/g, '');

      // The owner checks their number and follows the card's link to the dispute form, the value filled in.
      const owner = await web.open(language);
      await owner.page.goto(`${web.url}/?value=${encodeURIComponent(phone)}`);
      await owner.page.locator('.verdict').getByRole('heading', { name: words.highRisk }).waitFor();
      await owner.page.getByRole('link', { name: words.link }).click();
      await owner.page.getByRole('heading', { name: words.title, level: 1 }).waitFor();
      assert.equal(await owner.page.getByLabel(words.value, { exact: true }).inputValue(), canonical);
      await owner.page.getByLabel(words.explanation, { exact: true }).fill(words.why);
      await owner.page.getByLabel(words.evidence, { exact: true }).fill('BR 12345678');
      await owner.page.getByLabel(words.name, { exact: true }).fill('Chan Tai Man');
      await owner.page.getByLabel(words.email, { exact: true }).fill('owner@tea-house.example');
      assert.deepEqual(await axeProblems(owner.page), []);
      await owner.page.screenshot({ path: join(SCREENSHOTS, `dispute-form-${language}.png`), fullPage: true });
      await owner.page.getByRole('button', { name: words.submit }).click();
      await owner.page.getByRole('heading', { name: words.received, level: 1 }).waitFor();
      const reference = (await owner.page.locator('.reference').innerText()).trim();
      assert.match(reference, /^DP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      const statusLink = await owner.page.locator('.private-link a').getAttribute('href');
      assert.ok(statusLink !== null && statusLink.startsWith(`/dispute/${reference}#`), String(statusLink));
      assert.deepEqual(await axeProblems(owner.page), []);
      await owner.page.screenshot({ path: join(SCREENSHOTS, `dispute-receipt-${language}.png`), fullPage: true });

      // An officer opens it from the console's dispute queue and clears the warning, with a reason.
      const officer = await web.open(language, DESK_VIEWPORT);
      await signIn(officer.page);
      await officer.page.getByRole('link', { name: words.nav, exact: true }).click();
      await officer.page.getByRole('heading', { name: words.nav, level: 1 }).waitFor();
      await officer.page.getByRole('link', { name: reference }).click();
      await officer.page.getByRole('heading', { name: new RegExp(reference), level: 1 }).waitFor();
      await officer.page.getByText(words.why).waitFor();
      assert.deepEqual(await axeProblems(officer.page), []);
      await officer.page.screenshot({ path: join(SCREENSHOTS, `console-dispute-${language}.png`), fullPage: true });
      const action = officer.page.locator('.reasoned').filter({ has: officer.page.getByRole('button', { name: words.clear }) });
      await action.getByLabel(words.reason).fill(words.officerReason);
      await action.getByRole('button', { name: words.clear }).click();
      await officer.page.getByText(words.done).waitFor();
      assert.deepEqual(officer.policyErrors, []);

      // The verdict followed; the owner reads the outcome and the officer's reason on the private page.
      assert.equal(web.sg.verdicts.check(canonical).verdict.level, 'no_record');
      await owner.page.goto(`${web.url}${statusLink}`);
      await owner.page.locator('.status-text').filter({ hasText: words.outcome }).waitFor();
      await owner.page.getByText(words.officerReason).waitFor();
      assert.deepEqual(await axeProblems(owner.page), []);
      await owner.page.screenshot({ path: join(SCREENSHOTS, `dispute-status-${language}.png`), fullPage: true });
      await owner.page.goto(`${web.url}/?value=${encodeURIComponent(phone)}`);
      await owner.page.locator('.verdict').getByRole('heading', { name: words.noRecord }).waitFor();
      assert.deepEqual(owner.policyErrors, []);
      await owner.page.context().close();
      await officer.page.context().close();
    });
  }
});
