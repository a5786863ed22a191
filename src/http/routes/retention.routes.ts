import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { RetentionService } from '../../modules/retention/retention.service.js';
import { actorOf, requireScope } from '../auth.js';
import { refusals } from '../route-contract.js';
import { ReportReference } from '../schemas.js';
import { Patterned } from '../validation-messages.js';
import { Why } from './officer.schemas.js';

const Day = Patterned('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', 'a day written YYYY-MM-DD');

/** Legal holds: a report kept whole past its retention until a day, placed and lifted by officers with a reason, audited. */
export function retentionRoutes(auth: AuthService, retention: RetentionService): FastifyPluginAsyncTypebox {
  const read = requireScope(auth, 'cases:read');
  const act = requireScope(auth, 'cases:act');
  return async (app) => {
    app.get(
      '/holds',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'The legal holds in force',
          response: { 200: Type.Object({ holds: Type.Array(Type.Object({ id: Type.Integer(), reference: Type.String(), reason: Type.String(), until: Type.String(), placedBy: Type.String(), placedAt: Type.String() })) }) },
        },
      },
      async () => ({ holds: (await retention.holds()).map((h) => ({ ...h, placedAt: h.placedAt.toISOString() })) }),
    );

    app.post(
      '/reports/:reference/hold',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Place a legal hold: the report, its contact, narrative and fingerprints are kept whole until the day given, whatever the retention schedule says',
          params: Type.Object({ reference: ReportReference }),
          body: Type.Object({ until: Day, reason: Why }, { additionalProperties: false }),
          response: { 200: Type.Object({ id: Type.Integer() }), ...refusals(400, 404) },
        },
      },
      async (request) => retention.hold(actorOf(request), request.params.reference, request.body.until, request.body.reason),
    );

    app.post(
      '/reports/:reference/hold/lift',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Lift a report’s legal holds: the retention schedule applies to it again',
          params: Type.Object({ reference: ReportReference }),
          body: Type.Object({ reason: Why }, { additionalProperties: false }),
          response: { 200: Type.Object({ lifted: Type.Boolean({ description: 'false: no hold was in force (nothing written).' }) }) },
        },
      },
      async (request) => retention.lift(actorOf(request), request.params.reference, request.body.reason),
    );
  };
}
