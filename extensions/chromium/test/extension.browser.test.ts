import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildExtension } from '../../../scripts/build-extension.js';
import { buildApp } from '../../../src/http/app.js';
import type { Scamgraph } from '../../../src/main.js';
import { openTestScamgraph } from '../../../test/helpers/database.js';
import { SCREENSHOTS } from '../../../test/web/browser.js';

// The extension end to end (issue 15): built, loaded into Debian's Chromium (--load-extension, headless),
// set up on its options page against a real Scamgraph server on loopback, then browsing sites that a local
// web server answers for every name under .example (--host-resolver-rules). A high-risk site gets the
// full-page warning, a suspicious one the banner, an unlisted one loads untouched; the Scamgraph server
// sees list updates and 4-byte prefixes, never an address.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

class MemoryLog extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('Chromium extension (extensions/chromium)', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  let serverUrl: string;
  let sites: Server;
  let recorder: Server;
  let sitePort: number;
  let context: BrowserContext;
  let extensionId: string;
  const work = mkdtempSync(join(tmpdir(), 'scamgraph-extension-'));
  const log = new MemoryLog();
  /** Every request the Scamgraph server received: method, address and body. */
  const received: string[] = [];
  const site = (host: string, path = '/') => `http://${host}:${sitePort}${path}`;

  before(async () => {
    sg = await openTestScamgraph('pglite');
    await sg.verdicts.decide('user:test', { value: 'ext-phish.example', kind: 'domain' }, 'high_risk', 'extension test');
    await sg.verdicts.decide('user:test', { value: 'ext-second.example', kind: 'domain' }, 'high_risk', 'extension test');
    await sg.verdicts.decide('user:test', { value: 'ext-dubious.example', kind: 'domain' }, 'suspicious', 'extension test');
    const key = (await sg.partners.addOrganisation('cli', { name: 'Scamgraph for Chromium', type: 'app', scopes: ['lists:read'] }, 'extension test')).key.token;
    app = await buildApp(sg, { logger: { level: 'info', stream: log } });
    const direct = await app.listen({ host: '127.0.0.1', port: 0 });
    // The extension talks to the server through a recorder that keeps every request whole.
    recorder = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push(`${req.method} ${req.url} ${body.toString()}`);
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)) as [string, string][]);
        void fetch(direct + (req.url ?? '/'), { method: req.method, headers, body: body.length > 0 ? body : undefined }).then(async (answer) => {
          res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name))));
          res.end(Buffer.from(await answer.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;
    sites = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>Ordinary page</title><h1>An ordinary page on ${req.headers.host}</h1><p>Nothing to see here.</p></html>`);
    });
    await new Promise<void>((resolve) => sites.listen(0, '127.0.0.1', resolve));
    sitePort = (sites.address() as { port: number }).port;

    const dir = await buildExtension(join(work, 'extension'));
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1000, height: 760 },
      args: ['--no-sandbox', '--disable-gpu', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, '--host-resolver-rules=MAP *.example 127.0.0.1', '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable'],
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    extensionId = new URL(worker.url()).host;
    await setUp(key, 'en');
  });
  after(async () => {
    await context?.close();
    await new Promise((resolve) => sites?.close(resolve));
    await new Promise((resolve) => recorder?.close(resolve));
    await app?.close();
    await sg?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Fills the options page, saves, and waits for the lists to be on the device. */
  async function setUp(key: string, language: 'en' | 'zh-Hant'): Promise<void> {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.fill('#server', serverUrl);
    await page.fill('#key', key);
    await page.selectOption('#language', language);
    await page.click('#save');
    // The status line counts the lists' entries: 2 high-risk sites and 1 suspicious one.
    await page.locator('#status', { hasText: /\b2\D+1\b/ }).waitFor({ timeout: 15_000 });
    await page.close();
  }

  /**
   * Waits until the tab shows an address that matches, then for it to load. (Playwright's waitForURL gives up
   * with ERR_ABORTED when the navigation it watches is the one the extension replaces.)
   */
  async function arrival(page: Page, address: RegExp | string): Promise<void> {
    const matches = () => (typeof address === 'string' ? page.url() === address : address.test(page.url()));
    for (const started = Date.now(); !matches(); await new Promise((resolve) => setTimeout(resolve, 50))) {
      assert.ok(Date.now() - started < 15_000, `the tab is at ${page.url()}, not ${String(address)}`);
    }
    await page.waitForLoadState('load');
  }

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    // A warned navigation is replaced by the warning page, so the original navigation may be aborted.
    await page.goto(url).catch(() => {});
    return page;
  }

  it('shows the full-page warning for a high-risk site, with the reasons, the way back and a report link', async () => {
    const page = await context.newPage();
    await page.goto(site('www.ext-unlisted.example', '/before'));
    const listed = site('login.ext-phish.example', '/account/verify.html?id=7');
    await page.goto(listed).catch(() => {});
    await arrival(page, /^chrome-extension:\/\/[a-z]+\/warning\.html/);
    await page.waitForSelector('h1');
    assert.equal(await page.textContent('h1'), 'Dangerous site ahead');
    assert.match((await page.textContent('.reasons')) ?? '', /confirmed/i);
    assert.equal(await page.getAttribute('#report', 'href'), `${serverUrl}/report?kind=url&value=${encodeURIComponent(listed)}`);
    assert.ok(((await page.textContent('.address code')) ?? '').includes('ext-phish[.]example'));
    await page.screenshot({ path: join(SCREENSHOTS, 'extension-warning-en.png') });
    await page.click('#back');
    await arrival(page, site('www.ext-unlisted.example', '/before'));
    await page.close();
  });

  it('leaves an unlisted site untouched, and puts a banner on a suspicious one', async () => {
    const dubious = await open(site('shop.ext-dubious.example', '/deal'));
    const banner = dubious.locator('#scamgraph-banner [role=alert]');
    await banner.waitFor({ timeout: 10_000 });
    assert.match((await banner.textContent()) ?? '', /Be careful: Scamgraph has reports about this site/);
    assert.equal(await dubious.title(), 'Ordinary page');
    await dubious.screenshot({ path: join(SCREENSHOTS, 'extension-banner-en.png') });
    await dubious.close();

    const plain = await open(site('www.ext-unlisted.example', '/news'));
    // As long as the banner took above, and longer than the page's own load: nothing comes.
    await plain.waitForTimeout(1500);
    assert.equal(plain.url(), site('www.ext-unlisted.example', '/news'));
    assert.equal(await plain.title(), 'Ordinary page');
    assert.equal(await plain.locator('#scamgraph-banner').count(), 0);
    await plain.close();
  });

  it('opens the site anyway when the user insists, for this session', async () => {
    const page = await open(site('ext-second.example', '/pay'));
    await arrival(page, /warning\.html/);
    await page.click('#proceed');
    await arrival(page, site('ext-second.example', '/pay'));
    await page.waitForTimeout(500);
    assert.equal(await page.title(), 'Ordinary page');
    await page.close();
  });

  it('speaks Traditional Chinese when chosen', async () => {
    const key = (await sg.partners.addOrganisation('cli', { name: 'Scamgraph for Chromium zh', type: 'app', scopes: ['lists:read'] }, 'extension test')).key.token;
    await setUp(key, 'zh-Hant');
    const page = await open(site('ext-phish.example', '/login'));
    await arrival(page, /warning\.html/);
    await page.waitForSelector('h1');
    assert.equal(await page.textContent('h1'), '前面是危險網站');
    assert.equal(await page.textContent('#back'), '返回安全頁面');
    assert.match((await page.textContent('.reasons')) ?? '', /[\u4e00-\u9fff]/);
    await page.screenshot({ path: join(SCREENSHOTS, 'extension-warning-zh-Hant.png') });
    await page.close();
  });

  it('sent the server list updates and hash prefixes only, never an address', async () => {
    await app.close(); // the request log writes its summaries on close
    assert.ok(received.length >= 4, `${received.length} requests`);
    for (const request of received) {
      assert.match(request, /^POST \/safebrowsing\/v4\/(threatListUpdates:fetch|fullHashes:find) /, request);
      for (const part of ['ext-phish', 'ext-second', 'ext-dubious', 'ext-unlisted', 'example', '/account', 'verify']) assert.ok(!request.includes(part), `${part} in ${request}`);
      for (const match of request.matchAll(/"hash":"([^"]+)"/g)) assert.equal(Buffer.from(match[1] as string, 'base64').length, 4);
    }
    assert.ok(received.some((r) => r.includes('fullHashes:find')));
    assert.match(log.text, /"route":"\/safebrowsing\/v4\/fullHashes::?find"/, 'the server logged the calls');
    for (const part of ['ext-unlisted', 'login.ext-phish', 'shop.ext-dubious', '/account/verify']) assert.ok(!log.text.includes(part), `${part} in the server log`);
  });
});
