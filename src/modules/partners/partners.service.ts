import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { isKeyToken, keyHash, keyPrefix, newKeyToken } from './api-key.js';
import * as repo from './partners.repository.js';
import {
  ORGANISATION_TYPES,
  PARTNER_DEFAULTS,
  PARTNER_SCOPES,
  type IssuedKey,
  type KeyRefusal,
  type Organisation,
  type OrganisationType,
  type PartnerIdentity,
  type PartnerKey,
  type PartnerScope,
} from './partner.types.js';

const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N} .&'()-]{0,78}[\p{L}\p{N}.)]$/u;
const DAY_MS = 86_400_000;

export interface KeyRequest {
  scopes: readonly string[];
  /** Days until the key expires (PARTNER_DEFAULTS.keyDays when not given). */
  expiresDays?: number;
}

export interface NewOrganisation extends KeyRequest {
  name: string;
  type: string;
  requestsPerMinute?: number;
  dailyQuota?: number;
}

export interface Rotation {
  /** The key the new one replaces: it keeps working for `overlapHours`, then expires. */
  replaces: number;
  overlapHours?: number;
}

export interface OrganisationListing extends Organisation {
  keys: PartnerKey[];
}

function validScopes(scopes: readonly string[]): PartnerScope[] {
  const unknown = scopes.filter((s) => !(PARTNER_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', `Unknown scope ${unknown.map((s) => `“${s.slice(0, 40)}”`).join(', ')}: a partner key's scopes are ${PARTNER_SCOPES.join(', ')}.`);
  if (scopes.length === 0) throw new AppError('VALIDATION_FAILED', `A key needs at least one scope: ${PARTNER_SCOPES.join(', ')}.`);
  return [...new Set(scopes as PartnerScope[])];
}

function wholeIn(value: number | undefined, fallback: number, min: number, max: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new AppError('VALIDATION_FAILED', `${what} must be a whole number from ${min} to ${max}.`);
  return n;
}

function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 500) throw new AppError('VALIDATION_FAILED', 'A reason of 3 to 500 characters is needed: it goes into the audit log.');
  return trimmed;
}

/**
 * Partner organisations and their API keys. Every change is audited with its actor and reason in the same
 * transaction. Tokens are shown once, in the answer that makes them; only their hashes are stored.
 */
export class PartnersService {
  /** Told when a key is revoked or shortened through this process, so that key caches here forget at once. */
  private readonly keyListeners = new Set<() => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
  ) {}

  onKeysChanged(listener: () => void): void {
    this.keyListeners.add(listener);
  }

  /** Another node revoked or shortened a key: caches here forget what keys are at once, too. */
  keysChangedElsewhere(): void {
    for (const listener of this.keyListeners) listener();
  }

  private async changingKeys<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    for (const listener of this.keyListeners) listener();
    return result;
  }

  /** Adds an organisation and its first key. `actor`: `cli` or `user:NAME`. */
  async addOrganisation(actor: string, o: NewOrganisation, reason: string): Promise<{ organisation: Organisation; key: IssuedKey }> {
    const name = o.name.trim();
    if (!NAME_RE.test(name)) throw new AppError('VALIDATION_FAILED', 'An organisation name is 2 to 80 letters, digits, spaces or . & \' ( ) -, starting with a letter or digit.');
    if (!(ORGANISATION_TYPES as readonly string[]).includes(o.type)) throw new AppError('VALIDATION_FAILED', `The type must be one of ${ORGANISATION_TYPES.join(', ')}.`);
    const scopes = validScopes(o.scopes);
    const days = wholeIn(o.expiresDays, PARTNER_DEFAULTS.keyDays, 1, PARTNER_DEFAULTS.maxKeyDays, 'The key’s life in days');
    const requestsPerMinute = wholeIn(o.requestsPerMinute, PARTNER_DEFAULTS.requestsPerMinute, 0, 10_000_000, 'Requests per minute');
    const dailyQuota = wholeIn(o.dailyQuota, PARTNER_DEFAULTS.dailyQuota, 0, 2_000_000_000, 'The daily quota');
    const why = checkReason(reason);
    return this.db.transaction().execute(async (trx) => {
      const organisation = await repo.insertOrganisation(trx, { name, type: o.type as OrganisationType, requestsPerMinute, dailyQuota });
      if (organisation === undefined) throw new AppError('ORGANISATION_EXISTS', `An organisation called “${name}” exists already.`);
      await appendAudit(trx, this.auditKey, { actor, action: 'partner.add', subject: `organisation:${name}`, details: { type: o.type, requestsPerMinute, dailyQuota, reason: why } });
      const key = await this.issue(trx, actor, organisation, scopes, days, why);
      return { organisation, key };
    });
  }

  /** A new key for an organisation; with `rotation`, the key it replaces expires after the overlap. */
  async createKey(actor: string, organisationId: number, request: KeyRequest, reason: string, rotation?: Rotation): Promise<{ key: IssuedKey; replaced: PartnerKey | null }> {
    const scopes = validScopes(request.scopes);
    const days = wholeIn(request.expiresDays, PARTNER_DEFAULTS.keyDays, 1, PARTNER_DEFAULTS.maxKeyDays, 'The key’s life in days');
    const overlapHours = rotation === undefined ? 0 : wholeIn(rotation.overlapHours, PARTNER_DEFAULTS.overlapHours, 0, PARTNER_DEFAULTS.maxOverlapHours, 'The overlap in hours');
    const why = checkReason(reason);
    return this.changingKeys(this.db.transaction().execute(async (trx) => {
      const organisation = await this.organisation({ id: organisationId }, trx);
      let replaced: PartnerKey | null = null;
      if (rotation !== undefined) {
        const old = await repo.findKeyForUpdate(trx, rotation.replaces);
        if (old === undefined || old.organisationId !== organisation.id) throw new AppError('NOT_FOUND', `${organisation.name} has no key ${rotation.replaces}.`);
        if (old.revokedAt !== null) throw new AppError('INVALID_TRANSITION', `Key ${old.id} is revoked already; make a new key without replacing it.`);
        const until = new Date(Math.min(old.expiresAt.getTime(), Date.now() + overlapHours * 3_600_000));
        await repo.setKeyTimes(trx, old.id, { expiresAt: until });
        replaced = { ...old, expiresAt: until };
      }
      const key = await this.issue(trx, actor, organisation, scopes, days, why, replaced);
      return { key, replaced };
    }));
  }

  /** Revokes a key of an organisation: refused on every node once their one-second caches lapse. */
  async revokeKey(actor: string, organisationId: number, keyId: number, reason: string): Promise<PartnerKey> {
    const why = checkReason(reason);
    return this.changingKeys(this.db.transaction().execute(async (trx) => {
      const organisation = await this.organisation({ id: organisationId }, trx);
      const key = await repo.findKeyForUpdate(trx, keyId);
      if (key === undefined || key.organisationId !== organisation.id) throw new AppError('NOT_FOUND', `${organisation.name} has no key ${keyId}.`);
      if (key.revokedAt !== null) throw new AppError('INVALID_TRANSITION', `Key ${key.id} is revoked already.`);
      const revokedAt = new Date();
      await repo.setKeyTimes(trx, key.id, { revokedAt });
      await appendAudit(trx, this.auditKey, { actor, action: 'partner.key.revoke', subject: `organisation:${organisation.name}`, details: { key: key.id, prefix: key.prefix, reason: why } });
      return { ...key, revokedAt };
    }));
  }

  /** Every organisation with its keys (the console's and `partner list`'s view). */
  async list(): Promise<OrganisationListing[]> {
    const organisations = await repo.listOrganisations(this.db);
    const keys = await repo.listKeys(this.db);
    return organisations.map((o) => ({ ...o, keys: keys.filter((k) => k.organisationId === o.id) }));
  }

  async organisation(by: { id: number } | { name: string }, db: Kysely<Database> | Transaction<Database> = this.db): Promise<Organisation> {
    const found = await repo.findOrganisation(db, by);
    if (found === undefined) throw new AppError('NOT_FOUND', 'id' in by ? `There is no organisation ${by.id}.` : `There is no organisation called “${by.name}”.`);
    return found;
  }

  /** Calls per day and route over the last `days` UTC days (today included). */
  usage(organisationId: number | undefined, days: number, now = Date.now()): Promise<repo.UsageRow[]> {
    const since = new Date(now - (now % DAY_MS) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    return repo.usageSince(this.db, since, organisationId);
  }

  /** What a bearer token is: a live key's identity, or why it is refused. */
  async authenticate(token: string, now = new Date()): Promise<PartnerIdentity | KeyRefusal> {
    if (!isKeyToken(token)) return 'unknown';
    const row = await repo.findKeyByHash(this.db, keyHash(token));
    if (row === undefined) return 'unknown';
    if (row.revoked_at !== null) return 'revoked';
    if (row.disabled_at !== null) return 'disabled';
    if (row.expires_at.getTime() <= now.getTime()) return 'expired';
    return Object.freeze({
      keyId: row.id,
      organisation: Object.freeze({ id: row.organisation_id, name: row.name, type: row.type as OrganisationType, requestsPerMinute: row.requests_per_minute, dailyQuota: row.daily_quota }),
      scopes: Object.freeze(row.scopes as PartnerScope[]),
      expiresAt: row.expires_at,
    });
  }

  private async issue(trx: Transaction<Database>, actor: string, organisation: Organisation, scopes: PartnerScope[], days: number, reason: string, replaced: PartnerKey | null = null): Promise<IssuedKey> {
    const token = newKeyToken();
    const key = await repo.insertKey(trx, { organisationId: organisation.id, hash: keyHash(token), prefix: keyPrefix(token), scopes, expiresAt: new Date(Date.now() + days * DAY_MS) });
    await appendAudit(trx, this.auditKey, {
      actor,
      action: 'partner.key.create',
      subject: `organisation:${organisation.name}`,
      details: { key: key.id, prefix: key.prefix, scopes, expiresAt: key.expiresAt.toISOString(), reason, ...(replaced === null ? {} : { replaces: replaced.id, replacedUntil: replaced.expiresAt.toISOString() }) },
    });
    return { ...key, token };
  }
}
