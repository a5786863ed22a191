import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { SenderRegistryService } from '../../modules/senders/sender-registry.service.js';
import type { StoredRegistryEntry } from '../../modules/senders/sender-registry.types.js';
import { actorOf, requireScope } from '../auth.js';
import { requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { refusals } from '../route-contract.js';
import { Count, Why } from './officer.schemas.js';

const RegistryEntrySchema = Type.Object({
  senderId: Type.String(),
  organisation: Type.String(),
  status: Type.Enum(['active', 'suspended']),
  registeredOn: Type.String({ description: 'YYYY-MM-DD, a Hong Kong day' }),
  expiresOn: Type.Union([Type.String(), Type.Null()], { description: 'The last day in force (YYYY-MM-DD); null when open-ended.' }),
  inForce: Type.Boolean({ description: 'Active and within its dates today: messages from it are genuine.' }),
  updatedAt: Type.String(),
});

const SenderId = Type.String({ minLength: 2, maxLength: 16, description: 'A registered sender ID, with its #: #HSBC' });

/** Today as a Hong Kong day (the registry's dates are Hong Kong days). */
const hongKongDay = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

function present(entry: StoredRegistryEntry, today = hongKongDay(new Date())) {
  return {
    senderId: entry.senderId,
    organisation: entry.organisation,
    status: entry.status,
    registeredOn: entry.registeredOn,
    expiresOn: entry.expiresOn,
    inForce: entry.status === 'active' && entry.registeredOn <= today && (entry.expiresOn === null || entry.expiresOn >= today),
    updatedAt: entry.updatedAt.toISOString(),
  };
}

/** The SMS Sender Registry in the console: anyone signed in reads it, administrators (registry:manage) change it. */
export function senderRegistryRoutes(auth: AuthService, senders: SenderRegistryService): FastifyPluginAsyncTypebox {
  const read = requireScope(auth, 'cases:read');
  const manage = requireScope(auth, 'registry:manage');
  return async (app) => {
    app.get(
      '/senders',
      {
        onRequest: read,
        schema: { tags: ['officer'], summary: 'The SMS Sender Registry: every registered sender ID, its organisation, status and dates', response: { 200: Type.Object({ senders: Type.Array(RegistryEntrySchema) }) } },
      },
      async () => ({ senders: (await senders.list()).map((e) => present(e)) }),
    );

    app.post(
      '/senders/import',
      {
        onRequest: manage,
        schema: {
          tags: ['officer'],
          summary: 'Import the registry from its CSV (sender_id,organisation,status,registered_on,expires_on): all or nothing, idempotent, audited',
          description: 'A file with any bad row stores nothing: the refusal (INVALID_SENDER_REGISTRY) lists each row with its line and code. Rows not in the file are left as they are.',
          body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 900_000 }), reason: Why }, { additionalProperties: false }),
          response: {
            200: Type.Object({ added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), protected: Type.Array(Type.String()), unprotected: Type.Array(Type.String()), changed: Type.Boolean() }),
            ...refusals(400),
          },
        },
      },
      async (request) => senders.importCsv(actorOf(request), request.body.csv, request.body.reason),
    );

    for (const [action, status] of [
      ['suspend', 'suspended'],
      ['reinstate', 'active'],
    ] as const) {
      app.post(
        `/senders/${action}`,
        {
          onRequest: manage,
          schema: {
            tags: ['officer'],
            summary: action === 'suspend' ? 'Suspend a registered sender: it stops being verified, and gateways refuse its # ID' : 'Reinstate a suspended sender',
            body: Type.Object({ senderId: SenderId, reason: Why }, { additionalProperties: false }),
            response: { 200: Type.Object({ sender: RegistryEntrySchema, changed: Type.Boolean({ description: 'false: it was so already (nothing written).' }) }), ...refusals(400, 404) },
          },
        },
        async (request) => {
          const result = await senders.setStatus(actorOf(request), request.body.senderId, status, request.body.reason);
          return { sender: present(result.entry), changed: result.changed };
        },
      );
    }
  };
}

/** The registry for telcos' SMS gateways (feeds:read), so they can refuse spoofed and suspended # senders. */
export function senderRegistryFeedRoutes(gate: PartnerGate, senders: SenderRegistryService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/partner/feeds/sms-senders',
      {
        onRequest: requirePartnerScope(gate, 'feeds:read'),
        schema: {
          tags: ['partner'],
          summary: 'The SMS Sender Registry: from since=0 every entry, with a cursor the entries changed after it',
          description: 'A gateway lets a # sender through only when its entry is inForce; any other # ID is a spoof (Hong Kong’s SMS Sender Registration Scheme). Keep `cursor` for the next call.',
          querystring: Type.Object({ since: Type.Optional(Count(1_000_000_000_000)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ cursor: Type.Integer(), senders: Type.Array(RegistryEntrySchema) }), ...refusals(401, 403) },
        },
      },
      async (request) => {
        const since = Number(request.query.since ?? 0);
        const changed = await senders.changesSince(since);
        return { cursor: changed.reduce((max, e) => Math.max(max, e.seq), since), senders: changed.map((e) => present(e)) };
      },
    );
  };
}
