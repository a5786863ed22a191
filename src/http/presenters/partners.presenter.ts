import Type from 'typebox';
import { ORGANISATION_TYPES, PARTNER_SCOPES, type IssuedKey, type Organisation, type PartnerKey } from '../../modules/partners/partner.types.js';
import type { OrganisationListing } from '../../modules/partners/partners.service.js';
import { Nullable } from '../schemas.js';

export const PartnerKeySchema = Type.Object({
  id: Type.Integer(),
  prefix: Type.String({ description: 'The first characters of the key: enough to tell keys apart, useless to call with.' }),
  scopes: Type.Array(Type.Enum(PARTNER_SCOPES)),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  status: Type.Enum(['active', 'expired', 'revoked']),
});

export const IssuedKeySchema = Type.Object({
  ...PartnerKeySchema.properties,
  token: Type.String({ description: 'The key itself: shown in this answer only, stored nowhere (only its SHA-256).' }),
});

export const OrganisationSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  type: Type.Enum(ORGANISATION_TYPES),
  requestsPerMinute: Type.Integer({ description: 'On each node; 0: no limit.' }),
  dailyQuota: Type.Integer({ description: 'Calls per UTC day on all nodes together; 0: no quota.' }),
  createdAt: Type.String({ format: 'date-time' }),
  disabledAt: Nullable(Type.String({ format: 'date-time' })),
});

export const OrganisationListingSchema = Type.Object({ ...OrganisationSchema.properties, keys: Type.Array(PartnerKeySchema) });

export function presentKey(key: PartnerKey, now = Date.now()) {
  const status = key.revokedAt !== null ? 'revoked' : key.expiresAt.getTime() <= now ? 'expired' : 'active';
  return {
    id: key.id,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    status: status as 'active' | 'expired' | 'revoked',
  };
}

export const presentIssuedKey = (key: IssuedKey) => ({ ...presentKey(key), token: key.token });

export function presentOrganisation(o: Organisation) {
  return { id: o.id, name: o.name, type: o.type, requestsPerMinute: o.requestsPerMinute, dailyQuota: o.dailyQuota, createdAt: o.createdAt.toISOString(), disabledAt: o.disabledAt?.toISOString() ?? null };
}

export const presentListing = (o: OrganisationListing) => ({ ...presentOrganisation(o), keys: o.keys.map((k) => presentKey(k)) });

export const UsageRowSchema = Type.Object({ organisationId: Type.Integer(), day: Type.String({ format: 'date' }), route: Type.String(), calls: Type.Integer(), refused: Type.Integer() });
