import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { buildApp } from '../../src/http/app.js';
import { openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, bearer } from '../helpers/http.js';
import { axeProblems, SCREENSHOTS } from './browser.js';

// The account page in a real browser: a user sees their sessions (this one marked), ends another, changes
// their password (their other sessions end); an administrator resets another user's password from the Users
// page, and that user, signing in with the one-time password, is asked for a new one (in Chinese). axe-core
// finds no serious or critical violation, and no page breaks the Content-Security-Policy.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const NEW_PASSWORD = 'the officer chose this one';
const CHOSEN_AFTER_RESET = 'chosen after the reset 42';

describe('the account page in a browser', () => {
  let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  let dist: string;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    dist = mkdtempSync(join(tmpdir(), 'scamgraph-web-'));
    await build({ configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname, build: { outDir: dist, emptyOutDir: true }, logLevel: 'silent' });
    sg = await openTestScamgraph('pglite');
    await sg.auth.addUser('desk-officer', PASSWORD, 'officer');
    await sg.auth.addUser('head-admin', PASSWORD, 'admin');
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

  async function desk(language: 'en' | 'zh-Hant'): Promise<{ page: Page; policyErrors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: language === 'en' ? 'en-GB' : 'zh-HK' });
    const page = await context.newPage();
    const policyErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) policyErrors.push(message.text());
    });
    return { page, policyErrors };
  }

  async function signIn(page: Page, user: string, password: string): Promise<void> {
    await page.goto(`${url}/console`);
    await page.getByLabel(/User name|用戶名稱/).fill(user);
    await page.getByLabel(/^(Password|密碼)$/).fill(password);
    await page.getByRole('button', { name: /^(Sign in|登入)$/ }).click();
  }

  /** A session of the user opened elsewhere (another browser), through the API. */
  async function elsewhere(user: string, password: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'user-agent': 'Firefox on the duty laptop' }, payload: { username: user, password } });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { token: string }).token;
  }
  const works = async (token: string): Promise<boolean> => (await app.inject({ method: 'GET', url: '/api/v1/officer/account/sessions', headers: bearer(token) })).statusCode === 200;


  it('an officer sees their sessions, ends another one, and changes their password (their other sessions end)', async () => {
    const laptop = await elsewhere('desk-officer', PASSWORD);
    const { page, policyErrors } = await desk('en');
    await signIn(page, 'desk-officer', PASSWORD);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { name: 'Your account (desk-officer)' }).waitFor();
    const rows = page.locator('table.grid tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(await page.locator('tr[aria-current="true"]').count(), 1, 'this session is marked');
    assert.match(await page.locator('tr[aria-current="true"]').innerText(), /\(this session\)/);
    await page.getByRole('cell', { name: 'Firefox on the duty laptop' }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-account-en.png'), fullPage: true });

    // End the laptop's session from here.
    await page.getByRole('button', { name: /^End session \d+$/ }).click();
    await page.getByText('Session ended.').waitFor();
    await page.getByRole('cell', { name: 'Firefox on the duty laptop' }).waitFor({ state: 'detached' });
    assert.equal(await works(laptop), false);

    // A password change needs the current password, and ends the other sessions.
    const phone = await elsewhere('desk-officer', PASSWORD);
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password (12 characters or more)').fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password is wrong.').waitFor();
    assert.equal(await works(phone), true);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed; 1 other session ended.').waitFor();
    assert.equal(await works(phone), false);
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, 'only this session is left');
    assert.deepEqual(await axeProblems(page), []);

    // Signing out from the list ends this session: back to the sign-in.
    await page.getByRole('button', { name: 'Sign out here' }).click();
    await page.getByRole('heading', { name: /sign in/ }).waitFor();
    assert.deepEqual(policyErrors, []);
    await page.context().close();
  });

  it('an admin resets the password from the Users page; the user signs in with it and must choose a new one (in Chinese)', async () => {
    const officer = await desk('en');
    await signIn(officer.page, 'desk-officer', NEW_PASSWORD);
    await officer.page.getByRole('heading', { name: 'Triage queue' }).waitFor();

    const { page, policyErrors } = await desk('en');
    await signIn(page, 'head-admin', PASSWORD);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Reset the password of desk-officer' }).click();
    await page.getByText('Please give a reason first').waitFor();
    await page.getByLabel(/Reason for your action/).fill('Forgot it after leave');
    await page.getByRole('button', { name: 'Reset the password of desk-officer' }).click();
    const shown = page.getByText(/^One-time password for desk-officer: /);
    await shown.waitFor();
    const oneTime = /: (\S+) \(shown only now\)/.exec(await shown.innerText())?.[1] as string;
    assert.ok(oneTime.length >= 20, oneTime);
    assert.equal(await page.getByRole('button', { name: 'Reset the password of head-admin' }).count(), 0, 'not for oneself');
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-users-reset-en.png'), fullPage: true });
    assert.deepEqual(policyErrors, []);
    await page.context().close();

    // The officer's session ended with the reset.
    await officer.page.getByRole('link', { name: 'Dashboard' }).click();
    await officer.page.getByRole('heading', { name: /sign in/ }).waitFor();
    await officer.page.context().close();

    const zh = await desk('zh-Hant');
    await signIn(zh.page, 'desk-officer', oneTime);
    await zh.page.getByText('管理員已重設此密碼：請設定新密碼以登入。').waitFor();
    await zh.page.getByLabel('新密碼（最少 12 個字元）').fill(CHOSEN_AFTER_RESET);
    await zh.page.getByLabel('再次輸入新密碼').fill('a different one typed 43');
    await zh.page.getByRole('button', { name: '設定密碼並登入' }).click();
    await zh.page.getByText('兩次輸入的新密碼不相同。').waitFor();
    await zh.page.getByLabel('再次輸入新密碼').fill(CHOSEN_AFTER_RESET);
    assert.deepEqual(await axeProblems(zh.page), []);
    await zh.page.screenshot({ path: join(SCREENSHOTS, 'console-new-password-zh-Hant.png'), fullPage: true });
    await zh.page.getByRole('button', { name: '設定密碼並登入' }).click();
    await zh.page.getByRole('heading', { name: '分流隊列' }).waitFor();
    await zh.page.getByRole('link', { name: '我的帳戶' }).click();
    await zh.page.getByRole('heading', { name: '你的帳戶（desk-officer）' }).waitFor();
    await zh.page.locator('tr[aria-current="true"]').waitFor();
    assert.deepEqual(await axeProblems(zh.page), []);
    assert.deepEqual(zh.policyErrors, []);
    await zh.page.context().close();

    // The one-time password is spent; the chosen one works.
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'desk-officer', password: oneTime } })).statusCode, 401);
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'desk-officer', password: CHOSEN_AFTER_RESET } })).statusCode, 200);
  });
});
