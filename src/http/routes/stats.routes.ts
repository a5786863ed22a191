import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { ClusterService } from '../../modules/clusters/clusters.service.js';
import { requireScope } from '../auth.js';
import { Nullable } from '../schemas.js';
import { Patterned } from '../validation-messages.js';

const Days = Patterned('^([1-9]|[1-9][0-9]|[1-2][0-9][0-9]|3[0-5][0-9]|36[0-5])$', 'a whole number of days from 1 to 365');

/** The console's dashboard figures. */
export function statsRoutes(auth: AuthService, clusters: ClusterService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/stats',
      {
        onRequest: requireScope(auth, 'cases:read'),
        schema: {
          tags: ['officer'],
          summary: 'Reports per day by type, losses, checks per day, top clusters and their growth, suggestion accuracy',
          querystring: Type.Object({ days: Type.Optional(Days) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              days: Type.Integer(),
              reportsPerDay: Type.Array(Type.Object({ day: Type.String(), scamType: Type.String(), reports: Type.Integer() })),
              lossesPerDay: Type.Array(Type.Object({ day: Type.String(), currency: Type.String(), amount: Type.String() })),
              checksPerDay: Type.Array(Type.Object({ day: Type.String(), checks: Type.Integer() })),
              topClusters: Type.Array(Type.Object({ id: Type.Integer(), reportCount: Type.Integer(), lastWeek: Type.Integer(), weekBefore: Type.Integer() })),
              suggestions: Type.Object({ labelled: Type.Integer(), agreeing: Type.Integer(), accuracy: Nullable(Type.Number()), agreeingWhenLabelled: Type.Integer() }),
            }),
          },
        },
      },
      async (request) => clusters.stats(Number(request.query.days ?? 30)),
    );
  };
}
