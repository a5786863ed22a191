import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';

// The RPZ's Local Data action sends browsers asking for a listed site to Scamgraph (issue 14): the site's
// name arrives in the Host header and gets a bilingual warning page; every other name, Scamgraph itself.

const WARN = 'warn.scamgraph.test';

for (const engine of ENGINES) {
  describe(`warning page for the RPZ CNAME action (${engine})`, () => {
    let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
    let app: FastifyInstance;
    let plain: FastifyInstance;

    before(async () => {
      sg = await openTestScamgraph(engine, { loadIndex: true }, { rpz: loadConfig({ SCAMGRAPH_RPZ_ACTION: `cname:${WARN}` }).rpz });
      await sg.verdicts.decide('user:test', { value: 'warn-evil.example', kind: 'domain' }, 'high_risk', 'warning page test');
      await sg.verdicts.decide('user:test', { value: 'warn-maybe.example', kind: 'domain' }, 'suspicious', 'warning page test');
      await sg.verdicts.protect('user:test', { value: 'warn-bank.example', kind: 'domain' }, 'Warn Bank');
      await sg.verdicts.catchUp();
      app = await buildApp(sg);
      plain = await buildApp({ ...sg, config: { ...sg.config, rpz: loadConfig({}).rpz } });
    });
    after(async () => {
      await app?.close();
      await plain?.close();
      await sg?.close();
    });

    it('a listed site, and any name or path under it, gets the page in English and Traditional Chinese', async () => {
      for (const [host, path, named] of [
        ['warn-evil.example', '/', 'warn-evil.example'],
        ['www.warn-evil.example:8080', '/login?next=%2Fpay', 'www.warn-evil.example'],
        ['WARN-EVIL.EXAMPLE.', '/api/health', 'warn-evil.example'],
      ] as const) {
        const res = await app.inject({ method: 'GET', url: path, headers: { host } });
        assert.equal(res.statusCode, 403, host);
        assert.match(res.headers['content-type'] as string, /^text\/html; charset=utf-8/);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.headers['referrer-policy'], 'no-referrer', 'the check link does not carry the blocked path');
        assert.equal(res.headers['strict-transport-security'], undefined, 'plain HTTP under a name not ours');
        assert.match(res.body, new RegExp(`<span class="site">${named.replace(/\./g, '\\.')}</span> is on Scamgraph's list`));
        assert.match(res.body, /This site was blocked: it is likely a scam/);
        assert.match(res.body, /此網站已被封鎖：很可能是詐騙/);
        assert.match(res.body, /Confirmed by an officer as used in scams/);
        assert.match(res.body, /已經警務人員確認與騙案有關/);
        assert.ok(res.body.includes(`href="http://${WARN}/?value=${encodeURIComponent(named)}"`), 'links to the check on Scamgraph itself');
      }
    });

    it('its one style is allowed by hash and nothing else by its Content-Security-Policy', async () => {
      const res = await app.inject({ method: 'GET', url: '/', headers: { host: 'warn-evil.example' } });
      const style = /<style>([^<]*)<\/style>/.exec(res.body)?.[1] ?? '';
      const csp = res.headers['content-security-policy'] as string;
      assert.match(csp, /^default-src 'none'; /);
      assert.ok(csp.includes(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`), csp);
      assert.doesNotMatch(res.body, /<script/);
    });

    it('unlisted, suspicious-only and protected names, addresses and Scamgraph’s own name get Scamgraph', async () => {
      for (const host of ['warn-ok.example', 'warn-maybe.example', 'warn-bank.example', 'www.warn-bank.example', WARN, '127.0.0.1:8080', 'localhost']) {
        const res = await app.inject({ method: 'GET', url: '/api/health', headers: { host } });
        assert.equal(res.statusCode, 200, host);
        assert.deepEqual(res.json(), { ok: true });
      }
    });

    it('with the NXDOMAIN action (the default) there is no warning page', async () => {
      const res = await plain.inject({ method: 'GET', url: '/api/health', headers: { host: 'warn-evil.example' } });
      assert.equal(res.statusCode, 200);
    });

    it('a HEAD gets the status and headers alone', async () => {
      const res = await app.inject({ method: 'HEAD', url: '/', headers: { host: 'warn-evil.example' } });
      assert.equal(res.statusCode, 403);
      assert.equal(res.body, '');
    });
  });
}
