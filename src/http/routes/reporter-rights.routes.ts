import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import type { ReporterRights } from '../../modules/reports/reporter-rights.service.js';
import { perMinute } from '../rate-limit.js';
import { refusals } from '../route-contract.js';
import { Label, ReportReference } from '../schemas.js';

const Params = Type.Object({ reference: ReportReference });
const TokenHeader = Type.Object({ 'x-status-token': Type.Optional(Type.String({ maxLength: 100, description: 'The private status token from the report’s receipt.' })) });
const Text = (max: number) => Type.String({ maxLength: max });
const ContactSchema = Type.Object({ name: Type.Optional(Text(200)), email: Type.Optional(Text(320)), phone: Type.Optional(Text(40)) }, { additionalProperties: false });

export const Held = Type.Object({
  reference: Type.String(),
  receivedAt: Type.String(),
  occurredAt: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String(),
  scamType: Type.String(),
  narrative: Type.String(),
  loss: Type.Union([Type.Object({ amount: Type.String(), currency: Type.String() }), Type.Null()]),
  status: Type.String(),
  statusText: Label,
  indicators: Type.Array(Type.Object({ kind: Type.String(), canonical: Type.String(), role: Type.Union([Type.String(), Type.Null()]), extracted: Type.Boolean() })),
  contact: Type.Union([ContactSchema, Type.Null()]),
  message: Type.Union([Type.Object({ channel: Type.String(), text: Type.String(), subject: Type.Union([Type.String(), Type.Null()]), sender: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  accesses: Type.Object({ reads: Type.Integer(), contactReads: Type.Integer() }, { description: 'How often officers opened the report, and its contact details (each with a reason, in the audit log).' }),
  legalHold: Type.Boolean(),
  retention: Type.Object({ contactUntil: Type.Union([Type.String(), Type.Null()]), narrativeUntil: Type.String(), fingerprintUntil: Type.String() }, { description: 'When the retention schedule removes each part (YYYY-MM-DD).' }),
});

const tokenOf = (headers: { 'x-status-token'?: string }): string => {
  const token = headers['x-status-token'];
  if (token === undefined) throw new AppError('NOT_FOUND', 'No report with this reference and status token.');
  return token;
};

/** The reporter's rights with the private status link: see and download what is held, correct the contact, withdraw. */
export function reporterRightsRoutes(rights: ReporterRights, rateLimit: number): FastifyPluginAsyncTypebox {
  // Each call costs queries; guessing needs a 192-bit token, but is not free.
  const config = perMinute(rateLimit > 0 ? rateLimit * 6 : 0);
  return async (app) => {
    app.get(
      '/reports/status/:reference/data',
      {
        config,
        schema: { tags: ['public'], summary: 'Everything held about a report, for the person who made it (the status page’s view and its JSON download)', params: Params, headers: TokenHeader, response: { 200: Held, ...refusals(404) } },
      },
      async (request) => rights.held(request.params.reference, tokenOf(request.headers)),
    );

    app.post(
      '/reports/status/:reference/contact',
      {
        config,
        schema: {
          tags: ['public'],
          summary: 'Correct the contact details given with a report (none given: they are removed)',
          params: Params,
          headers: TokenHeader,
          body: Type.Object({ contact: ContactSchema }, { additionalProperties: false }),
          response: { 200: Type.Object({ contact: Type.Union([ContactSchema, Type.Null()]) }), ...refusals(404) },
        },
      },
      async (request) => rights.correctContact(request.params.reference, tokenOf(request.headers), request.body.contact),
    );

    app.post(
      '/reports/status/:reference/withdraw',
      {
        config,
        schema: {
          tags: ['public'],
          summary: 'Withdraw a report: it and its contact are erased, the evidence it gave is removed and the verdicts follow',
          params: Params,
          headers: TokenHeader,
          body: Type.Object({ confirm: Type.Literal(true) }, { additionalProperties: false }),
          response: { 200: Type.Object({ withdrawn: Type.Literal(true), reports: Type.Integer(), entries: Type.Integer() }), ...refusals(404, 409) },
        },
      },
      async (request) => rights.withdraw(request.params.reference, tokenOf(request.headers)),
    );
  };
}
