import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { DISPUTE_REQUESTS, DISPUTE_STATUSES } from '../../modules/disputes/disputes.types.js';
import { ORGANISATION_TYPES } from '../../modules/partners/partner.types.js';
import type { TransparencyService } from '../../modules/transparency/transparency.service.js';
import { CONTACT_SUBJECTS, DELETED_KINDS, REPORT_SOURCES, UNFLAG_REASONS } from '../../modules/transparency/transparency.types.js';
import { ifNoneMatch } from '../if-none-match.js';
import { Kind, Label } from '../schemas.js';

const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'null: under `smallestPublished` (not published); else rounded down to a multiple of `roundedTo`.' });
const Counts = Type.Array(Count, { description: 'One per month of `months`.' });
const Series = <const Names extends readonly string[]>(names: Names) => Type.Array(Type.Object({ name: Type.Enum(names), counts: Counts }));

/** GET /api/v1/transparency's answer (transparency.types.ts says what each figure counts). */
export const TransparencyAnswer = Type.Object({
  from: Type.String({ description: 'The first day counted (UTC).' }),
  until: Type.String({ description: 'The day after the last counted (UTC): the report counts whole days.' }),
  months: Type.Array(Type.String(), { description: 'The 12 calendar months counted (YYYY-MM, UTC), oldest first.' }),
  smallestPublished: Type.Integer(),
  roundedTo: Type.Integer(),
  checks: Counts,
  reports: Series(REPORT_SOURCES),
  flagged: Type.Array(Type.Object({ kind: Kind, high_risk: Count, suspicious: Count }), { description: 'Values flagged now.' }),
  unflagged: Series(UNFLAG_REASONS),
  disputes: Type.Object({
    received: Series(DISPUTE_REQUESTS),
    outcomes: Type.Array(Type.Object({ request: Type.Enum(DISPUTE_REQUESTS), status: Type.Enum(DISPUTE_STATUSES), count: Count })),
  }),
  contactReads: Series(CONTACT_SUBJECTS),
  partnerCalls: Series(ORGANISATION_TYPES),
  deletions: Series(DELETED_KINDS),
  legalHolds: Type.Object({ inForce: Count, placed: Counts }),
  inventory: Type.Array(
    Type.Object({ data: Type.String(), label: Label, why: Label, kept: Label, days: Type.Union([Type.Integer(), Type.Null()]), who: Label }),
    { description: 'What is collected, why, for how long and who can see it, from the retention schedule in force.' },
  ),
});

/** The public transparency report: no sign-in; cacheable (the counts change once a day, recomputed at most every 10 minutes). */
export function transparencyRoutes(transparency: TransparencyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/transparency',
      {
        schema: {
          tags: ['public'],
          summary: 'The transparency report: checks, reports, flagged values, lapses, disputes, contact reveals, partner calls, deletions, legal holds per month; the data inventory',
          description:
            'The last 12 calendar months (UTC) up to the start of today. A count under `smallestPublished` (10) is null, the others are rounded down to a multiple of `roundedTo` (5), as in /trends. Send the ETag back in If-None-Match: 304 while the report is unchanged.',
          response: { 200: TransparencyAnswer, 304: { description: 'Not modified.', type: 'null' } },
        },
      },
      async (request, reply) => {
        const { report, version } = await transparency.current();
        const etag = `"${version}"`;
        // Aggregates only, the same for everyone: shared caches may keep it for a few minutes.
        void reply.headers({ etag, 'cache-control': 'public, max-age=300' });
        if (ifNoneMatch(request.headers['if-none-match'], etag)) return (reply as unknown as FastifyReply).code(304).send();
        return report;
      },
    );
  };
}
