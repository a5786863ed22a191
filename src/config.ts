import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isSupportedRegion } from './modules/indicators/phone.js';

/** What makes a verdict (product.md, "Verdict levels"); every threshold can be set per deployment. */
export interface VerdictPolicy {
  /** Independent reports that make an indicator high risk on their own (SCAMGRAPH_HIGH_RISK_REPORTS, 3). */
  highRiskReports: number;
  /** Independent reports that make it suspicious (SCAMGRAPH_SUSPICIOUS_REPORTS, 1). */
  suspiciousReports: number;
  /** Days without a new report after which report-based evidence lapses (SCAMGRAPH_DECAY_DAYS, 180). */
  decayDays: number;
}

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
  /** Requests per minute and client address; 0 turns the limit off (SCAMGRAPH_REPORT_RATE 10, SCAMGRAPH_CHECK_RATE 600). */
  rateLimits: { reports: number; checks: number };
  /** Signed checkpoints of the audit log (docs/audit.md). */
  auditCheckpoints: AuditCheckpointConfig;
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

/** The only reader of process.env. Bad values stop the process with a message that names the variable. */
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
  const highRiskReports = integer(env, 'SCAMGRAPH_HIGH_RISK_REPORTS', 3, 1, 1000);
  const suspiciousReports = integer(env, 'SCAMGRAPH_SUSPICIOUS_REPORTS', 1, 1, highRiskReports);
  return Object.freeze({
    defaultRegion,
    production,
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.SCAMGRAPH_DATA || './.data',
    secretKey,
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    trustProxyHops: integer(env, 'SCAMGRAPH_TRUST_PROXY', 0, 0, 10),
    verdicts: Object.freeze({ highRiskReports, suspiciousReports, decayDays: integer(env, 'SCAMGRAPH_DECAY_DAYS', 180, 1, 36500) }),
    rateLimits: Object.freeze({ reports: integer(env, 'SCAMGRAPH_REPORT_RATE', 10, 0, 1e6), checks: integer(env, 'SCAMGRAPH_CHECK_RATE', 600, 0, 1e7) }),
    auditCheckpoints: Object.freeze({
      signingKeyFile: resolve(env.SCAMGRAPH_AUDIT_SIGNING_KEY || join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'scamgraph', 'audit-signing.key')),
      logFile: env.SCAMGRAPH_AUDIT_CHECKPOINTS ? resolve(env.SCAMGRAPH_AUDIT_CHECKPOINTS) : null,
      intervalMinutes: integer(env, 'SCAMGRAPH_CHECKPOINT_MINUTES', 15, 1, 7 * 24 * 60),
    }),
  });
}
