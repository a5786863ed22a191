import Type, { type Static } from 'typebox';
import { INDICATOR_KINDS } from '../indicators/index.js';
import { CHANNEL_CODES, INDICATOR_ROLES, SCAM_TYPE_CODES } from './taxonomy.js';

/** JSON schemas of what reports accept, shared by the HTTP routes (and their OpenAPI document) and the importer. */
export const MAX_NARRATIVE = 10_000;
export const MAX_INDICATORS = 50;
export const MAX_VALUE = 2048;

export const IndicatorInput = Type.Object(
  {
    value: Type.String({ minLength: 1, maxLength: MAX_VALUE, description: 'A number, link, e-mail, account, wallet, handle, ...' }),
    kind: Type.Optional(Type.Enum(INDICATOR_KINDS, { description: 'Detected when left out.' })),
    role: Type.Optional(Type.Enum(INDICATOR_ROLES)),
  },
  { additionalProperties: false },
);

export const Loss = Type.Object(
  {
    amount: Type.Number({ minimum: 0, maximum: 1e12 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. HKD' }),
  },
  { additionalProperties: false },
);

const Channel = Type.Enum(CHANNEL_CODES);
const ScamTypeSchema = Type.Enum(SCAM_TYPE_CODES);

export const ContactInput = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    consent: Type.Literal(true, { description: 'The reporter agrees to be contacted about this report.' }),
  },
  { additionalProperties: false },
);

/** A report from the public (POST /api/v1/reports). */
export const PublicReportInput = Type.Object(
  {
    scamType: ScamTypeSchema,
    channel: Channel,
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    narrative: Type.String({ maxLength: MAX_NARRATIVE, description: 'What happened; links, numbers and accounts in it are extracted.' }),
    loss: Type.Optional(Loss),
    indicators: Type.Array(IndicatorInput, { maxItems: MAX_INDICATORS }),
    contact: Type.Optional(ContactInput),
    clientToken: Type.Optional(Type.String({ minLength: 16, maxLength: 128, description: 'A random id the reporting app keeps, so its reports count once.' })),
  },
  { additionalProperties: false },
);
export type PublicReportInput = Static<typeof PublicReportInput>;

/** One line of a report import (JSON Lines, or CSV with the same columns). */
export const ImportedReport = Type.Object(
  {
    externalId: Type.String({ minLength: 1, maxLength: 200 }),
    receivedAt: Type.String({ format: 'date-time' }),
    channel: Channel,
    scamType: ScamTypeSchema,
    narrative: Type.Optional(Type.String({ maxLength: MAX_NARRATIVE })),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    loss: Type.Optional(Type.Union([Loss, Type.Null()])),
    indicators: Type.Array(IndicatorInput, { maxItems: MAX_INDICATORS }),
    /** What identifies the reporter at the source (hashed, never stored): reports sharing it count once. */
    reporter: Type.Optional(Type.String({ maxLength: 320 })),
  },
  { additionalProperties: false },
);
export type ImportedReport = Static<typeof ImportedReport>;
