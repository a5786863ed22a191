import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { buildApp } from '../../src/http/app.js';
import { openTestScamgraph } from '../helpers/database.js';
import { PASSWORD } from '../helpers/http.js';

// The public pages in a real browser (Debian's Chromium through playwright-core) at a phone's viewport, in English
// and Traditional Chinese: the check (a flagged number, an unknown one, a pasted SMS, a look-alike), the report
// wizard (paste an SMS, confirm what was found, submit) and the private status page; axe-core finds no serious
// or critical violation on any of them; the check page's JavaScript stays under 200 KB gzipped.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE_VIEWPORT = { width: 390, height: 844 };
const FLAGGED = '+852 6123 0001';
const UNKNOWN = '+852 9876 5432';
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
/** Where the test leaves its screenshots, to be looked at. */
export const SCREENSHOTS = join(tmpdir(), 'scamgraph-screenshots');

describe('public pages in a browser', () => {
  let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  let dist: string;
  /** The reference of the report the citizen makes in English, for the officer to find. */
  let citizenReport = '';

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    dist = mkdtempSync(join(tmpdir(), 'scamgraph-web-'));
    await build({ configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname, build: { outDir: dist, emptyOutDir: true }, logLevel: 'silent' });
    sg = await openTestScamgraph('pglite');
    const report = { scamType: 'phishing_courier' as const, channel: 'sms' as const, narrative: 'Parcel held, pay the fee', indicators: [{ value: FLAGGED, role: 'sender' as const }] };
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await sg.reports.submit(report, address);
    await sg.verdicts.protect('officer', { value: 'hsbc.com.hk', kind: 'domain' }, 'HSBC Hong Kong');
    await sg.verdicts.catchUp();
    await sg.auth.addUser('duty-officer', PASSWORD, 'officer');
    app = await buildApp(sg, { web: dist });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await sg?.close();
    if (dist !== undefined) rmSync(dist, { recursive: true, force: true });
  });

  async function phone(language: 'en' | 'zh-Hant'): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT, locale: language === 'en' ? 'en-GB' : 'zh-HK' });
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  async function check(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox').fill(text);
    await page.getByRole('button', { name: /^(Check|查證)$/ }).click();
    await page.locator('.verdict, .outcome p').first().waitFor();
  }

  async function axeProblems(page: Page): Promise<string[]> {
    // Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline script) stays on.
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: (opts: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes} nodes)`);
  }

  it('in English: a flagged number is high risk, with why and what to do; an unknown one is no record, not "safe"', async () => {
    const page = await phone('en');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await check(page, FLAGGED);
    const card = page.locator('.verdict').first();
    assert.match(await card.getByRole('heading', { level: 2 }).innerText(), /High risk/);
    assert.match(await card.innerText(), /3 people reported this independently in scams\./);
    assert.match(await card.innerText(), /Do not pay, transfer money/);
    assert.match(await card.innerText(), /Phishing \(courier\)/);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'check-high-risk-en.png'), fullPage: true });
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
    assert.match(await page.locator('.verdict').innerText(), /已有 3 人各自舉報與騙案有關。/);
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

  async function reportByPastingAnSms(page: Page, labels: { type: string; channel: string; next: RegExp; submit: RegExp }): Promise<string> {
    await page.getByRole('combobox').first().selectOption({ label: labels.type });
    await page.getByRole('combobox').nth(1).selectOption({ label: labels.channel });
    await page.getByRole('textbox').last().fill(`Your parcel is held. Pay at hxxps://hk-post-fee[.]top/pay or call ${FLAGGED}`);
    await page.getByRole('button', { name: labels.next }).click();
    // The values found in the pasted message, ticked, for the reporter to confirm.
    const found = page.locator('.found li');
    await found.first().waitFor();
    assert.deepEqual(await found.locator('span').allInnerTexts(), ['hxxps://hk-post-fee[.]top/pay', FLAGGED]);
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
    const link = await reportByPastingAnSms(page, { type: 'Phishing (courier)', channel: 'SMS', next: /^Next$/, submit: /^Send report$/ });
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
    await reportByPastingAnSms(page, { type: '釣魚騙案（速遞）', channel: '短訊', next: /^下一步$/, submit: /^提交舉報$/ });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-receipt-zh-Hant.png'), fullPage: true });
    await page.locator('.private-link a').click();
    await page.getByText('已收到，正等待審閱。').waitFor();
    await page.context().close();
  });

  async function signIn(page: Page, button: RegExp): Promise<void> {
    await page.goto(`${url}/console`);
    await page.getByLabel(/User name|用戶名稱/).fill('duty-officer');
    await page.getByLabel(/Password|密碼/).fill(PASSWORD);
    await page.getByRole('button', { name: button }).click();
  }

  it("an officer signs in, finds the citizen's report in the queue, confirms its link as high risk; the public check follows", async () => {
    assert.notEqual(citizenReport, '', 'the English report test ran first');
    const page = await phone('en');
    await signIn(page, /^Sign in$/);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.getByRole('link', { name: citizenReport }).click();
    const row = page.locator('.indicators li').filter({ hasText: 'https://hk-post-fee.top/pay' });
    await row.locator('.badge', { hasText: 'Suspicious' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await row.getByRole('button', { name: 'Confirm as high risk' }).click();
    await page.getByText('Please give a reason first').waitFor();
    await page.getByLabel(/Reason for your action/).fill('Courier phishing site, confirmed with HK Post');
    await row.getByRole('button', { name: 'Confirm as high risk' }).click();
    await page.getByText('Confirmed as high risk.').waitFor();
    await row.locator('.badge', { hasText: 'High risk' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-report-en.png'), fullPage: true });
    const audit = await sg.db.selectFrom('audit_log').select(['actor', 'action', 'details']).where('action', '=', 'indicator.decide').execute();
    assert.deepEqual(audit.map((a) => a.actor), ['user:duty-officer']);

    const citizen = await phone('en');
    await check(citizen, 'https://hk-post-fee.top/pay');
    assert.match(await citizen.locator('.verdict h2').innerText(), /High risk/);
    assert.match(await citizen.locator('.verdict').innerText(), /confirmed/i);
    await citizen.context().close();
    await page.context().close();
  });

  it('the console in Traditional Chinese: sign-in, a wrong password refused, the queue', async () => {
    const page = await phone('zh-Hant');
    await page.goto(`${url}/console`);
    await page.getByLabel('用戶名稱').fill('duty-officer');
    await page.getByLabel('密碼').fill('not-the-password');
    await page.getByRole('button', { name: '登入' }).click();
    await page.getByText('用戶名稱或密碼錯誤。').waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await signIn(page, /^登入$/);
    await page.getByRole('heading', { name: '分流隊列' }).waitFor();
    assert.match(await page.locator('.queue').innerText(), /優先分數/);
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-queue-zh-Hant.png'), fullPage: true });
    await page.context().close();
  });

  it('any other page loads the app; the API keeps its JSON 404', async () => {
    const page = await phone('en');
    await page.goto(`${url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    const api = await page.request.get(`${url}/api/v1/nope`);
    assert.deepEqual([api.status(), (await api.json()).error.code], [404, 'NOT_FOUND']);
    await page.context().close();
  });

  it('the check page loads under 200 KB of gzipped JavaScript', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]+src="\/([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(scripts.length > 0);
    const bytes = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(dist, s))).length, 0);
    assert.ok(bytes < 200 * 1024, `${bytes} bytes of gzipped JavaScript`);
  });
});
