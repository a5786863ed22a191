import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import type { AuditService } from '../modules/audit/audit.service.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import type { ClusterService } from '../modules/clusters/clusters.service.js';
import type { TriageService } from '../modules/clusters/triage.service.js';
import type { ReportService } from '../modules/reports/reports.service.js';
import type { CheckCounter } from '../modules/verdicts/check-counter.js';
import type { VerdictService } from '../modules/verdicts/verdicts.service.js';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { AppError } from '../errors.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { registerJsonParser } from './json-parser.js';
import { registerRequestLog } from './request-log.js';
import { API_HEADERS, PAGE_HEADERS, WEB_HEADERS } from './security-headers.js';
import { registerWeb, webCacheControl, webNotFoundHandler } from './web.js';
import { auditRoutes } from './routes/audit.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { checkRoutes } from './routes/check.routes.js';
import { hubRoutes } from './routes/hub.routes.js';
import { officerRoutes } from './routes/officer.routes.js';
import { reportRoutes } from './routes/reports.routes.js';
import type { TrendsService } from '../modules/reports/trends.js';

export interface AppDeps {
  config: Pick<Config, 'rateLimits' | 'defaultRegion'> & Partial<Pick<Config, 'trustProxyHops'>>;
  db: Kysely<Database>;
  verdicts: VerdictService;
  reports: ReportService;
  trends: TrendsService;
  auth: AuthService;
  audit: AuditService;
  clusters: ClusterService;
  triage: TriageService;
  checks: CheckCounter;
}

export const BODY_LIMIT = 1024 * 1024;

/**
 * The HTTP API as a Fastify instance that does not listen (tests use inject). Unknown fields are refused, not
 * stripped; bodies over 1 MiB get 413; every error is `{"error": {"code", "message"}}`.
 */
export async function buildApp(deps: AppDeps, options: { logger?: FastifyServerOptions['logger']; /** The built web app to serve at / (web/dist). */ web?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    // Requests log through the server's logger itself (lines that need the request id carry it): a child
    // logger for every request is measurable work on the check route.
    childLoggerFactory: (logger) => logger,
    bodyLimit: BODY_LIMIT,
    // Believe X-Forwarded-For for the configured number of proxy hops, no further.
    trustProxy: (_address: string, hop: number) => hop < (deps.config.trustProxyHops ?? 0),
    // No coercion: a number where a string belongs is an error, not a string. Query parameters are strings.
    ajv: { customOptions: { removeAdditional: false, allErrors: false, coerceTypes: false } },
    // The router's own refusals (bad percent-encoding in the path) in our error shape.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply).headers(API_HEADERS).status(400).send({ error: { code: 'VALIDATION_FAILED', message: error.code === 'FST_ERR_BAD_URL' ? 'The URL is not validly percent-encoded.' : 'The request is not valid.' } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A route without a query-string schema takes no query parameters: unknown ones are refused, not ignored.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1') || route.schema?.querystring !== undefined) return;
    route.schema = { ...route.schema, querystring: { type: 'object', additionalProperties: false } };
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(options.web === undefined ? notFoundHandler : webNotFoundHandler);
  registerJsonParser(app);
  if (options.logger !== undefined && options.logger !== false) registerRequestLog(app, app.log);
  // Fixed security headers, by what is answered: JSON everywhere but the HTML of the API docs.
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?', 1)[0] as string;
    if (path.startsWith('/api/')) reply.headers(path === '/api/docs' || path.startsWith('/api/docs/') ? PAGE_HEADERS : API_HEADERS);
    else if (options.web === undefined) reply.headers(API_HEADERS);
    else reply.headers(WEB_HEADERS).header('cache-control', webCacheControl(path));
    done();
  });
  await app.register(rateLimit, {
    global: false,
    // Thrown by the plugin, so an AppError: the error handler gives it its status and shape.
    errorResponseBuilder: (_request, context) => new AppError('RATE_LIMITED', `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Scamgraph API', version: '1', description: 'Check, report and act on scams. Public, partner and officer routes.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [{ name: 'public' }, { name: 'auth' }, { name: 'officer' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { hide: true } }, async () => ({
    ok: true,
    indexed: deps.verdicts.index.count,
    indexBytes: deps.verdicts.index.byteSize,
    seq: deps.verdicts.index.seq,
  }));

  await app.register(checkRoutes(deps.verdicts, deps.checks, deps.config.rateLimits.checks, deps.config.defaultRegion), { prefix: '/api/v1' });
  await app.register(reportRoutes(deps.reports, deps.trends, deps.config.rateLimits.reports), { prefix: '/api/v1' });
  await app.register(authRoutes(deps.auth), { prefix: '/api/v1' });
  await app.register(auditRoutes(deps.audit), { prefix: '/api/v1' });
  await app.register(officerRoutes({ auth: deps.auth, verdicts: deps.verdicts, reports: deps.reports, audit: deps.audit, db: deps.db }), { prefix: '/api/v1/officer' });
  await app.register(hubRoutes({ auth: deps.auth, clusters: deps.clusters, triage: deps.triage, db: deps.db }), { prefix: '/api/v1/officer' });
  if (options.web !== undefined) await registerWeb(app, options.web);
  return app;
}
