import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { axeProblems, SCREENSHOTS, startWeb, type Language, type WebUnderTest } from './browser.js';

// The public pages as issue 12 asked: a check's answer has an address that can be shared (/?value=) and
// opening it checks; a pasted message gets an overall answer above its cards and a link that carries it into
// the wizard, as a single value's answer carries the value; the wizard's "add" box takes only what it
// recognises (a plain word gets a clear message, in both languages); the receipt says what to do next and
// copies the reference. axe-core on every page; no page may break its Content-Security-Policy.

const FLAGGED = '+852 6123 0001';
const FLAGGED_LINK = 'https://parcel-fee.top/pay';
const REPORTED_ONCE = '+852 6123 0002';
const UNKNOWN = '+852 9876 5432';
const MESSAGE = 'Your parcel is held. Pay the fee at hxxps://parcel-fee[.]top/pay or call +852 6123 0001, or WhatsApp +852 6123 0002';

describe('check and report: shared answers, a message summed up, the wizard carried into, the receipt', () => {
  let web: WebUnderTest;

  before(async () => {
    web = await startWeb(async (sg) => {
      const report = { scamType: 'phishing_courier' as const, channel: 'sms' as const, narrative: 'Parcel fee SMS' };
      // Three independent reporters make the number and the link high risk; one makes the WhatsApp number suspicious.
      for (const address of ['10.1.1.1', '10.1.2.1', '10.1.3.1']) {
        await sg.reports.submit({ ...report, indicators: [{ value: FLAGGED, role: 'sender' as const }, { value: FLAGGED_LINK, role: 'link' as const }] }, address);
      }
      await sg.reports.submit({ ...report, indicators: [{ value: REPORTED_ONCE, role: 'caller' as const }] }, '10.1.0.4');
      await sg.verdicts.catchUp();
    });
  });
  after(async () => web?.close());

  async function checkBox(page: Page, text: string, button: RegExp): Promise<void> {
    await page.getByRole('textbox').fill(text);
    await page.getByRole('button', { name: button }).click();
  }

  it('opening /?value= checks the value; each check has its own address, and going back shows the one before', async () => {
    const { page, policyErrors } = await web.open('en');
    await page.goto(`${web.url}/?value=${encodeURIComponent(FLAGGED)}`);
    await page.locator('.verdict').getByRole('heading', { name: /High risk/ }).waitFor();
    assert.equal(await page.getByRole('textbox').inputValue(), FLAGGED, 'the box holds what is checked');
    assert.deepEqual(await axeProblems(page), []);

    await checkBox(page, UNKNOWN, /^Check$/);
    await page.locator('.verdict').getByRole('heading', { name: /No record/ }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('value'), UNKNOWN, 'the address names the value checked');
    await page.goBack();
    await page.locator('.verdict').getByRole('heading', { name: /High risk/ }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('value'), FLAGGED);

    // Eight digits are a phone number and an FPS ID: the card shows the worst, and says what else it was read as.
    await checkBox(page, '61230001', /^Check$/);
    await page.locator('.verdict').getByRole('heading', { name: /High risk/ }).waitFor();
    assert.equal(await page.locator('.verdict .also').innerText(), 'Also checked as payment ID: No record.');
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  const SUMMARY = {
    en: { check: /^Check$/, answer: 'This message contains 2 high-risk values.', more: '1 more is suspicious.', advice: /Treat it as a scam/, report: 'Report this message', share: 'Link to this answer', narrative: 'What happened, in your own words' },
    'zh-Hant': { check: /^查證$/, answer: '這段訊息包含 2 項高風險資料。', more: '另有 1 項可疑。', advice: /請當作騙案處理/, report: '舉報這段訊息', share: '此結果的連結', narrative: '用你自己的說話描述經過' },
  } as const;

  for (const language of ['en', 'zh-Hant'] as Language[]) {
    it(`a pasted message gets an overall answer above its cards and is carried into the wizard (${language})`, async () => {
      const words = SUMMARY[language];
      const { page, policyErrors } = await web.open(language);
      await page.goto(web.url);
      await checkBox(page, MESSAGE, words.check);
      const overall = page.locator('.overall');
      await overall.getByRole('heading', { name: words.answer }).waitFor();
      assert.match(await overall.innerText(), new RegExp(words.more));
      assert.match(await overall.innerText(), words.advice);
      assert.equal(await page.locator('.verdict').count(), 3);
      // The answer comes first: above every card.
      const [answerTop, cardTop] = [await overall.boundingBox(), await page.locator('.verdict').first().boundingBox()];
      assert.ok(answerTop !== null && cardTop !== null && answerTop.y < cardTop.y);
      // A message is not put in the address; each value found has an address of its own.
      assert.equal(new URL(page.url()).search, '');
      const shares = await page.locator('.verdict').getByRole('link', { name: words.share }).evaluateAll((links) => links.map((a) => new URL((a as unknown as { href: string }).href).searchParams.get('value')));
      assert.deepEqual(shares.sort(), [FLAGGED_LINK, '+85261230001', '+85261230002'].sort());
      assert.deepEqual(await axeProblems(page), []);
      await page.screenshot({ path: join(SCREENSHOTS, `check-message-summary-${language}.png`), fullPage: true });

      await overall.getByRole('link', { name: words.report }).click();
      assert.equal(await page.getByLabel(words.narrative).inputValue(), MESSAGE, 'the wizard starts with the message');
      assert.equal(new URL(page.url()).search, '', 'carried in the history state, not the address');
      assert.deepEqual(await axeProblems(page), []);
      assert.deepEqual(policyErrors, []);
      await page.context().close();
    });
  }

  it('a value’s answer links to the wizard with the value; the add box refuses a plain word and says why; the receipt says what to do next', async () => {
    const { page, policyErrors } = await web.open('en');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
    await page.goto(`${web.url}/?value=${encodeURIComponent(FLAGGED)}`);
    await page.getByRole('link', { name: 'Were you scammed through it? Report it' }).click();
    await page.getByLabel('What kind of scam was it?').selectOption({ label: 'Phishing (courier)' });
    await page.getByLabel('How did they contact you?').selectOption({ label: 'SMS' });
    await page.getByRole('button', { name: /^Next$/ }).click();
    const found = page.locator('.found li');
    await found.first().waitFor();
    assert.deepEqual(await found.locator('span[dir]').allInnerTexts(), [FLAGGED]);
    assert.match(await found.first().innerText(), /phone number/);
    assert.equal(await found.first().getByRole('combobox').inputValue(), 'caller');

    const box = page.getByLabel('Add a number, link, account or handle');
    await box.fill('hello');
    await page.getByRole('button', { name: /^Add$/ }).click();
    const problem = page.getByRole('alert');
    await problem.getByText('“hello” is not a phone number, link, e-mail, bank account, payment ID, wallet, social account, IP address or SMS sender we recognise.', { exact: false }).waitFor();
    assert.match(await problem.innerText(), /If you know what it is, choose it under “What is it\?”\./);
    assert.equal(await box.inputValue(), 'hello', 'kept in the box to be corrected');
    assert.equal(await found.count(), 1, 'nothing added');
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-unrecognised-en.png'), fullPage: true });
    // Next with the word still in the box does not leave it out silently.
    await page.getByRole('button', { name: /^Next$/ }).click();
    await problem.waitFor();
    assert.match(await page.locator('h1').innerText(), /Numbers, links and accounts/);

    await box.fill('HSBC-Alert');
    await page.getByRole('button', { name: /^Add$/ }).click();
    await found.nth(1).waitFor();
    assert.match(await found.nth(1).innerText(), /HSBC-Alert[\s\S]*SMS sender/);
    assert.equal(await found.nth(1).getByRole('combobox').inputValue(), 'sender');
    assert.equal(await page.getByRole('alert').count(), 0, 'the message goes once the value is recognised');

    await page.getByRole('button', { name: /^Next$/ }).click();
    await page.getByLabel('I lost money').check();
    await page.getByLabel('Amount lost').fill('1200.50');
    await page.getByRole('button', { name: /^Next$/ }).click();
    await page.getByRole('button', { name: /^Next$/ }).click(); // no contact details
    const review = page.locator('dl.review');
    assert.match(await review.innerText(), /HKD\s1,200\.50/);
    assert.match(await review.innerText(), /\+852 6123 0001 \(phone number, caller\)/);
    assert.match(await review.innerText(), /HSBC-Alert \(SMS sender, sender\)/);
    await page.getByRole('button', { name: /^Send report$/ }).click();

    const receipt = page.locator('.receipt');
    await receipt.getByRole('heading', { name: 'What to do now' }).waitFor();
    const steps = await receipt.locator('.next-steps > li').allInnerTexts();
    assert.match(steps[0] ?? '', /^Call your bank now\./, 'money left: the bank comes first');
    assert.ok(steps.some((s) => /Anti-Scam Helpline 18222/.test(s)));
    assert.ok(steps.some((s) => /police station/.test(s)));
    assert.ok(steps.some((s) => /^Keep the evidence\./.test(s)));
    assert.equal(await receipt.getByRole('link', { name: '18222' }).getAttribute('href'), 'tel:18222');
    assert.equal(await receipt.getByRole('link', { name: 'Hong Kong Police e-Report Centre' }).getAttribute('href'), 'https://www.erc.police.gov.hk/');
    const reference = await receipt.locator('.reference').innerText();
    await receipt.getByRole('button', { name: 'Copy reference' }).click();
    await receipt.getByRole('status').getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()), reference);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-next-steps-en.png'), fullPage: true });

    const stored = await web.sg.db
      .selectFrom('reports as r')
      .innerJoin('report_indicators as i', 'i.report_id', 'r.id')
      .select(['r.loss_amount', 'i.key', 'i.role'])
      .where('r.reference', '=', reference)
      .orderBy('i.key')
      .execute();
    assert.deepEqual(stored.map((r) => [r.loss_amount, r.key, r.role]), [
      ['1200.50', 'phone:+85261230001', 'caller'],
      ['1200.50', 'sms_sender:hsbc-alert', 'sender'],
    ]);
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  it('in Chinese: the add box explains a word it cannot recognise, takes it as the kind chosen, and the receipt’s next steps', async () => {
    const { page, policyErrors } = await web.open('zh-Hant');
    await page.goto(`${web.url}/report`);
    await page.getByLabel('屬於哪類騙案？').selectOption({ label: '釣魚騙案（速遞）' });
    await page.getByLabel('對方如何聯絡你？').selectOption({ label: '短訊' });
    await page.getByLabel('用你自己的說話描述經過').fill('收到假速遞短訊');
    await page.getByRole('button', { name: /^下一步$/ }).click();
    const box = page.getByLabel('加入電話號碼、連結、戶口或帳戶名稱');
    await box.fill('bank');
    await page.getByRole('button', { name: /^加入$/ }).click();
    await page.getByRole('alert').getByText('「bank」不是我們能識別的電話號碼', { exact: false }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    // Said to be an SMS sender, it is one: the kind stated is taken.
    await page.getByLabel('這是甚麼？').selectOption({ label: '短訊發送者' });
    await page.getByRole('button', { name: /^加入$/ }).click();
    await page.locator('.found li', { hasText: 'bank' }).waitFor();
    assert.match(await page.locator('.found li').innerText(), /短訊發送者/);
    assert.equal(await page.getByRole('alert').count(), 0);
    await page.getByRole('button', { name: /^下一步$/ }).click();
    await page.getByRole('button', { name: /^下一步$/ }).click(); // no money lost
    await page.getByRole('button', { name: /^下一步$/ }).click(); // no contact details
    await page.getByRole('button', { name: /^提交舉報$/ }).click();
    const receipt = page.locator('.receipt');
    await receipt.getByRole('heading', { name: '你現在應該怎樣做' }).waitFor();
    const steps = await receipt.locator('.next-steps > li').allInnerTexts();
    assert.match(steps[0] ?? '', /^致電防騙易熱線 18222/, 'no money lost: the helpline first');
    assert.ok(steps.some((s) => /^如你曾付款或提供銀行或信用卡資料，請立即致電你的銀行。/.test(s)));
    assert.ok(steps.some((s) => /香港警務處網上報案中心/.test(s) && /警署/.test(s)));
    assert.ok(steps.some((s) => /^保留證據。/.test(s)));
    assert.equal(await receipt.getByRole('button', { name: '複製編號' }).count(), 1);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-next-steps-zh-Hant.png'), fullPage: true });
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });
});
