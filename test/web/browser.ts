import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { buildApp } from '../../src/http/app.js';
import { openTestScamgraph } from '../helpers/database.js';

// What the browser suites share: the web app built into a temporary directory, served with the API by a
// real server on a free port over a fresh embedded database, Debian's Chromium, axe-core, and pages that
// collect any Content-Security-Policy error.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
export const PHONE_VIEWPORT = { width: 390, height: 844 };
export const DESK_VIEWPORT = { width: 1280, height: 900 };
/** Where the suites leave their screenshots, to be looked at (and copied to docs/screenshots). */
export const SCREENSHOTS = join(tmpdir(), 'scamgraph-screenshots');

export type Scamgraph = Awaited<ReturnType<typeof openTestScamgraph>>;
export type Language = 'en' | 'zh-Hant';

export interface WebUnderTest {
  sg: Scamgraph;
  url: string;
  /** Where the web app was built (its index.html and assets). */
  dist: string;
  /** A page in a new context (its own storage) in the language's browser locale; `policyErrors` fills as they happen. */
  open(language: Language, viewport?: { width: number; height: number }): Promise<{ page: Page; policyErrors: string[] }>;
  close(): Promise<void>;
}

/** Builds the web app, opens a database (seeded by `seed`), serves both and starts Chromium. */
export async function startWeb(seed: (sg: Scamgraph) => Promise<void>): Promise<WebUnderTest> {
  assert.ok(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dist = mkdtempSync(join(tmpdir(), 'scamgraph-web-'));
  let sg: Scamgraph | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app?.close();
    await sg?.close();
    rmSync(dist, { recursive: true, force: true });
  };
  try {
    await build({ configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname, build: { outDir: dist, emptyOutDir: true }, logLevel: 'silent' });
    sg = await openTestScamgraph('pglite');
    await seed(sg);
    app = await buildApp(sg, { web: dist });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const started = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    browser = started;
    const db = sg;
    return {
      sg: db,
      url,
      dist,
      close,
      async open(language, viewport = PHONE_VIEWPORT) {
        const context = await started.newContext({ viewport, locale: language === 'en' ? 'en-GB' : 'zh-HK' });
        const page = await context.newPage();
        const policyErrors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) policyErrors.push(message.text());
        });
        return { page, policyErrors };
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** axe-core's serious and critical WCAG 2.2 AA violations on the page as it is now. */
export async function axeProblems(page: Page): Promise<string[]> {
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
