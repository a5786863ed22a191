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
import { DEFAULT_TIMEOUTS } from '../config.js';
import { AppError } from '../errors.js';
import { clientErrorHandler, connectionOptions, requireHost } from './connection.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { registerJsonParser } from './json-parser.js';
import { registerRequestLog } from './request-log.js';
import { API_HEADERS, PAGE_HEADERS, WEB_HEADERS } from './security-headers.js';
import { registerWarningPage } from './warning-page.js';
import { registerWeb, webCacheControl, webNotFoundHandler } from './web.js';
import { accountRoutes } from './routes/account.routes.js';
import { registerRouteContract } from './route-contract.js';
import { adminRoutes } from './routes/admin.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { checkRoutes } from './routes/check.routes.js';
import { clusterRoutes } from './routes/clusters.routes.js';
import { officerRoutes } from './routes/officer.routes.js';
import { reportRoutes } from './routes/reports.routes.js';
import { messageRoutes } from './routes/messages.routes.js';
import { campaignRoutes, smsTemplateFeedRoutes } from './routes/campaigns.routes.js';
import { senderRegistryFeedRoutes, senderRegistryRoutes } from './routes/senders.routes.js';
import { retentionRoutes } from './routes/retention.routes.js';
import { reporterRightsRoutes } from './routes/reporter-rights.routes.js';
import { statsRoutes } from './routes/stats.routes.js';
import { triageRoutes } from './routes/triage.routes.js';
import { transparencyRoutes } from './routes/transparency.routes.js';
import type { TransparencyService } from '../modules/transparency/transparency.service.js';
import type { TrendsService } from '../modules/reports/trends.js';
import type { PartnerMeter } from '../modules/partners/partner-meter.js';
import type { PartnersService } from '../modules/partners/partners.service.js';
import type { PayeeCheck } from '../modules/partners/payee-check.js';
import type { BlockLists } from '../modules/feeds/block-lists.js';
import type { SharedAccounts } from '../modules/partners/shared-accounts.js';
import type { PayeeOutcomes } from '../modules/partners/payee-outcomes.js';
import type { Screening } from '../modules/partners/screening.js';
import type { TelcoOutcomes } from '../modules/partners/telco-outcomes.js';
import type { MessageService } from '../modules/messages/messages.service.js';
import type { CampaignService } from '../modules/messages/campaigns.service.js';
import type { SenderRegistryService } from '../modules/senders/sender-registry.service.js';
import type { RetentionService } from '../modules/retention/retention.service.js';
import type { ReporterRights } from '../modules/reports/reporter-rights.service.js';
import type { DisputeService } from '../modules/disputes/disputes.service.js';
import { disputeOfficerRoutes, disputeRoutes } from './routes/disputes.routes.js';
import type { Webhooks } from '../modules/partners/webhooks.js';
import { PartnerKeyResolver } from './partner-auth.js';
import { partnerApiRoutes } from './routes/partner-api.routes.js';
import { partnerFeedRoutes } from './routes/partner-feeds.routes.js';
import { taxiiRoutes } from './routes/taxii.routes.js';
import type { TaxiiCollections } from '../modules/feeds/taxii.js';
import type { MispFeeds } from '../modules/feeds/misp.js';
import { mispRoutes } from './routes/misp.routes.js';
import type { HashLists } from '../modules/lists/hash-lists.js';
import { safeBrowsingRoutes } from './routes/safe-browsing.routes.js';
import type { NumberLists } from '../modules/lists/number-lists.js';
import { numberListRoutes } from './routes/number-lists.routes.js';
import { partnerAdminRoutes } from './routes/partners.routes.js';

export interface AppDeps {
  config: Pick<Config, 'rateLimits' | 'defaultRegion'> & Partial<Pick<Config, 'trustProxyHops' | 'timeouts' | 'rpz' | 'feeds' | 'mispFeed'>>;
  verdicts: VerdictService;
  reports: ReportService;
  trends: TrendsService;
  auth: AuthService;
  audit: AuditService;
  clusters: ClusterService;
  triage: TriageService;
  checks: CheckCounter;
  partners: PartnersService;
  /** Counts and limits partners' calls (flushed by the process that owns it). */
  partnerMeter: PartnerMeter;
  payeeCheck: PayeeCheck;
  blockLists: BlockLists;
  taxii: TaxiiCollections;
  misp: MispFeeds;
  hashLists: HashLists;
  numberLists: NumberLists;
  sharedAccounts: SharedAccounts;
  payeeOutcomes: PayeeOutcomes;
  screening: Screening;
  telcoOutcomes: TelcoOutcomes;
  webhooks: Webhooks;
  messages: MessageService;
  campaigns: CampaignService;
  senders: SenderRegistryService;
  retention: RetentionService;
  rights: ReporterRights;
  disputes: DisputeService;
  transparency: TransparencyService;
}

export const BODY_LIMIT = 1024 * 1024;

/** What the router's own refusals mean, by Fastify's code. */
const ROUTER_REFUSALS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded.',
  FST_ERR_MAX_PARAM_LENGTH: 'A part of the path is longer than the 100 characters any route takes.',
};

/**
 * The HTTP API as a Fastify instance that does not listen (tests use inject). Unknown fields are refused, not
 * stripped; bodies over 1 MiB get 413; every error is `{"error": {"code", "message"}}`, even for requests
 * Node cannot parse; slow clients are cut off by the configured timeouts.
 */
export async function buildApp(deps: AppDeps, options: { logger?: FastifyServerOptions['logger']; /** The built web app to serve at / (web/dist). */ web?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...connectionOptions(deps.config.timeouts ?? DEFAULT_TIMEOUTS),
    clientErrorHandler,
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
      const message = ROUTER_REFUSALS[error.code] ?? 'The request is not valid.';
      void (reply as unknown as FastifyReply).headers(API_HEADERS).status(400).send({ error: { code: 'VALIDATION_FAILED', message } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every /api/v1 route: no query parameter it does not declare; security, 401/403 and the shared error
  // answers in the API document derived from what the route does.
  registerRouteContract(app);
  app.decorateRequest('principal', null);
  app.decorateRequest('user', null);

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(options.web === undefined ? notFoundHandler : webNotFoundHandler);
  registerJsonParser(app);
  if (options.logger !== undefined && options.logger !== false) registerRequestLog(app, app.log);
  // Fixed security headers, by what is answered: JSON everywhere but the HTML of the API docs.
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?', 1)[0] as string;
    if (path.startsWith('/api/') || path.startsWith('/taxii2/')) reply.headers(path === '/api/docs' || path.startsWith('/api/docs/') ? PAGE_HEADERS : API_HEADERS);
    else if (options.web === undefined) reply.headers(API_HEADERS);
    else reply.headers(WEB_HEADERS).header('cache-control', webCacheControl(path));
    done();
  });
  app.addHook('onRequest', requireHost);
  registerWarningPage(app, deps);
  await app.register(rateLimit, {
    global: false,
    // Thrown by the plugin, so an AppError: the error handler gives it its status and shape.
    errorResponseBuilder: (_request, context) => new AppError('RATE_LIMITED', `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`),
  });
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, so a nullable field is `type: null` in a union, as TypeBox writes it.
      openapi: '3.1.0',
      info: { title: 'Scamgraph API', version: '1', description: 'Check, report and act on scams. Public, partner and officer routes.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A console session token from POST /api/v1/auth/login.' },
          partnerKey: { type: 'http', scheme: 'bearer', bearerFormat: 'sgp_…', description: 'A partner organisation’s API key (scamgraph partner add / partner key create). Mutual TLS, where deployed, is terminated in front of Scamgraph (docs/partners.md).' },
        },
      },
      tags: [{ name: 'public' }, { name: 'auth' }, { name: 'officer' }, { name: 'partner' }],
    },
  });
  // BaseLayout: the standalone layout's top bar draws Swagger's logo as an SVG with an inline <style>, which
  // the page's strict CSP (staticCSP) refuses; the bar holds nothing else this API needs.
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { layout: 'BaseLayout' } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Only that it is up: unauthenticated, a change-log sequence or an entry count would let anyone watch
  // reports arrive (the server's start-up line gives the count to whoever runs it).
  app.get('/api/health', { schema: { hide: true } }, async () => ({ ok: true }));

  await app.register(checkRoutes(deps.verdicts, deps.checks, deps.config.rateLimits.checks, deps.config.defaultRegion), { prefix: '/api/v1' });
  await app.register(reportRoutes(deps.reports, deps.trends, deps.config.rateLimits.reports), { prefix: '/api/v1' });
  await app.register(transparencyRoutes(deps.transparency), { prefix: '/api/v1' });
  await app.register(authRoutes(deps.auth), { prefix: '/api/v1' });
  await app.register(auditRoutes(deps.audit), { prefix: '/api/v1' });
  const officer = { prefix: '/api/v1/officer' };
  await app.register(officerRoutes({ auth: deps.auth, verdicts: deps.verdicts, reports: deps.reports }), officer);
  await app.register(adminRoutes(deps.auth, deps.audit), officer);
  await app.register(triageRoutes(deps.auth, deps.triage), officer);
  await app.register(clusterRoutes(deps.auth, deps.clusters, deps.triage), officer);
  await app.register(statsRoutes(deps.auth, deps.clusters), officer);
  await app.register(accountRoutes(deps.auth), officer);
  await app.register(partnerAdminRoutes(deps.auth, deps.partners, deps.payeeOutcomes, deps.telcoOutcomes), officer);
  const partnerGate = { resolver: new PartnerKeyResolver(deps.partners), meter: deps.partnerMeter };
  await app.register(messageRoutes(deps.messages, partnerGate, deps.config.rateLimits.reports), { prefix: '/api/v1' });
  await app.register(campaignRoutes(deps.auth, deps.campaigns), officer);
  await app.register(smsTemplateFeedRoutes(partnerGate, deps.campaigns), { prefix: '/api/v1' });
  await app.register(senderRegistryRoutes(deps.auth, deps.senders), officer);
  await app.register(retentionRoutes(deps.auth, deps.retention), officer);
  await app.register(reporterRightsRoutes(deps.rights, deps.config.rateLimits.reports), { prefix: '/api/v1' });
  await app.register(senderRegistryFeedRoutes(partnerGate, deps.senders), { prefix: '/api/v1' });
  await app.register(disputeRoutes(deps.disputes, deps.config.rateLimits.reports), { prefix: '/api/v1' });
  await app.register(disputeOfficerRoutes(deps.auth, deps.disputes), officer);
  await app.register(partnerApiRoutes(partnerGate, { payeeCheck: deps.payeeCheck, sharedAccounts: deps.sharedAccounts, payeeOutcomes: deps.payeeOutcomes, webhooks: deps.webhooks, screening: deps.screening, telcoOutcomes: deps.telcoOutcomes, region: deps.config.defaultRegion }), { prefix: '/api/v1' });
  await app.register(partnerFeedRoutes(partnerGate, deps.blockLists), { prefix: '/api/v1' });
  await app.register(numberListRoutes(partnerGate, deps.numberLists), { prefix: '/api/v1' });
  await app.register(taxiiRoutes(partnerGate, deps.taxii, BODY_LIMIT), { prefix: '/taxii2' });
  await app.register(mispRoutes(partnerGate, deps.misp, deps.config.mispFeed ?? 'all-high-risk'), { prefix: '/feeds/misp' });
  await app.register(safeBrowsingRoutes(partnerGate, deps.hashLists), { prefix: '/safebrowsing/v4' });
  if (options.web !== undefined) await registerWeb(app, options.web);
  return app;
}
