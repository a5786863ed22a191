import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { PublicReportInput } from '../../modules/reports/report.schema.js';
import type { ReportService } from '../../modules/reports/reports.service.js';
import { SCAM_TIPS } from '../../modules/reports/scam-tips.js';
import { CHANNELS, INDICATOR_ROLES, SCAM_TYPE_CODES, SCAM_TYPES } from '../../modules/reports/taxonomy.js';
import type { TrendsService } from '../../modules/reports/trends.js';
import { perMinute } from '../rate-limit.js';
import { refusals } from '../route-contract.js';
import { Kind, Label, ReportReference } from '../schemas.js';

/** The answer to a new report (POST /api/v1/reports). */
export const ReportReceipt = Type.Object({
  reference: Type.String(),
  statusToken: Type.String({ description: 'Private: with the reference it opens the status page. Shown once.' }),
  statusUrl: Type.String({
    description: 'The private status page (/status/REFERENCE#TOKEN): the token is in the fragment, which browsers never send, so no server or proxy log holds it.',
  }),
  status: Type.String(),
  indicators: Type.Array(
    Type.Object({ key: Type.String(), kind: Kind, canonical: Type.String(), role: Type.Union([Type.String(), Type.Null()]), extracted: Type.Boolean() }),
  ),
  screened: Type.Optional(
    Type.Array(Type.Object({ kind: Type.String(), count: Type.Integer() }), {
      description: "What was removed from the narrative before storage as the reporter's own (hkid, card_number, card_security_code, one_time_code, pin, password) and how many; absent when nothing was.",
    }),
  ),
});

/** Public intake: submit a report, follow its status with the private token, read the vocabularies. */
export function reportRoutes(reports: ReportService, trends: TrendsService, rateLimit: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/reports',
      {
        config: perMinute(rateLimit),
        schema: {
          tags: ['public'],
          summary: 'Report a scam',
          body: PublicReportInput,
          response: {
            201: ReportReceipt,
          },
        },
      },
      async (request, reply) => {
        const submitted = await reports.submit(request.body, request.ip);
        const statusUrl = `/status/${submitted.reference}#${submitted.statusToken}`;
        return reply.status(201).send({ ...submitted, statusUrl });
      },
    );

    app.get(
      '/reports/status/:reference',
      {
        // Each lookup costs a query; guessing references is pointless (a 192-bit token is needed) but not free.
        config: perMinute(rateLimit > 0 ? rateLimit * 6 : 0),
        schema: {
          tags: ['public'],
          summary: "A report's status, for the person who made it",
          params: Type.Object({ reference: ReportReference }),
          querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
          headers: Type.Object({ 'x-status-token': Type.Optional(Type.String({ maxLength: 100 })) }),
          response: {
            200: Type.Object({ reference: Type.String(), status: Type.String(), statusText: Label, receivedAt: Type.String(), updatedAt: Type.String() }),
            ...refusals(404),
          },
        },
      },
      async (request) => {
        const token = request.headers['x-status-token'] ?? request.query.token;
        if (token === undefined) throw new AppError('NOT_FOUND', 'No report with this reference and status token.');
        return reports.status(request.params.reference, token);
      },
    );

    app.get(
      '/taxonomy',
      {
        schema: {
          tags: ['public'],
          summary: 'Scam types, channels and indicator roles, in English and Traditional Chinese',
          response: {
            200: Type.Object({
              scamTypes: Type.Record(Type.String(), Label, { description: 'Label of each scam type, by code' }),
              channels: Type.Record(Type.String(), Label, { description: 'Label of each channel, by code' }),
              roles: Type.Array(Type.String()),
            }),
          },
        },
      },
      async () => ({ scamTypes: SCAM_TYPES, channels: CHANNELS, roles: [...INDICATOR_ROLES] }),
    );

    app.get(
      '/tips',
      {
        schema: {
          tags: ['public'],
          summary: 'How to recognise and avoid each scam type, in English and Traditional Chinese',
          response: { 200: Type.Object({ tips: Type.Array(Type.Object({ scamType: Type.String(), label: Label, signs: Label, tips: Type.Array(Label) })) }) },
        },
      },
      async () => ({ tips: SCAM_TYPE_CODES.map((scamType) => ({ scamType, label: SCAM_TYPES[scamType], ...SCAM_TIPS[scamType] })) }),
    );

    app.get(
      '/trends',
      {
        schema: {
          tags: ['public'],
          summary: 'People reporting each scam type in the 7 days before today and the 7 before; counts under 10 never published, others rounded down to 5',
          response: {
            200: Type.Object({
              windowDays: Type.Integer(),
              smallestPublished: Type.Integer(),
              roundedTo: Type.Integer(),
              until: Type.String(),
              types: Type.Array(Type.Object({ scamType: Type.String(), label: Label, recent: Type.Integer(), previous: Type.Union([Type.Integer(), Type.Null()]) })),
            }),
          },
        },
      },
      async () => trends.current(),
    );
  };
}
