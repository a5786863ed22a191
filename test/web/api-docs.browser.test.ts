import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { openTestScamgraph } from '../helpers/database.js';
import { openApiDocument, operations, type OpenApiDocument } from '../helpers/openapi.js';

// The interactive API docs (/api/docs, Swagger UI) in a real browser: every operation expands with its
// parameters, its request body and a "Try it out" button, a public call runs from the page, and nothing
// logs an error to the console: Content-Security-Policy violations included.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('API docs in a browser', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  let doc: OpenApiDocument;
  let page: Page;
  /** Console errors, page errors and CSP violations, in the order they happened. */
  const problems: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    sg = await openTestScamgraph('pglite', { loadIndex: true });
    app = await buildApp(sg);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    doc = await openApiDocument(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await docsPage();
  });

  /** A tab on the docs, every console error, page error and failed request of it recorded in `problems`. */
  async function docsPage(): Promise<Page> {
    const tab = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    // Reported by the page itself as well: a violation Chromium reports only as an event is caught too.
    await tab.addInitScript(
      // Runs in the page (a browser context), given as source so the server's type check needs no DOM types.
      'document.addEventListener("securitypolicyviolation", (event) => console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI));',
    );
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    tab.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
    await tab.goto(`${url}/api/docs`);
    await tab.locator('.opblock').first().waitFor();
    return tab;
  }
  after(async () => {
    await browser?.close();
    await app?.close();
    await sg?.close();
  });

  /** Swagger UI's block of one operation: by its method's class and its path. */
  const operationBlock = (method: string, path: string, on: Page = page) =>
    on.locator(`.opblock.opblock-${method.toLowerCase()}`).filter({ has: on.locator(`.opblock-summary-path[data-path="${path}"]`) }).first();

  it('lists every operation of the document', async () => {
    assert.equal(await page.locator('.opblock').count(), operations(doc).length);
  });

  /**
   * How many elements match, once the first has rendered (or after 5 s if none does): Swagger UI renders a block's
   * parts after it opens, so a count taken at once races the page on a loaded machine.
   */
  const rendered = async (locator: Locator): Promise<number> => {
    await locator.first().waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined);
    return locator.count();
  };

  it('expands every operation with its parameters, body and "Try it out"', async () => {
    const missing: string[] = [];
    // Expanding an operation is Swagger UI's rendering, about a second each on a loaded machine: the
    // operations are shared between two tabs, which render on both cores.
    const all = operations(doc);
    const second = await docsPage();
    const halves: [Page, typeof all][] = [[page, all.filter((_, i) => i % 2 === 0)], [second, all.filter((_, i) => i % 2 === 1)]];
    await Promise.all(halves.map(([tab, ops]) => expandEach(tab, ops, missing)));
    await second.close();
    assert.deepEqual(missing.sort(), []);
  });

  async function expandEach(tab: Page, ops: ReturnType<typeof operations>, missing: string[]): Promise<void> {
    for (const [method, path, op] of ops) {
      const block = operationBlock(method, path, tab);
      await block.locator('.opblock-summary').first().click();
      const body = block.locator('.opblock-body');
      await body.waitFor();
      for (const parameter of op.parameters ?? []) {
        if ((await rendered(body.locator(`tr[data-param-name="${parameter.name}"][data-param-in="${parameter.in}"]`))) !== 1) missing.push(`${method} ${path}: parameter ${parameter.in} ${parameter.name}`);
      }
      if (op.requestBody !== undefined && (await rendered(body.locator('.opblock-section-request-body'))) === 0) missing.push(`${method} ${path}: request body`);
      if ((await rendered(body.locator('button.try-out__btn'))) !== 1) missing.push(`${method} ${path}: Try it out`);
      const responses = body.locator('.responses-table .response');
      await responses.nth(Object.keys(op.responses).length - 1).waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined);
      if ((await responses.count()) < Object.keys(op.responses).length) missing.push(`${method} ${path}: responses`);
      if (op.security !== undefined && (await rendered(block.locator('.authorization__btn'))) === 0) missing.push(`${method} ${path}: lock (security)`);
      await block.locator('.opblock-summary').first().click(); // collapse again, to keep the page small
    }
  }

  it('runs a public operation from the page with "Try it out"', async () => {
    const block = operationBlock('GET', '/api/v1/taxonomy');
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    await block.locator('button.execute').click();
    const status = block.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    assert.equal((await status.textContent())?.trim(), '200');
  });

  it('logged no console error or warning, CSP violation or failed request', () => {
    assert.deepEqual(problems, []);
  });
});
