import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { CheckResult, VerdictService } from '../modules/verdicts/verdicts.service.js';

/**
 * The warning page behind the RPZ's Local Data action (SCAMGRAPH_RPZ_ACTION=cname:HOST): the ISP's resolver
 * answers a listed site with a CNAME to HOST, which is this server, so the browser asks it for that site's
 * page, with the site's name in the Host header. Such a request gets a bilingual page that names the site,
 * says why it is listed and links to the check on Scamgraph itself, instead of any route of the API.
 *
 * Only plain HTTP can be answered this way: for HTTPS the browser wants the site's own certificate, which we do
 * not have (and must not), so it shows its own connection error. Nothing about the request is logged beyond
 * the per-route counts every request gets: who tried to open which site is not ours to keep.
 */

const STYLE =
  'body{font:16px/1.5 system-ui,"Noto Sans TC","PingFang TC",sans-serif;margin:0;background:#fff4f2;color:#1d1d1f}' +
  'main{max-width:40rem;margin:0 auto;padding:2rem 1.25rem}h1{color:#b3261e;font-size:1.6rem;margin:.2rem 0 1rem}' +
  'section{background:#fff;border:2px solid #b3261e;border-radius:.75rem;padding:1rem 1.25rem;margin:0 0 1.25rem}' +
  '.site{font:600 1.1rem ui-monospace,monospace;word-break:break-all;background:#fde7e4;padding:.1rem .35rem;border-radius:.3rem}' +
  'a{color:#0b57d0}ul{padding-left:1.2rem}small{color:#555}';
/**
 * Its own headers: the page is plain HTTP under a name that is not ours, so the HTTPS-only headers of the other
 * pages (HSTS, Cross-Origin-Opener-Policy) mean nothing here; no referrer, so the link to the check does not
 * carry the path that was blocked.
 */
const HEADERS = Object.freeze({
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  'cache-control': 'no-store',
  'content-type': 'text/html; charset=utf-8',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The listed site the name falls under (the name itself or a parent), or null. */
function listedSite(verdicts: VerdictService, name: string, levels: ReadonlySet<string>): CheckResult | null {
  const labels = name.split('.');
  for (let i = 0; i <= labels.length - 2; i++) {
    try {
      const result = verdicts.check(labels.slice(i).join('.'), 'domain');
      if (levels.has(result.verdict.level)) return result;
    } catch {
      return null; // not a name the checker takes: not one the zone lists either
    }
  }
  return null;
}

export function warningPage(site: string, result: CheckResult, scamgraphHost: string): string {
  const check = `http://${scamgraphHost}/?value=${encodeURIComponent(site)}`;
  const list = (items: readonly string[]): string => `<ul>${items.map((a) => `<li>${escape(a)}</li>`).join('')}</ul>`;
  const { headline, reasons, advice } = result.verdict;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>Blocked: likely scam site · 已封鎖：疑似詐騙網站</title><style>${STYLE}</style></head>
<body><main>
<section lang="en"><h1>This site was blocked: it is likely a scam</h1>
<p><span class="site">${escape(site)}</span> is on Scamgraph's list of high-risk sites, which your internet provider uses to protect you. ${escape(headline.en)}</p>
${list(reasons.map((r) => r.message.en))}
<p><strong>What to do</strong></p>${list(advice.en)}
<p><a href="${escape(check)}">See the evidence on Scamgraph</a> · If you think this is a mistake, say so there.</p></section>
<section lang="zh-Hant"><h1>此網站已被封鎖：很可能是詐騙</h1>
<p><span class="site">${escape(site)}</span> 在 Scamgraph 的高風險網站名單上，你的網絡供應商用這份名單保護你。${escape(headline['zh-Hant'])}</p>
${list(reasons.map((r) => r.message['zh-Hant']))}
<p><strong>你可以怎樣做</strong></p>${list(advice['zh-Hant'])}
<p><a href="${escape(check)}">在 Scamgraph 查看證據</a> · 如你認為有誤，可在該頁告訴我們。</p></section>
<p><small>Scamgraph · ${escape(scamgraphHost)}</small></p>
</main></body></html>
`;
}

/** Answers requests for listed sites' names with the warning page, when the RPZ action sends browsers here. */
export function registerWarningPage(app: FastifyInstance, deps: { config: Partial<Config>; verdicts: VerdictService }): void {
  const rpz = deps.config.rpz;
  if (rpz === undefined || rpz.options.action.type !== 'cname') return;
  const scamgraphHost = rpz.options.action.target;
  const levels = new Set<string>(deps.config.feeds?.[rpz.feed]?.levels ?? ['high_risk']);
  app.addHook('onRequest', async (request, reply) => {
    const name = request.hostname.toLowerCase().replace(/\.$/, '');
    // Our own name, an address or a bare host name is a request for Scamgraph itself.
    if (name === scamgraphHost || isIP(name) !== 0 || !name.includes('.')) return;
    const result = listedSite(deps.verdicts, name, levels);
    if (result === null) return;
    // The headers the first hook set for Scamgraph's own pages go: these replace them.
    for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
    return reply
      .code(403)
      .headers(HEADERS)
      .send(request.method === 'HEAD' ? '' : warningPage(name, result, scamgraphHost));
  });
}
