/**
 * The API's answers as TypeScript types, taken from the schemas that validate and document them, so that the
 * web client (web/src/api.ts, `import type` only: nothing of the server reaches the browser bundle) and the
 * server share one definition of each: a field the server drops or renames is a type error in the client.
 */
import type { Static } from 'typebox';
import type { PublicReportInput } from '../modules/reports/report.schema.js';
import type { Trends as TrendsAnswer } from '../modules/reports/trends.js';
import type { MessageReadingAnswer as MessageReadingAnswerSchema } from './routes/messages.routes.js';
import type { Held as ReportHeldSchema } from './routes/reporter-rights.routes.js';
import type {
  CheckResult as CheckResultSchema,
  ErrorBody as ErrorBodySchema,
  Kind as KindSchema,
  Label as LabelSchema,
  Level as LevelSchema,
  Lookalike as LookalikeSchema,
  Verdict as VerdictSchema,
} from './schemas.js';

/** A text in both languages. */
export type Label = Static<typeof LabelSchema>;
/** An indicator kind: phone, url, domain, …, sms_sender. */
export type Kind = Static<typeof KindSchema>;
/** A verdict level: high_risk, suspicious, no_record, verified. */
export type Level = Static<typeof LevelSchema>;
export type Verdict = Static<typeof VerdictSchema>;
export type Lookalike = Static<typeof LookalikeSchema>;
/** GET /api/v1/check, and each answered value of POST /api/v1/check. */
export type CheckResult = Static<typeof CheckResultSchema>;
/** Every refusal: `{error: {code, message}}`. */
export type ErrorBody = Static<typeof ErrorBodySchema>;
/** A value of POST /api/v1/check that could not be checked (the route's union of CheckResult and this). */
export interface CheckError {
  input: string;
  error: ErrorBody['error'];
}
/** The body of POST /api/v1/reports. */
export type NewReport = Static<typeof PublicReportInput>;
/** GET /api/v1/trends (the route answers the service's value as it is). */
export type Trends = TrendsAnswer;

import type { IssuedKeySchema, OrganisationListingSchema, UsageRowSchema } from './presenters/partners.presenter.js';
/** GET /api/v1/officer/partners: each organisation with its keys (never a key itself). */
export type OrganisationListing = Static<typeof OrganisationListingSchema>;
/** A key just made (POST /api/v1/officer/partners, …/keys): the token is in this answer only. */
export type IssuedKey = Static<typeof IssuedKeySchema>;
/** GET /api/v1/officer/partners/{id}/usage: calls per UTC day and route. */
export type PartnerUsageRow = Static<typeof UsageRowSchema>;

import type { NumberListBucket as NumberListBucketSchema, NumberListDescription as NumberListDescriptionSchema } from './routes/number-lists.routes.js';
/** GET /api/v1/partner/lists/{kind}: an on-device list's version, filter size and bucket naming. */
export type NumberListDescription = Static<typeof NumberListDescriptionSchema>;
/** GET /api/v1/partner/lists/{kind}/buckets/{bucket}: the bucket's keyed hashes, padded. */
export type NumberListBucket = Static<typeof NumberListBucketSchema>;

import type { ReportReceipt as ReportReceiptSchema } from './routes/reports.routes.js';
/** What POST /api/v1/reports answers: the reference and, once, the private status token. */
export type ReportReceipt = Static<typeof ReportReceiptSchema>;

/** POST /api/v1/messages/read: what a pasted message's wording suggests. */
export type MessageReadingAnswer = Static<typeof MessageReadingAnswerSchema>;

/** GET /api/v1/reports/status/:reference/data: everything held about a report, for its reporter. */
export type ReportHeldAnswer = Static<typeof ReportHeldSchema>;
