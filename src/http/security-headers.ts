import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for the given options, worked out once. The Fastify plugin builds helmet's
 * middleware chain again for every request, which measured as the largest single cost of the check route;
 * with no per-request nonces the headers never change, so they can be computed at start.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

/**
 * JSON API answers get the headers OWASP's REST Security Cheat Sheet lists for APIs: nothing may run, frame
 * or sniff them, HTTPS only, and no cache keeps them (a check's URL holds what someone checked, and a status
 * page is private). helmet's other headers concern HTML documents; each header is work on every answer.
 */
export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
});

/** HTML pages (the API docs) bring their own Content-Security-Policy; helmet's other defaults apply. */
export const PAGE_HEADERS = helmetHeaders({ contentSecurityPolicy: false });

/**
 * The web app's pages: helmet's defaults with a strict policy of our own. Everything comes from this origin;
 * no inline script or style (the build emits none), no plugins, no framing.
 */
export const WEB_HEADERS = helmetHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
});
