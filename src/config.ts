import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isSupportedRegion } from './modules/indicators/phone.js';
import { DEFAULT_FEEDS, validFeeds, type FeedDefinition } from './modules/feeds/block-lists.js';
import { DEFAULT_RPZ, isRpzName, type RpzOptions } from './modules/feeds/rpz.js';
import { parseTsigKeys, type TsigKey } from './modules/feeds/tsig.js';
import { DEFAULT_PAYEE_POLICY, validPayeePolicy, type PayeePolicy } from './modules/partners/payee-policy.js';
import { DEFAULT_INDEPENDENCE, INDEPENDENCE_SIGNALS, type IndependenceRule, type IndependenceSignal } from './modules/reports/reporter-independence.js';
import { DEFAULT_RETENTION, type RetentionSchedule } from './modules/retention/retention-schedule.js';

/** What makes a verdict (product.md, "Verdict levels"); every threshold can be set per deployment. */
export interface VerdictPolicy {
  /** Independent reports that make an indicator high risk on their own (SCAMGRAPH_HIGH_RISK_REPORTS, 3). */
  highRiskReports: number;
  /** Reports that make it suspicious, independent or not (SCAMGRAPH_SUSPICIOUS_REPORTS, 1). */
  suspiciousReports: number;
  /** Days without a new report after which report-based evidence lapses (SCAMGRAPH_DECAY_DAYS, 180). */
  decayDays: number;
}

/** The policy when none is configured (what loadConfig gives an empty environment). */
export const DEFAULT_VERDICT_POLICY: Readonly<VerdictPolicy> = Object.freeze({ highRiskReports: 3, suspiciousReports: 1, decayDays: 180 });

/** Runtime configuration, parsed once from the environment, validated and frozen. */
export interface Config {
  /** Region for numbers written without a country code (SCAMGRAPH_REGION, default HK). */
  defaultRegion: string;
  /** production refuses to start without explicit secrets (SCAMGRAPH_ENV or NODE_ENV=production). */
  production: boolean;
  /** PostgreSQL connection string; when absent the embedded database in dataDir is used (DATABASE_URL). */
  databaseUrl: string | null;
  /** Embedded database and generated secrets (SCAMGRAPH_DATA, default ./.data; `--data` overrides). */
  dataDir: string;
  /**
   * 32-byte master secret, base64 (SCAMGRAPH_SECRET_KEY): the contact-encryption, fingerprint and audit keys
   * are derived from it. Without it a key file under dataDir is generated, except in production.
   */
  secretKey: Buffer | null;
  host: string;
  port: number;
  /**
   * Reverse-proxy hops whose X-Forwarded-For is believed (SCAMGRAPH_TRUST_PROXY, default 0). Behind a proxy
   * the client address feeds the rate limits and anonymous reporters' fingerprints; without this every
   * client would look like the proxy.
   */
  trustProxyHops: number;
  verdicts: VerdictPolicy;
  /** What tells public reporters apart when counting independent reports (docs/poisoning.md). */
  independence: IndependenceRule;
  /** Memory for the recent checks' normal forms and answers, in bytes (SCAMGRAPH_CHECK_CACHE_MB, 128). */
  checkCacheBytes: number;
  /** Requests per minute and client address; 0 turns the limit off (SCAMGRAPH_REPORT_RATE 10, SCAMGRAPH_CHECK_RATE 600). */
  rateLimits: { reports: number; checks: number };
  /** Minutes without a request after which a console session ends, beside its fixed 12 hours (SCAMGRAPH_SESSION_IDLE_MINUTES, 30). */
  sessionIdleMinutes: number;
  timeouts: ServerTimeouts;
  /** Signed checkpoints of the audit log (docs/audit.md). */
  auditCheckpoints: AuditCheckpointConfig;
  /** The bank payee check's risk and action policy (SCAMGRAPH_PAYEE_POLICY: a JSON file; docs/partners.md). */
  payeePolicy: Readonly<PayeePolicy>;
  /** Partners' block lists by name (SCAMGRAPH_FEEDS: a JSON file that adds to or replaces the defaults; docs/feeds.md). */
  feeds: Readonly<Record<string, FeedDefinition>>;
  /**
   * Partners' webhooks: plain http:// endpoints allowed (SCAMGRAPH_WEBHOOK_ALLOW_HTTP=1, for trials; https
   * only by default), the first retry's wait (SCAMGRAPH_WEBHOOK_FIRST_RETRY_MS, 5,000) and a claimed
   * delivery's lease (SCAMGRAPH_WEBHOOK_LEASE_MS, 60,000).
   */
  webhooks: { allowHttp: boolean; firstRetryMs: number; leaseMs: number };
  /** The DNS policy zone that `serve --rpz-port` serves and `feeds rpz` writes (docs/feeds.md). */
  rpz: RpzConfig;
  /** The block list served as the MISP feed at /feeds/misp/ and written by `feeds misp` (SCAMGRAPH_MISP_FEED, all-high-risk). */
  mispFeed: string;
  /** How long each kind of personal data is kept (SCAMGRAPH_RETAIN_*; docs/privacy.md). */
  retention: Readonly<RetentionSchedule>;
}

export interface RpzConfig {
  /** The block list it is made from, which must hold the `domain` kind (SCAMGRAPH_RPZ_FEED, domains-high-risk). */
  feed: string;
  /**
   * The zone's name (SCAMGRAPH_RPZ_ZONE, rpz.scamgraph), its action (SCAMGRAPH_RPZ_ACTION: `nxdomain`, or
   * `cname:HOST` for a warning page's host) and the SOA refresh in seconds (SCAMGRAPH_RPZ_REFRESH, 300).
   */
  options: RpzOptions;
  /** Secondaries sent a NOTIFY on each new serial, `address` or `address@port` (SCAMGRAPH_RPZ_NOTIFY, comma-separated). */
  notify: readonly string[];
  /** With keys, transfers must be signed (SCAMGRAPH_RPZ_TSIG: `hmac-sha256:name:base64secret`, comma-separated). */
  tsigKeys: readonly TsigKey[];
}

export interface AuditCheckpointConfig {
  /**
   * Ed25519 key that signs checkpoints, PEM (SCAMGRAPH_AUDIT_SIGNING_KEY). Default
   * `$XDG_CONFIG_HOME/scamgraph/audit-signing.key` (else `~/.config/…`): outside the data directory, whose
   * holder must not be able to sign. Generated (0600) on first use.
   */
  signingKeyFile: string;
  /** JSON Lines file checkpoints are appended to (SCAMGRAPH_AUDIT_CHECKPOINTS); null: `audit-checkpoints.jsonl` in the data directory. */
  logFile: string | null;
  /** Minutes between the checkpoints `serve` signs (SCAMGRAPH_CHECKPOINT_MINUTES, default 15). */
  intervalMinutes: number;
}

/**
 * How long the server waits on a client, in milliseconds: a client that sends slowly (or not at all) cannot
 * hold a socket longer than this. `0` is never accepted: each limit is always on.
 */
export interface ServerTimeouts {
  /** From a connection's first byte to the end of the request headers (SCAMGRAPH_HEADERS_TIMEOUT_MS, 10 s). */
  headersMs: number;
  /** From the first byte to the end of the whole request, body included (SCAMGRAPH_REQUEST_TIMEOUT_MS, 30 s; not less than headersMs). */
  requestMs: number;
  /** A socket on which nothing arrives or leaves for this long is closed (SCAMGRAPH_IDLE_TIMEOUT_MS, 30 s). */
  idleMs: number;
  /** An idle kept-alive connection is closed after this (SCAMGRAPH_KEEP_ALIVE_TIMEOUT_MS, 5 s; behind a load balancer, set it above the balancer's idle timeout). */
  keepAliveMs: number;
}

/** The timeouts when none is set (and for apps built from a partial config, as route tests do). */
export const DEFAULT_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({ headersMs: 10_000, requestMs: 30_000, idleMs: 30_000, keepAliveMs: 5_000 });

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name}=${raw} must be a whole number from ${min} to ${max}.`);
  return value;
}

function key(env: NodeJS.ProcessEnv, name: string): Buffer | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 32) throw new ConfigError(`${name} must be 32 bytes in base64 (openssl rand -base64 32).`);
  return bytes;
}

function signals(env: NodeJS.ProcessEnv): IndependenceSignal[] {
  const raw = env.SCAMGRAPH_INDEPENDENT_BY;
  if (raw === undefined || raw === '') return [...DEFAULT_INDEPENDENCE.signals];
  const list = raw.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
  for (const s of list) {
    if (!(INDEPENDENCE_SIGNALS as readonly string[]).includes(s)) {
      throw new ConfigError(`SCAMGRAPH_INDEPENDENT_BY=${raw}: “${s}” is not one of ${INDEPENDENCE_SIGNALS.join(', ')} (or none).`);
    }
  }
  return [...new Set(list)] as IndependenceSignal[];
}

function feeds(env: NodeJS.ProcessEnv): Readonly<Record<string, FeedDefinition>> {
  const path = env.SCAMGRAPH_FEEDS;
  if (path === undefined || path === '') return DEFAULT_FEEDS;
  try {
    return Object.freeze(validFeeds(JSON.parse(readFileSync(path, 'utf8')), `SCAMGRAPH_FEEDS=${path}`));
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(message.startsWith('SCAMGRAPH_FEEDS=') ? message : `SCAMGRAPH_FEEDS=${path}: ${message}`);
  }
}

function mispFeed(env: NodeJS.ProcessEnv, feedDefinitions: Readonly<Record<string, FeedDefinition>>): string {
  const feed = env.SCAMGRAPH_MISP_FEED || 'all-high-risk';
  if (!Object.hasOwn(feedDefinitions, feed)) throw new ConfigError(`SCAMGRAPH_MISP_FEED=${feed} must name a feed (${Object.keys(feedDefinitions).join(', ')}).`);
  return feed;
}

function rpz(env: NodeJS.ProcessEnv, feedDefinitions: Readonly<Record<string, FeedDefinition>>): RpzConfig {
  const feed = env.SCAMGRAPH_RPZ_FEED || 'domains-high-risk';
  if (!feedDefinitions[feed]?.kinds.includes('domain')) throw new ConfigError(`SCAMGRAPH_RPZ_FEED=${feed} must name a feed with the domain kind (such as domains-high-risk).`);
  const zone = (env.SCAMGRAPH_RPZ_ZONE || DEFAULT_RPZ.zone).toLowerCase().replace(/\.$/, '');
  if (!isRpzName(zone)) throw new ConfigError(`SCAMGRAPH_RPZ_ZONE=${env.SCAMGRAPH_RPZ_ZONE} is not a DNS name.`);
  const actionText = env.SCAMGRAPH_RPZ_ACTION || 'nxdomain';
  let action: RpzOptions['action'];
  const target = actionText.startsWith('cname:') ? actionText.slice(6).toLowerCase().replace(/\.$/, '') : '';
  if (actionText === 'nxdomain') action = { type: 'nxdomain' };
  else if (isRpzName(target)) action = { type: 'cname', target };
  else throw new ConfigError(`SCAMGRAPH_RPZ_ACTION=${actionText} must be nxdomain or cname:HOST (the host of a warning page).`);
  const notify = (env.SCAMGRAPH_RPZ_NOTIFY ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  for (const address of notify) {
    const [ip, port, ...rest] = address.split('@');
    if (isIP(ip ?? '') === 0 || rest.length > 0 || (port !== undefined && !(Number.isInteger(Number(port)) && Number(port) > 0 && Number(port) < 65536))) {
      throw new ConfigError(`SCAMGRAPH_RPZ_NOTIFY: “${address}” is not an IP address, optionally with @port.`);
    }
  }
  let tsigKeys: TsigKey[];
  try {
    tsigKeys = parseTsigKeys(env.SCAMGRAPH_RPZ_TSIG ?? '');
  } catch (error) {
    // The message never repeats the value: it holds secrets.
    throw new ConfigError(`SCAMGRAPH_RPZ_TSIG: ${(error as Error).message}.`);
  }
  const options: RpzOptions = Object.freeze({ ...DEFAULT_RPZ, zone, action, refreshSeconds: integer(env, 'SCAMGRAPH_RPZ_REFRESH', DEFAULT_RPZ.refreshSeconds, 10, 86_400) });
  return Object.freeze({ feed, options, notify: Object.freeze(notify), tsigKeys: Object.freeze(tsigKeys) });
}

/** The only reader of process.env. Bad values stop the process with a message that names the variable. */
function payeePolicy(env: NodeJS.ProcessEnv): Readonly<PayeePolicy> {
  const path = env.SCAMGRAPH_PAYEE_POLICY;
  if (path === undefined || path === '') return DEFAULT_PAYEE_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`SCAMGRAPH_PAYEE_POLICY=${path}: ${(error as Error).message}`);
  }
  try {
    return validPayeePolicy(raw, `SCAMGRAPH_PAYEE_POLICY=${path}`);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const defaultRegion = (env.SCAMGRAPH_REGION ?? 'HK').toUpperCase();
  if (!isSupportedRegion(defaultRegion)) {
    throw new ConfigError(`SCAMGRAPH_REGION=${env.SCAMGRAPH_REGION} is not a supported two-letter region code (e.g. HK, US).`);
  }
  const production = (env.SCAMGRAPH_ENV ?? env.NODE_ENV) === 'production';
  const secretKey = key(env, 'SCAMGRAPH_SECRET_KEY');
  if (production && secretKey === null) {
    throw new ConfigError('production mode needs SCAMGRAPH_SECRET_KEY (32 bytes, base64: openssl rand -base64 32); refusing to start.');
  }
  const headersMs = integer(env, 'SCAMGRAPH_HEADERS_TIMEOUT_MS', DEFAULT_TIMEOUTS.headersMs, 10, 600_000);
  const timeouts: ServerTimeouts = Object.freeze({
    headersMs,
    // Node refuses a headers timeout longer than the request timeout: the whole includes the headers.
    requestMs: integer(env, 'SCAMGRAPH_REQUEST_TIMEOUT_MS', Math.max(DEFAULT_TIMEOUTS.requestMs, headersMs), headersMs, 3_600_000),
    idleMs: integer(env, 'SCAMGRAPH_IDLE_TIMEOUT_MS', DEFAULT_TIMEOUTS.idleMs, 10, 3_600_000),
    keepAliveMs: integer(env, 'SCAMGRAPH_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_TIMEOUTS.keepAliveMs, 10, 600_000),
  });
  const highRiskReports = integer(env, 'SCAMGRAPH_HIGH_RISK_REPORTS', DEFAULT_VERDICT_POLICY.highRiskReports, 1, 1000);
  const suspiciousReports = integer(env, 'SCAMGRAPH_SUSPICIOUS_REPORTS', DEFAULT_VERDICT_POLICY.suspiciousReports, 1, highRiskReports);
  const feedDefinitions = feeds(env);
  const decayDays = integer(env, 'SCAMGRAPH_DECAY_DAYS', DEFAULT_VERDICT_POLICY.decayDays, 1, 36500);
  return Object.freeze({
    defaultRegion,
    production,
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.SCAMGRAPH_DATA || './.data',
    secretKey,
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    trustProxyHops: integer(env, 'SCAMGRAPH_TRUST_PROXY', 0, 0, 10),
    verdicts: Object.freeze({ highRiskReports, suspiciousReports, decayDays }),
    independence: Object.freeze({
      signals: Object.freeze(signals(env)),
      ipv4Prefix: integer(env, 'SCAMGRAPH_NETWORK_PREFIX_V4', 24, 8, 32),
      ipv6Prefix: integer(env, 'SCAMGRAPH_NETWORK_PREFIX_V6', 48, 16, 128),
    }),
    checkCacheBytes: integer(env, 'SCAMGRAPH_CHECK_CACHE_MB', 128, 1, 65536) * 1024 * 1024,
    rateLimits: Object.freeze({ reports: integer(env, 'SCAMGRAPH_REPORT_RATE', 10, 0, 1e6), checks: integer(env, 'SCAMGRAPH_CHECK_RATE', 600, 0, 1e7) }),
    sessionIdleMinutes: integer(env, 'SCAMGRAPH_SESSION_IDLE_MINUTES', 30, 1, 720),
    timeouts,
    auditCheckpoints: Object.freeze({
      signingKeyFile: resolve(env.SCAMGRAPH_AUDIT_SIGNING_KEY || join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'scamgraph', 'audit-signing.key')),
      logFile: env.SCAMGRAPH_AUDIT_CHECKPOINTS ? resolve(env.SCAMGRAPH_AUDIT_CHECKPOINTS) : null,
      intervalMinutes: integer(env, 'SCAMGRAPH_CHECKPOINT_MINUTES', 15, 1, 7 * 24 * 60),
    }),
    payeePolicy: payeePolicy(env),
    feeds: feedDefinitions,
    rpz: rpz(env, feedDefinitions),
    mispFeed: mispFeed(env, feedDefinitions),
    retention: retention(env, decayDays),
    webhooks: Object.freeze({
      allowHttp: env.SCAMGRAPH_WEBHOOK_ALLOW_HTTP === '1',
      firstRetryMs: integer(env, 'SCAMGRAPH_WEBHOOK_FIRST_RETRY_MS', 5_000, 10, 3_600_000),
      leaseMs: integer(env, 'SCAMGRAPH_WEBHOOK_LEASE_MS', 60_000, 100, 3_600_000),
    }),
  });
}

/** The retention schedule; fingerprints must outlive the decay window, or re-keying would touch reports that still count. */
function retention(env: NodeJS.ProcessEnv, decayDays: number): Readonly<RetentionSchedule> {
  const d = DEFAULT_RETENTION;
  const schedule = {
    contactDays: integer(env, 'SCAMGRAPH_RETAIN_CONTACT_DAYS', d.contactDays, 1, 36500),
    narrativeDays: integer(env, 'SCAMGRAPH_RETAIN_NARRATIVE_DAYS', d.narrativeDays, 1, 36500),
    messageDays: integer(env, 'SCAMGRAPH_RETAIN_MESSAGE_DAYS', d.messageDays, 1, 36500),
    fingerprintDays: integer(env, 'SCAMGRAPH_RETAIN_FINGERPRINT_DAYS', Math.max(d.fingerprintDays, decayDays + 1), 1, 36500),
    sessionDays: integer(env, 'SCAMGRAPH_RETAIN_SESSION_DAYS', d.sessionDays, 1, 36500),
    usageDays: integer(env, 'SCAMGRAPH_RETAIN_USAGE_DAYS', d.usageDays, 1, 36500),
  };
  if (schedule.fingerprintDays <= decayDays) {
    throw new ConfigError(`SCAMGRAPH_RETAIN_FINGERPRINT_DAYS (${schedule.fingerprintDays}) must be more than SCAMGRAPH_DECAY_DAYS (${decayDays}): fingerprints of reports that still count cannot be re-keyed.`);
  }
  return Object.freeze(schedule);
}
