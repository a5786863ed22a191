import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { openTestScamgraph } from '../helpers/database.js';
import { PHONE_VIEWPORT, SCREENSHOTS, axeProblems } from './browser.js';

// The RPZ warning page as a person on an ISP's resolver meets it: Chromium resolves the listed site's name to
// Scamgraph (as the resolver's CNAME does), opens http://the-site/ and shows the page, its style allowed by the
// page's own policy, with no accessibility problem axe-core calls serious.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SITE = 'secure-hsbc-verify.example';

describe('RPZ warning page in a browser', () => {
  let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
  let app: FastifyInstance;
  let browser: Browser;
  let port = 0;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    sg = await openTestScamgraph('pglite', { loadIndex: true }, { rpz: loadConfig({ SCAMGRAPH_RPZ_ACTION: 'cname:warn.scamgraph.test' }).rpz });
    await sg.verdicts.decide('user:test', { value: SITE, kind: 'domain' }, 'high_risk', 'warning page test');
    await sg.verdicts.catchUp();
    app = await buildApp(sg);
    port = Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...flags, `--host-resolver-rules=MAP *.example 127.0.0.1, MAP ${SITE} 127.0.0.1`] });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await sg?.close();
  });

  for (const [language, locale] of [['en', 'en-GB'], ['zh-Hant', 'zh-HK']] as const) {
    it(`shows the site's name and the reasons, styled, to a ${language} reader`, async () => {
      const context = await browser.newContext({ viewport: PHONE_VIEWPORT, locale });
      const page = await context.newPage();
      const problems: string[] = [];
      // Anything the console says but the 403 itself (the status the page is answered with, on purpose).
      page.on('console', (message) => message.type() !== 'debug' && !/status of 403/.test(message.text()) && problems.push(message.text()));
      const response = await page.goto(`http://www.${SITE}:${port}/account/login`);
      assert.equal(response?.status(), 403);
      assert.equal(await page.locator('.site').first().textContent(), `www.${SITE}`);
      assert.match((await page.locator('h1').first().textContent()) ?? '', /This site was blocked/);
      assert.match((await page.locator('section[lang="zh-Hant"] h1').textContent()) ?? '', /此網站已被封鎖/);
      // The stylesheet applied: the policy's hash matches it.
      assert.equal(await page.evaluate('getComputedStyle(document.querySelector("h1")).color'), 'rgb(179, 38, 30)');
      assert.deepEqual(problems, []);
      assert.deepEqual(await axeProblems(page), []);
      if (language === 'en') await page.screenshot({ path: join(SCREENSHOTS, 'rpz-warning-page.png'), fullPage: true });
      await context.close();
    });
  }
});
