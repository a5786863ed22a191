import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { PRINCIPAL_CACHE_MS } from '../../src/http/principal.js';
import { PASSWORD } from '../helpers/http.js';
import { axeProblems, DESK_VIEWPORT, SCREENSHOTS, startWeb, type Scamgraph, type WebUnderTest } from './browser.js';
import { readableAuditRows } from '../../src/modules/audit/audit.repository.js';

// The public pages in a real browser (Debian's Chromium through playwright-core) at a phone's viewport, in English
// and Traditional Chinese: the check (a flagged number, an unknown one, a pasted SMS, a look-alike), the report
// wizard (paste an SMS, confirm what was found, submit) and the private status page; axe-core finds no serious
// or critical violation on any of them; the check page's JavaScript stays under 200 KB gzipped.

const FLAGGED = '+852 6123 0001';
const UNKNOWN = '+852 9876 5432';

describe('public pages in a browser', () => {
  let web: WebUnderTest;
  let sg: Scamgraph;
  let url: string;
  /** The reference of the report the citizen makes in English, for the officer to find. */
  let citizenReport = '';
  let citizenReportZh = '';
  /** The reference of the seeded report that left contact details. */
  let shopper = '';

  before(async () => {
    web = await startWeb(seed);
    sg = web.sg;
    url = web.url;
  });
  after(async () => web?.close());

  async function seed(sg: Scamgraph): Promise<void> {
    const report = { scamType: 'phishing_courier' as const, channel: 'sms' as const, narrative: 'Parcel held, pay the fee', indicators: [{ value: FLAGGED, role: 'sender' as const }] };
    for (const address of ['10.10.1.1', '10.10.2.1', '10.10.3.1']) await sg.reports.submit(report, address);
    // Enough courier reports for the type to be published on the tips page (10 people or more in a window),
    // from 12 people, 2 days ago (the trends count whole days before today).
    const earlier: string[] = [];
    for (let i = 0; i < 12; i += 1) earlier.push((await sg.reports.submit({ ...report, narrative: `Parcel fee SMS ${i}`, indicators: [{ value: `+852 6123 ${String(1000 + i)}`, role: 'sender' as const }] }, `10.0.1.${i}`)).reference);
    await sg.db.updateTable('reports').set({ received_at: new Date(Date.now() - 2 * 86_400_000) }).where('reference', 'in', earlier).execute();
    const shop = { scamType: 'online_shopping' as const, channel: 'website' as const, indicators: [{ value: 'https://cheap-phones.example/shop', role: 'website' as const }] };
    shopper = (await sg.reports.submit({ ...shop, narrative: 'Paid for a phone that never came', contact: { email: 'shopper@example.com', consent: true } }, '10.0.2.1')).reference;
    await sg.reports.submit({ ...shop, narrative: 'Same shop, no phone either' }, '10.0.2.2');
    await sg.verdicts.protect('officer', { value: 'hsbc.com.hk', kind: 'domain' }, 'HSBC Hong Kong');
    await sg.verdicts.catchUp();
    await sg.auth.addUser('duty-officer', PASSWORD, 'officer');
    await sg.auth.addUser('head-admin', PASSWORD, 'admin');
    await sg.auth.addUser('an-analyst', PASSWORD, 'analyst');
  }

  /** The policy errors of the phones' pages a test opened: none may break its Content-Security-Policy. */
  const phonePolicyErrors: string[][] = [];
  afterEach(() => {
    const errors = phonePolicyErrors.splice(0).flat();
    assert.deepEqual(errors, []);
  });

  /** A phone's page on the check page. */
  async function phone(language: 'en' | 'zh-Hant'): Promise<Page> {
    const { page, policyErrors } = await web.open(language);
    phonePolicyErrors.push(policyErrors);
    await page.goto(url);
    return page;
  }

  async function check(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox').fill(text);
    await page.getByRole('button', { name: /^(Check|查證)$/ }).click();
    await page.locator('.verdict, .outcome p').first().waitFor();
  }

  it('in English: a flagged number is high risk, with why and what to do; an unknown one is no record, not "safe"', async () => {
    const page = await phone('en');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await check(page, FLAGGED);
    const card = page.locator('.verdict').first();
    assert.match(await card.getByRole('heading', { level: 2 }).innerText(), /High risk/);
    assert.match(await card.innerText(), /2 or more people reported this independently in scams\./);
    assert.match(await card.innerText(), /Do not pay, transfer money/);
    assert.match(await card.innerText(), /Phishing \(courier\)/);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'check-high-risk-en.png'), fullPage: true });
    // The verdict leads to how to spot this kind of scam.
    await card.getByRole('link', { name: 'Phishing (courier)' }).click();
    await page.getByRole('heading', { name: 'Scam prevention tips' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#phishing_courier');
    assert.equal(await page.locator('details#phishing_courier').getAttribute('open'), '');
    await page.goBack();
    await check(page, UNKNOWN);
    await page.getByRole('heading', { name: /No record/ }).waitFor();
    assert.match(await page.locator('.verdict').innerText(), /That is not a statement that it is safe\./);
    await page.context().close();
  });

  it('in Traditional Chinese: the same verdicts in Chinese, chosen with the language switch', async () => {
    const page = await phone('en');
    await page.getByRole('button', { name: '繁體中文' }).click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hant');
    await check(page, FLAGGED);
    assert.match(await page.locator('.verdict h2').innerText(), /高風險/);
    assert.match(await page.locator('.verdict').innerText(), /已有最少 2 人各自舉報與騙案有關。/);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'check-high-risk-zh-Hant.png'), fullPage: true });
    await check(page, UNKNOWN);
    await page.getByRole('heading', { name: /未有紀錄/ }).waitFor();
    await page.reload();
    assert.equal(await page.getByRole('button', { name: '繁體中文' }).getAttribute('aria-pressed'), 'true', 'the choice is remembered');
    await page.context().close();
  });

  it('a pasted SMS is searched and what it holds checked; a look-alike of a protected site is named', async () => {
    const page = await phone('en');
    await check(page, `Your parcel is held. Pay the fee at hxxps://hsbc-secure-login[.]com/pay or call ${FLAGGED}`);
    await page.getByText('We found 2 things to check in your message.').waitFor();
    assert.equal(await page.locator('.verdict').count(), 2);
    assert.match(await page.locator('.verdict').filter({ hasText: 'hsbc-secure-login[.]com' }).innerText(), /This looks like hsbc\.com\.hk/);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'check-message-en.png'), fullPage: true });
    await page.context().close();
  });

  async function reportByPastingAnSms(page: Page, labels: { type: string; channel: string; next: RegExp; submit: RegExp; path: string }): Promise<string> {
    await page.getByRole('combobox').first().selectOption({ label: labels.type });
    await page.getByRole('combobox').nth(1).selectOption({ label: labels.channel });
    await page.getByRole('textbox').last().fill(`Your parcel is held. Pay at hxxps://hk-post-fee[.]top/${labels.path} or call ${FLAGGED}`);
    await page.getByRole('button', { name: labels.next }).click();
    // The values found in the pasted message, ticked, for the reporter to confirm.
    const found = page.locator('.found li');
    await found.first().waitFor();
    assert.deepEqual(await found.locator('span[dir]').allInnerTexts(), [`hxxps://hk-post-fee[.]top/${labels.path}`, FLAGGED]);
    assert.deepEqual(await found.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as unknown as { checked: boolean }).checked)), [true, true]);
    assert.deepEqual(await axeProblems(page), []);
    await page.getByRole('button', { name: labels.next }).click();
    await page.getByRole('checkbox').check();
    await page.getByRole('textbox').fill('1200');
    await page.getByRole('button', { name: labels.next }).click();
    await page.getByRole('button', { name: labels.next }).click(); // no contact details
    assert.deepEqual(await axeProblems(page), []);
    await page.getByRole('button', { name: labels.submit }).click();
    const link = page.locator('.private-link a');
    await link.waitFor();
    assert.deepEqual(await axeProblems(page), []);
    return link.innerText();
  }

  it('a citizen reports by pasting an SMS, confirms what was found, and follows the private status link', async () => {
    const page = await phone('en');
    await page.getByRole('link', { name: 'Report a scam' }).click();
    assert.deepEqual(await axeProblems(page), []);
    const link = await reportByPastingAnSms(page, { type: 'Phishing (courier)', channel: 'SMS', next: /^Next$/, submit: /^Send report$/, path: 'pay' });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-receipt-en.png'), fullPage: true });
    const [, reference, token] = /\/status\/(SG-[0-9A-Z-]+)#([A-Za-z0-9_-]+)$/.exec(link) ?? [];
    assert.ok(reference !== undefined && token !== undefined, link);
    citizenReport = reference;
    const stored = await sg.db.selectFrom('reports as r').innerJoin('report_indicators as i', 'i.report_id', 'r.id').select(['r.scam_type', 'r.channel', 'r.loss_amount', 'r.loss_currency', 'i.key', 'i.role', 'i.extracted']).where('r.reference', '=', reference!).orderBy('i.key').execute();
    assert.deepEqual(stored.map((r) => [r.scam_type, r.channel, r.loss_amount, r.loss_currency, r.key, r.role, r.extracted]), [
      ['phishing_courier', 'sms', '1200.00', 'HKD', 'phone:+85261230001', 'caller', false],
      ['phishing_courier', 'sms', '1200.00', 'HKD', 'url:https://hk-post-fee.top/pay', 'link', false],
    ]);
    await page.locator('.private-link a').click();
    await page.getByText('Received. It is waiting to be reviewed.').waitFor();
    assert.deepEqual(await axeProblems(page), []);
    // The token never reaches the server in a URL: it stays in the fragment and goes in a header.
    assert.equal(new URL(page.url()).hash, `#${token}`);
    await page.goto(`${url}/status/${reference}#not-the-token`);
    await page.getByText(/We could not find a report/).waitFor();
    await page.context().close();
  });

  it('the same report in Traditional Chinese, and its status page in Chinese', async () => {
    const page = await phone('zh-Hant');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hant', 'a Chinese browser gets Chinese');
    await page.getByRole('link', { name: '舉報騙案' }).click();
    const link = await reportByPastingAnSms(page, { type: '釣魚騙案（速遞）', channel: '短訊', next: /^下一步$/, submit: /^提交舉報$/, path: 'zh-pay' });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-receipt-zh-Hant.png'), fullPage: true });
    citizenReportZh = /\/status\/(SG-[0-9A-Z-]+)#/.exec(link)?.[1] ?? '';
    await page.locator('.private-link a').click();
    await page.getByText('已收到，正等待審閱。').waitFor();
    await page.context().close();
  });

  /** Officers work at a desk: the console is tested at a laptop's viewport, and no page may break its policy. */
  async function desk(language: 'en' | 'zh-Hant'): Promise<{ page: Page; policyErrors: string[] }> {
    return web.open(language, DESK_VIEWPORT);
  }

  async function signIn(page: Page, user: string, button: RegExp): Promise<void> {
    await page.goto(`${url}/console`);
    await page.getByLabel(/User name|用戶名稱/).fill(user);
    await page.getByLabel(/Password|密碼/).fill(PASSWORD);
    await page.getByRole('button', { name: button }).click();
  }

  const OFFICER_FLOW = {
    en: { signIn: /^Sign in$/, queue: 'Triage queue', openCluster: /^Open cluster \d+$/, cluster: /^Cluster \d+$/, graph: /^Graph of 5 reports/, suspicious: 'Suspicious', highRisk: 'High risk', setLevel: 'Set the level', needReason: 'Please give a reason first', reason: /^Reason for your action/, levelSet: 'Level set.', history: /level set \(High risk\): Courier phishing site/ },
    'zh-Hant': { signIn: /^登入$/, queue: '分流隊列', openCluster: /^開啟群組 \d+$/, cluster: /^群組 \d+$/, graph: /^5 宗舉報及其共用的/, suspicious: '可疑', highRisk: '高風險', setLevel: '設定級別', needReason: '請先填寫理由', reason: /^行動理由/, levelSet: '已設定級別', history: /設定級別 \(高風險\): Courier phishing site/ },
  } as const;

  /**
   * The officer's flow of the issue: sign in, find the citizen's report in the queue, open its cluster (its
   * summary, graph and reports), open the citizen's link from the values holding the cluster together, confirm
   * it as high risk with a reason; then the public check of that link shows high risk.
   */
  async function officerConfirmsTheCitizensLink(language: 'en' | 'zh-Hant', reference: string, path: string): Promise<void> {
    const words = OFFICER_FLOW[language];
    const { page, policyErrors } = await desk(language);
    await signIn(page, 'duty-officer', words.signIn);
    await page.getByRole('heading', { name: words.queue }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: reference }).waitFor();
    assert.deepEqual(await axeProblems(page), []);

    await page.getByRole('link', { name: words.openCluster }).click();
    await page.getByRole('heading', { name: words.cluster }).waitFor();
    const graph = page.getByRole('img', { name: words.graph });
    await graph.locator('canvas').first().waitFor();
    assert.ok((await graph.locator('canvas').count()) > 0, 'the graph is drawn');
    await page.locator('.queue').getByRole('link', { name: reference }).waitFor();
    await page.locator('.chart canvas').first().waitFor(); // the timeline
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, `console-cluster-${language}.png`), fullPage: true });

    const link = `https://hk-post-fee.top/${path}`;
    await page.locator('.indicators').getByRole('link', { name: link }).click();
    const card = page.locator('.verdict');
    await card.getByRole('heading', { name: words.suspicious }).waitFor();
    await page.getByRole('button', { name: words.setLevel }).click();
    await page.getByText(words.needReason).waitFor();
    // The reason box beside the button it goes with (do-not-correlate has its own).
    await page.locator('.reasoned').filter({ has: page.getByRole('button', { name: words.setLevel }) }).getByLabel(words.reason).fill('Courier phishing site, confirmed with HK Post');
    await page.getByRole('button', { name: words.setLevel }).click();
    await page.getByText(words.levelSet).waitFor();
    await card.getByRole('heading', { name: words.highRisk }).waitFor();
    assert.match(await page.locator('.history').innerText(), words.history);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, `console-indicator-${language}.png`), fullPage: true });
    const audit = await sg.db.selectFrom('audit_log').select(['actor', 'subject']).where('action', '=', 'indicator.decide').where('subject', '=', `urle:hk-post-fee.top/${path}`).execute();
    assert.deepEqual(audit.map((a) => a.actor), ['user:duty-officer']);
    assert.deepEqual(policyErrors, []);
    await page.context().close();

    const citizen = await phone(language);
    await check(citizen, link);
    assert.match(await citizen.locator('.verdict h2').innerText(), new RegExp(words.highRisk));
    await citizen.context().close();
  }

  it("an officer finds the citizen's report, opens its cluster, confirms its link as high risk; the public check follows", async () => {
    assert.notEqual(citizenReport, '', 'the English report test ran first');
    await officerConfirmsTheCitizensLink('en', citizenReport, 'pay');
  });

  it('the same in Traditional Chinese, after a wrong password is refused', async () => {
    assert.notEqual(citizenReportZh, '', 'the Chinese report test ran first');
    const { page } = await desk('zh-Hant');
    await page.goto(`${url}/console`);
    await page.getByLabel('用戶名稱').fill('duty-officer');
    await page.getByLabel('密碼').fill('not-the-password');
    await page.getByRole('button', { name: '登入' }).click();
    await page.getByText('用戶名稱或密碼錯誤。').waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.context().close();
    await officerConfirmsTheCitizensLink('zh-Hant', citizenReportZh, 'zh-pay');
  });

  it('the queue filters by type and acts on ticked reports together; a report shows its contact only when revealed with a reason', async () => {
    const { page, policyErrors } = await desk('en');
    await signIn(page, 'duty-officer', /^Sign in$/);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    await page.getByLabel('Scam type').selectOption({ label: 'Online shopping' });
    await page.getByText('2 reports match.').waitFor();
    await page.getByLabel('Tick all 2 shown').check();
    await page.getByText('2 reports ticked').waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.getByRole('button', { name: 'Apply to the ticked reports' }).click();
    await page.getByText('Done: 2 reports changed.').waitFor();
    // Focus moves to the result (not to the top of the page); the queue reloads with both triaged.
    await page.locator(':focus', { hasText: 'Done: 2 reports changed.' }).waitFor();
    await page.locator('.queue li', { hasText: 'Triaged' }).nth(1).waitFor();
    assert.equal(await page.locator('.queue li', { hasText: 'New ·' }).count(), 0);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-queue-en.png'), fullPage: true });

    await page.locator('.queue li').filter({ hasText: shopper }).getByRole('link', { name: shopper }).click();
    await page.getByText('Hidden. Revealing them is recorded').waitFor();
    assert.equal(await page.getByText('shopper@example.com').count(), 0, 'hidden until revealed');
    await page.getByRole('button', { name: 'Reveal contact details' }).click();
    await page.getByText('Please give a reason first').waitFor();
    await page.getByLabel('Why you need them (goes into the audit log)').fill('Calling the victim back about the refund');
    await page.getByRole('button', { name: 'Reveal contact details' }).click();
    await page.getByText('shopper@example.com').waitFor();
    const reveal = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['actor', 'subject', 'details']).where('action', '=', 'contact.read').execute());
    assert.deepEqual(reveal.map((r) => [r.actor, (r.details as { reason: string }).reason]), [['user:duty-officer', 'Calling the victim back about the refund']]);
    assert.deepEqual(await axeProblems(page), []);
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  it('the dashboard charts reports, losses, checks, payee-check outcomes and what telcos did, and lists the growing clusters; in Chinese too', async () => {
    for (const language of ['en', 'zh-Hant'] as const) {
      const { page, policyErrors } = await desk(language);
      await signIn(page, 'duty-officer', language === 'en' ? /^Sign in$/ : /^登入$/);
      await page.getByRole('link', { name: language === 'en' ? 'Dashboard' : '概覽' }).click();
      await page.locator('.chart canvas').first().waitFor();
      // Reports, losses, public checks, and what banks did after payee checks (an empty axis when none reported).
      await page.getByRole('heading', { name: language === 'en' ? 'Payee checks by banks' : '銀行的收款人核查' }).waitFor();
      await page.getByRole('heading', { name: language === 'en' ? 'Telcos and platforms' : '電訊商及平台' }).waitFor();
      assert.equal(await page.locator('.chart').count(), 5);
      assert.equal(await page.locator('.chart canvas').count() >= 5, true);
      assert.ok((await page.locator('table.grid tbody tr').count()) >= 1, 'the growing clusters are listed');
      assert.deepEqual(await axeProblems(page), []);
      await page.screenshot({ path: join(SCREENSHOTS, `console-dashboard-${language}.png`), fullPage: true });
      assert.deepEqual(policyErrors, []);
      await page.context().close();
    }
  });

  it('an admin sees the audit chain verify, and adds a user; an officer sees neither page', async () => {
    const { page, policyErrors } = await desk('en');
    await signIn(page, 'head-admin', /^Sign in$/);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText(/^The audit chain verifies: \d+ rows/).waitFor();
    await page.locator('table.audit tbody tr').first().waitFor(); // the rows load apart from the verification
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-audit-en.png'), fullPage: true });
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('User name').fill('new-analyst');
    await page.getByLabel(/Initial password/).fill('a long enough password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('new-analyst added.').waitFor();
    await page.getByRole('cell', { name: 'new-analyst', exact: true }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    // A role chosen in the list changes nothing until its button is pressed, with a reason.
    await page.getByLabel('Role of new-analyst').selectOption({ label: 'officer' });
    assert.equal((await sg.db.selectFrom('users').select('role').where('username', '=', 'new-analyst').executeTakeFirstOrThrow()).role, 'analyst');
    await page.getByLabel(/Reason for your action/).fill('Joined the triage team');
    await page.getByRole('button', { name: 'Change the role of new-analyst' }).click();
    await page.getByText('new-analyst changed; their sessions ended.').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-users-en.png'), fullPage: true });
    assert.equal((await sg.db.selectFrom('users').select('role').where('username', '=', 'new-analyst').executeTakeFirstOrThrow()).role, 'officer');
    await page.goto(`${url}/console/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    assert.deepEqual(policyErrors, []);
    await page.context().close();

    const officer = await desk('en');
    await signIn(officer.page, 'duty-officer', /^Sign in$/);
    await officer.page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    assert.equal(await officer.page.getByRole('link', { name: 'Audit log' }).count(), 0);
    await officer.page.context().close();
  });

  it('an analyst reads clusters but is offered no action; signing out, or a session revoked on the server, returns to sign-in', async () => {
    const { page, policyErrors } = await desk('en');
    await signIn(page, 'an-analyst', /^Sign in$/);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    await page.locator('.queue li').first().waitFor();
    assert.equal(await page.getByRole('checkbox').count(), 0, 'nothing to tick');
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('heading', { name: 'Clusters' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.locator('table.grid tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { name: /^Cluster \d+$/ }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Act on the whole cluster' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /Triage all/ }).count(), 0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: /sign in/ }).waitFor();
    const live = async () => (await sg.db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id').select('s.user_id').where('u.username', '=', 'an-analyst').execute()).length;
    assert.equal(await live(), 0, 'signing out ends the session on the server');

    await signIn(page, 'an-analyst', /^Sign in$/);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    // Revoked behind this server's back (as on another node, or expired): the principal cache may serve it for
    // at most PRINCIPAL_CACHE_MS, the documented bound, so the next page is asked for after it.
    await sg.db.deleteFrom('sessions').execute();
    await new Promise((resolve) => setTimeout(resolve, PRINCIPAL_CACHE_MS + 100));
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: /sign in/ }).waitFor();
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  it('the tips page leads with the types reported most this week (small counts never shown), in both languages', async () => {
    for (const language of ['en', 'zh-Hant'] as const) {
      const page = await phone(language);
      await page.getByRole('link', { name: language === 'en' ? 'Tips' : '防騙貼士' }).click();
      const trends = page.locator('.trends li');
      await trends.first().waitFor();
      // Phishing (courier): 12 people two days ago, published as 10 or more; online shopping (2, today) is not.
      assert.deepEqual(await trends.locator('.trend-name').allInnerTexts(), [language === 'en' ? 'Phishing (courier)' : '釣魚騙案（速遞）']);
      assert.match(await trends.first().innerText(), language === 'en' ? /10 or more people reported it/ : /最少 10 人舉報/);
      assert.equal(await page.locator('details.tip[open] summary').first().innerText(), language === 'en' ? 'Phishing (courier)' : '釣魚騙案（速遞）');
      assert.deepEqual(await axeProblems(page), []);
      await page.screenshot({ path: join(SCREENSHOTS, `tips-${language}.png`), fullPage: true });
      await page.goto(`${url}/tips#rental`);
      await page.locator('details#rental[open]').waitFor();
      assert.equal(await page.locator('details#loan').getAttribute('open'), null, 'only the type asked for, and the trending ones, are open');
      await page.context().close();
    }
  });

  it('any other page loads the app; the API keeps its JSON 404', async () => {
    const page = await phone('en');
    await page.goto(`${url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    const api = await page.request.get(`${url}/api/v1/nope`);
    assert.deepEqual([api.status(), (await api.json()).error.code], [404, 'NOT_FOUND']);
    await page.context().close();
  });

  it('the check page loads under 200 KB of gzipped JavaScript', () => {
    const html = readFileSync(join(web.dist, 'index.html'), 'utf8');
    // The entry script and every module it preloads (shared chunks); the console's chunks load only at /console.
    const scripts = [...html.matchAll(/<script[^>]+src="\/([^"]+)"|<link rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => (m[1] ?? m[2]) as string);
    assert.ok(scripts.length > 0);
    const bytes = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(web.dist, s))).length, 0);
    assert.ok(bytes < 200 * 1024, `${bytes} bytes of gzipped JavaScript`);
  });
});
