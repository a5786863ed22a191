import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers/http.js';
import { axeProblems, DESK_VIEWPORT, SCREENSHOTS, startWeb, type Language, type WebUnderTest } from './browser.js';
import { readableAuditRows } from '../../src/modules/audit/audit.repository.js';

// The console's report page as issue 12 asked: what the reporter chose (type, channel, when it happened,
// each value's role), a control to label the report's type (which moves the dashboard's suggestion accuracy),
// each action's reason box beside its button, and money in the locale's format. Both languages, axe-core,
// no Content-Security-Policy error.

const OCCURRED = '2026-03-14T04:00:00.000Z';

describe('console: a report as its reporter made it, labelled by an officer', () => {
  let web: WebUnderTest;
  let reference = '';

  before(async () => {
    web = await startWeb(async (sg) => {
      const submitted = await sg.reports.submit(
        {
          scamType: 'online_shopping',
          channel: 'website',
          occurredAt: OCCURRED,
          narrative: 'Paid a deposit for a phone that never came; the seller now answers on +852 6123 7777',
          loss: { amount: 1200.5, currency: 'HKD' },
          indicators: [
            { value: '+852 6123 4567', role: 'caller' },
            { value: 'https://cheap-phones.example/shop', role: 'website' },
          ],
        },
        '10.2.0.1',
      );
      reference = submitted.reference;
      await sg.verdicts.catchUp();
      await sg.auth.addUser('duty-officer', PASSWORD, 'officer');
    });
  });
  after(async () => web?.close());

  const WORDS = {
    en: {
      signIn: /^Sign in$/,
      chose: 'What the reporter chose',
      type: 'Online shopping',
      channel: 'Website',
      caller: '(phone number, given as the caller)',
      website: '(link, given as the website)',
      story: '(phone number, found in the story)',
      notLabelled: 'No officer has labelled its type yet.',
      labelAs: 'Label its type as',
      labelButton: 'Label the type',
      labelled: 'Labelled as Investment.',
      labelledAs: 'Labelled by an officer as: Investment',
      investment: 'Investment',
      dashboard: 'Dashboard',
      noLabels: /No reports labelled yet/,
      accuracy: /agree with officers’ labels on \d+ of 1 report/,
      locale: 'en-HK',
    },
    'zh-Hant': {
      signIn: /^登入$/,
      chose: '舉報人的選擇',
      type: '網購騙案',
      channel: '網站',
      caller: '（電話號碼，舉報人註明為來電者）',
      website: '（連結，舉報人註明為網站）',
      story: '（電話號碼，從描述中找到）',
      notLabelled: '尚未有人員標示其類型。',
      labelAs: '標示類型為',
      labelButton: '標示類型',
      labelled: '已標示為投資騙案。',
      labelledAs: '人員標示的類型：投資騙案',
      investment: '投資騙案',
      locale: 'zh-HK',
    },
  } as const;

  async function openReport(language: Language): Promise<{ page: Page; policyErrors: string[] }> {
    const opened = await web.open(language, DESK_VIEWPORT);
    const { page } = opened;
    await page.goto(`${web.url}/console`);
    await page.getByLabel(/User name|用戶名稱/).fill('duty-officer');
    await page.getByLabel(/Password|密碼/).fill(PASSWORD);
    await page.getByRole('button', { name: WORDS[language].signIn }).click();
    await page.locator('.console-nav').waitFor();
    // Opened by its address (once closed it is no longer in the default queue).
    await page.goto(`${web.url}/console/reports/${reference}`);
    await page.getByRole('heading', { name: reference }).waitFor();
    return opened;
  }

  it('shows what the reporter chose, each value’s role and the loss in the locale; in both languages', async () => {
    for (const language of ['en', 'zh-Hant'] as const) {
      const words = WORDS[language];
      const { page, policyErrors } = await openReport(language);
      const choices = page.locator('dl.choices');
      await page.getByRole('heading', { name: words.chose }).waitFor();
      await choices.getByText(new Date(OCCURRED).toLocaleDateString(words.locale)).waitFor(); // loaded apart
      const shown = await choices.innerText();
      assert.match(shown, new RegExp(words.type));
      assert.match(shown, new RegExp(words.channel));
      assert.match(shown, /HKD\s1,200\.50/);
      assert.match(await page.locator('.facts').first().innerText(), /HKD\s1,200\.50/);
      const values = page.locator('.indicators li');
      assert.match(await values.filter({ hasText: '+85261234567' }).innerText(), new RegExp(escape(words.caller)));
      assert.match(await values.filter({ hasText: 'cheap-phones.example' }).innerText(), new RegExp(escape(words.website)));
      assert.match(await values.filter({ hasText: '+85261237777' }).innerText(), new RegExp(escape(words.story)));
      await page.getByText(words.notLabelled).waitFor();
      assert.deepEqual(await axeProblems(page), []);
      assert.deepEqual(policyErrors, []);
      await page.context().close();
    }
  });

  it('an officer labels the type, and the dashboard’s suggestion accuracy counts it', async () => {
    const words = WORDS.en;
    const { page, policyErrors } = await openReport('en');
    await page.getByRole('link', { name: words.dashboard }).click();
    await page.getByText(words.noLabels).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: reference }).waitFor();
    await page.getByLabel(words.labelAs).selectOption('investment');
    await page.getByRole('button', { name: words.labelButton }).click();
    await page.getByText(words.labelled).waitFor();
    await page.getByText(words.labelledAs).waitFor();
    const stored = await web.sg.db.selectFrom('type_labels as t').innerJoin('reports as r', 'r.id', 't.report_id').select('t.scam_type').where('r.reference', '=', reference).execute();
    assert.deepEqual(stored, [{ scam_type: 'investment' }]);
    assert.deepEqual(await axeProblems(page), []);
    await page.getByRole('link', { name: words.dashboard }).click();
    await page.getByText(words.accuracy).waitFor();
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  it('each action asks its reason beside its button: refer, close, and confirming a value', async () => {
    const { page, policyErrors } = await openReport('en');
    // No reason box away from its action: one for referring, one for closing.
    assert.equal(await page.getByLabel('Reason for your action (goes into the audit log)').count(), 2);
    await assertBesideItsButton(page, 'Refer');
    const refer = page.locator('.reasoned').filter({ has: page.getByRole('button', { name: 'Refer' }) });

    await page.getByRole('button', { name: 'Refer' }).click();
    await page.locator(':focus', { hasText: 'Please give a reason first' }).waitFor();
    await page.getByLabel('Refer to (unit or partner name)').fill('Cyber Security and Technology Crime Bureau');
    await refer.getByLabel(/^Reason for your action/).fill('Online shopping fraud with a loss');
    await page.getByRole('button', { name: 'Refer' }).click();
    await page.getByText('Referred.', { exact: true }).waitFor();
    // The box is cleared once the action is done, a render after its result shows (a loaded machine saw it between).
    const referReason = refer.getByLabel(/^Reason for your action/);
    for (let i = 0; i < 100 && (await referReason.inputValue()) !== ''; i++) await page.waitForTimeout(20);
    assert.equal(await referReason.inputValue(), '', 'a reason is used once');

    const phone = page.locator('.indicators li').filter({ hasText: '+85261234567' });
    await phone.getByRole('button', { name: 'Confirm as high risk' }).click();
    const why = phone.getByLabel('Why +85261234567 is high risk (goes into the audit log)');
    await page.locator(':focus').and(why).waitFor(); // the reason box opens with the cursor in it
    await why.fill('Seller number in three shopping frauds');
    await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByText('Confirmed as high risk. The public check shows it now.').waitFor();
    await phone.locator('.badge', { hasText: 'High risk' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-report-en.png'), fullPage: true });

    const close = page.locator('.reasoned').filter({ has: page.getByRole('button', { name: 'Close' }) });
    await close.getByLabel(/^Reason for your action/).fill('Referred to the bureau; nothing more here');
    await close.getByRole('button', { name: 'Close' }).click();
    await page.getByText('Closed.', { exact: true }).waitFor();
    const audit = await readableAuditRows(web.sg.db, web.sg.secrets.auditKey, await web.sg.db.selectFrom('audit_log').select(['action', 'subject', 'details']).where('subject', '=', reference).where('action', 'in', ['report.refer', 'report.close']).orderBy('seq').execute());
    assert.deepEqual(audit.map((a) => [a.action, (a.details as { reason: string }).reason]), [
      ['report.refer', 'Online shopping fraud with a loss'],
      ['report.close', 'Referred to the bureau; nothing more here'],
    ]);
    // A closed report can be opened again, with its own reason beside its button.
    await assertBesideItsButton(page, 'Open again');
    const reopen = page.locator('.reasoned').filter({ has: page.getByRole('button', { name: 'Open again' }) });
    await reopen.getByLabel(/^Reason for your action/).fill('Closed too early: the victim called back');
    await reopen.getByRole('button', { name: 'Open again' }).click();
    await page.getByText('Opened again.', { exact: true }).waitFor();
    assert.equal((await web.sg.db.selectFrom('reports').select('status').where('reference', '=', reference).executeTakeFirstOrThrow()).status, 'triaged');
    assert.deepEqual(await axeProblems(page), []);
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  it('the value page and the cluster page ask each reason beside its button too', async () => {
    const { page, policyErrors } = await openReport('en');
    await page.locator('.indicators').getByRole('link', { name: '+85261234567' }).click();
    await page.getByRole('heading', { name: 'Act on this value' }).waitFor();
    assert.equal(await page.getByLabel('Reason for your action (goes into the audit log)').count(), 2, 'one for the level, one for correlation');
    await assertBesideItsButton(page, 'Set the level');
    await assertBesideItsButton(page, 'Do not correlate');
    assert.deepEqual(await axeProblems(page), []);
    await page.goBack();
    await page.getByRole('link', { name: /^Open cluster \d+$/ }).click();
    await page.getByRole('heading', { name: 'Act on the whole cluster' }).waitFor();
    await assertBesideItsButton(page, 'Refer all open reports');
    await assertBesideItsButton(page, 'Close all open reports');
    assert.deepEqual(await axeProblems(page), []);
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  it('in Chinese: the label control and the reporter’s choices', async () => {
    const words = WORDS['zh-Hant'];
    const { page, policyErrors } = await openReport('zh-Hant');
    await page.getByText(words.labelledAs).waitFor(); // labelled in English above
    await page.getByRole('button', { name: words.labelButton }).waitFor();
    assert.match(await page.getByLabel(words.labelAs).locator('option:checked').innerText(), new RegExp(words.investment));
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-report-zh-Hant.png'), fullPage: true });
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });
});

/** The action's reason box is just left of its button, on the same line (at a desk's width). */
async function assertBesideItsButton(page: Page, button: string): Promise<void> {
  const action = page.locator('.reasoned').filter({ has: page.getByRole('button', { name: button, exact: true }) });
  const [box, pressed] = [await action.getByRole('textbox').last().boundingBox(), await action.getByRole('button', { name: button, exact: true }).boundingBox()];
  assert.ok(box !== null && pressed !== null, button);
  assert.ok(pressed.x > box.x + box.width - 1 && pressed.x - (box.x + box.width) < 40, `${button}: the button is just right of its reason box`);
  assert.ok(Math.abs(pressed.y + pressed.height - (box.y + box.height)) < 8, `${button}: on the same line as its reason box`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
