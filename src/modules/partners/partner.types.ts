/** The kinds of organisation that act on verdicts (issue 13). */
export const ORGANISATION_TYPES = ['bank', 'wallet', 'telco', 'platform', 'app', 'peer_centre'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/**
 * What a partner key may do. A key holds only the scopes it was made with; routes ask for one each.
 * - `payee:check`: the payee check before a transfer;
 * - `outcomes:write`: what happened after a payee check, and what a telco or platform did about a value;
 * - `calls:screen`: call and SMS screening for telcos;
 * - `accounts:share`: share and withdraw suspected mule accounts;
 * - `feeds:read` / `lists:read`: block-list feeds, and hashed lists for browsers and apps;
 * - `webhooks:manage`: subscribe to verdict changes;
 * - `messages:forward`: an SMS gateway (a short code like 7726) forwarding the messages people send it.
 */
export const PARTNER_SCOPES = ['payee:check', 'outcomes:write', 'accounts:share', 'feeds:read', 'lists:read', 'webhooks:manage', 'calls:screen', 'messages:forward'] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

/** Defaults of a new organisation's limits and a new key's life. */
export const PARTNER_DEFAULTS = Object.freeze({
  /** On each node: a payee check per transfer of a large bank fits well inside. */
  requestsPerMinute: 60_000,
  /** Calls per UTC day across nodes. */
  dailyQuota: 10_000_000,
  keyDays: 365,
  /** The longest a key may live: keys are rotated, not kept. */
  maxKeyDays: 730,
  /** How long the key a rotation replaces keeps working beside the new one. */
  overlapHours: 24,
  maxOverlapHours: 24 * 30,
});

export interface Organisation {
  id: number;
  name: string;
  type: OrganisationType;
  requestsPerMinute: number;
  dailyQuota: number;
  createdAt: Date;
  disabledAt: Date | null;
}

/** A key as lists show it: never the token nor its hash. */
export interface PartnerKey {
  id: number;
  organisationId: number;
  /** The token's first characters (`sgp_` and 8 more): enough to tell keys apart, useless to call with. */
  prefix: string;
  scopes: PartnerScope[];
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** A key just made: the token is in this answer and nowhere else. */
export interface IssuedKey extends PartnerKey {
  token: string;
}

/** What a valid key stands for, as the partner guard sees it. */
export interface PartnerIdentity {
  keyId: number;
  organisation: Pick<Organisation, 'id' | 'name' | 'type' | 'requestsPerMinute' | 'dailyQuota'>;
  scopes: readonly PartnerScope[];
  expiresAt: Date;
}

/** Why a token is refused; the message says which, since only the key's holder can learn it. */
export type KeyRefusal = 'unknown' | 'expired' | 'revoked' | 'disabled';
