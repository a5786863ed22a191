import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { HASH_LISTS, type HashLists, type ListUpdate, PREFIX_BYTES } from '../../modules/lists/hash-lists.js';
import { riceEncode } from '../../modules/lists/rice.js';
import type { Verdict } from '../../modules/verdicts/verdict.types.js';
import { decodeMessage, encodeMessage, type SafeBrowsingMessage } from '../../modules/lists/safe-browsing-proto.js';
import { requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { API_HEADERS } from '../security-headers.js';
import { Patterned } from '../validation-messages.js';

/**
 * The Safe Browsing v4 Update API over Scamgraph's hashed link lists, so that existing Safe Browsing clients
 * work unchanged (developers.google.com/safe-browsing/v4/update-api): `threatLists`, `threatListUpdates:fetch`
 * and `fullHashes:find`, in the API's JSON (proto3 JSON mapping: bytes as base64, int64 as strings, durations
 * as "300s") or, with `alt=proto`, its protobuf; requests in either (Content-Type application/x-protobuf). The key is a partner key with `lists:read`, sent as `?key=` like Google's, or as
 * `Authorization: Bearer`. Like TAXII and MISP these routes follow another's specification, so they are described
 * in docs/lists.md rather than in /api/openapi.json.
 */

/** How long a client waits between updates, and keeps a full-hash answer (positive and negative). */
const MINIMUM_WAIT = '120s';
const PROTOBUF = 'application/x-protobuf';
const REQUEST_MESSAGES: Record<string, SafeBrowsingMessage> = {
  '/safebrowsing/v4/threatListUpdates::fetch': 'FetchThreatListUpdatesRequest',
  '/safebrowsing/v4/fullHashes::find': 'FindFullHashesRequest',
};
const CACHE_DURATION = '300s';

const Base64 = Patterned('^[A-Za-z0-9+/_-]{0,1024}={0,2}$', 'base64 (standard or URL-safe), at most 1,024 characters');
const ClientInfo = Type.Object({ clientId: Type.Optional(Type.String({ maxLength: 200 })), clientVersion: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
const Name = Type.String({ maxLength: 64 });
const Compression = Type.Union([Type.Literal('COMPRESSION_TYPE_UNSPECIFIED'), Type.Literal('RAW'), Type.Literal('RICE')]);
const ListUpdateRequest = Type.Object(
  {
    threatType: Name,
    platformType: Name,
    threatEntryType: Name,
    state: Type.Optional(Base64),
    constraints: Type.Optional(
      Type.Object(
        {
          maxUpdateEntries: Type.Optional(Type.Integer({ minimum: 0 })),
          maxDatabaseEntries: Type.Optional(Type.Integer({ minimum: 0 })),
          region: Type.Optional(Type.String({ maxLength: 8 })),
          supportedCompressions: Type.Optional(Type.Array(Compression, { maxItems: 3 })),
          language: Type.Optional(Type.String({ maxLength: 8 })),
          deviceLocation: Type.Optional(Type.String({ maxLength: 8 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const Query = Type.Object({ key: Type.Optional(Type.String({ maxLength: 200 })), alt: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('proto')])) }, { additionalProperties: false });

const b64 = (bytes: Buffer): string => bytes.toString('base64');

/** The metadata key under which a match carries its verdict (docs/lists.md). */
export const VERDICT_METADATA_KEY = 'scamgraph-verdict';

/**
 * A match's ThreatEntryMetadata: the listed entry's public verdict as UTF-8 JSON (level, headline, reasons,
 * scam types, advice and dates, both languages), so that a client's warning can say why without asking about
 * the link. Only entries on the list are described, and only the one whose full hash the client asked for.
 */
function verdictMetadata(verdict: Verdict | null): object | undefined {
  if (verdict === null) return undefined;
  const { level, headline, reasons, scamTypes, advice, lastSeen, updated } = verdict;
  const value = JSON.stringify({ level, headline, reasons: reasons.map((r) => ({ code: r.code, message: r.message })), scamTypes, advice, lastSeen, updated });
  return { entries: [{ key: b64(Buffer.from(VERDICT_METADATA_KEY)), value: b64(Buffer.from(value)) }] };
}

/** A ThreatEntrySet of hash prefixes: raw (sorted bytes, concatenated) or Rice (little-endian integers). */
function additionSet(prefixes: readonly Buffer[], rice: boolean): object {
  if (!rice) return { compressionType: 'RAW', rawHashes: { prefixSize: PREFIX_BYTES, rawHashes: b64(Buffer.concat(prefixes)) } };
  const encoded = riceEncode(prefixes.map((p) => p.readUInt32LE(0)).sort((a, b) => a - b));
  return { compressionType: 'RICE', riceHashes: riceJson(encoded) };
}

function removalSet(indices: readonly number[], rice: boolean): object {
  if (!rice) return { compressionType: 'RAW', rawIndices: { indices } };
  return { compressionType: 'RICE', riceIndices: riceJson(riceEncode(indices)) };
}

function riceJson(encoded: ReturnType<typeof riceEncode>): object {
  return { firstValue: String(encoded.firstValue), riceParameter: encoded.riceParameter, numEntries: encoded.numEntries, encodedData: b64(encoded.encodedData) };
}

function updateJson(update: ListUpdate, rice: boolean): object {
  return {
    threatType: update.list.threatType,
    threatEntryType: update.list.threatEntryType,
    platformType: update.list.platformType,
    responseType: update.full ? 'FULL_UPDATE' : 'PARTIAL_UPDATE',
    ...(update.additions.length === 0 ? {} : { additions: [additionSet(update.additions, rice)] }),
    ...(update.removals.length === 0 ? {} : { removals: [removalSet(update.removals, rice)] }),
    newClientState: b64(update.newClientState),
    checksum: { sha256: b64(update.checksum) },
  };
}

function decodeBase64(text: string | undefined): Buffer {
  return Buffer.from((text ?? '').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function safeBrowsingRoutes(gate: PartnerGate, lists: HashLists): FastifyPluginAsyncTypebox {
  const read = requirePartnerScope(gate, 'lists:read', { queryKey: 'key' });
  return async (app) => {
    app.addHook('onRequest', async (_request, reply) => {
      void reply.headers(API_HEADERS);
    });
    app.addHook('onRequest', read);
    // Protobuf bodies (Content-Type application/x-protobuf) are read into the JSON form before validation, so
    // that both forms meet the same schema; `alt=proto` asks for the answer as protobuf.
    app.addContentTypeParser(PROTOBUF, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    app.addHook('preValidation', async (request) => {
      if (!Buffer.isBuffer(request.body)) return;
      const name = REQUEST_MESSAGES[request.routeOptions.url ?? ''];
      if (name === undefined) throw new AppError('VALIDATION_FAILED', 'This route takes no request body.');
      try {
        request.body = decodeMessage(name, request.body);
      } catch {
        throw new AppError('VALIDATION_FAILED', `The request body is not a ${name} protobuf message.`);
      }
    });
    const answer = (request: FastifyRequest, reply: FastifyReply, name: SafeBrowsingMessage, json: object): object | FastifyReply =>
      (request.query as { alt?: string }).alt === 'proto' ? reply.type(PROTOBUF).send(encodeMessage(name, json)) : json;
    const tags = ['partner'];

    app.get('/threatLists', { schema: { hide: true, tags, summary: 'The hashed link lists (Safe Browsing v4 threatLists)', querystring: Query } }, async (request, reply) =>
      answer(request, reply, 'ListThreatListsResponse', {
        threatLists: HASH_LISTS.map((l) => ({ threatType: l.threatType, platformType: l.platformType, threatEntryType: l.threatEntryType })),
      }),
    );

    // `::` is a literal colon in the router's syntax (a single one would start a parameter).
    app.post(
      '/threatListUpdates::fetch',
      {
        schema: {
          hide: true,
          tags,
          summary: 'Updates of the hashed link lists from the client’s state (Safe Browsing v4 threatListUpdates.fetch)',
          description: 'One answer per list asked for: a full update without a state (or with one too old or of another list), otherwise the additions and the removal indices since the state; RAW or RICE as the client supports; the SHA-256 of the sorted list after the update.',
          querystring: Query,
          body: Type.Object({ client: Type.Optional(ClientInfo), listUpdateRequests: Type.Array(ListUpdateRequest, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const asked = request.body.listUpdateRequests.map((r) => ({ list: lists.list(r.threatType, r.platformType, r.threatEntryType), state: decodeBase64(r.state), rice: r.constraints?.supportedCompressions?.includes('RICE') === true }));
        const answers = [];
        for (const { list, state, rice } of asked) answers.push(updateJson(await lists.update(list, state), rice));
        return answer(request, reply, 'FetchThreatListUpdatesResponse', { listUpdateResponses: answers, minimumWaitDuration: MINIMUM_WAIT });
      },
    );

    app.post(
      '/fullHashes::find',
      {
        schema: {
          hide: true,
          tags,
          summary: 'The full hashes behind hash prefixes a client matched locally (Safe Browsing v4 fullHashes.find)',
          querystring: Query,
          body: Type.Object(
            {
              client: Type.Optional(ClientInfo),
              clientStates: Type.Optional(Type.Array(Base64, { maxItems: 10 })),
              threatInfo: Type.Object(
                {
                  threatTypes: Type.Array(Name, { minItems: 1, maxItems: 10 }),
                  platformTypes: Type.Array(Name, { minItems: 1, maxItems: 10 }),
                  threatEntryTypes: Type.Array(Name, { minItems: 1, maxItems: 10 }),
                  threatEntries: Type.Array(Type.Object({ hash: Base64 }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
                },
                { additionalProperties: false },
              ),
              apiClient: Type.Optional(ClientInfo),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const info = request.body.threatInfo;
        const wanted = [];
        for (const threatType of info.threatTypes) for (const platformType of info.platformTypes) for (const entryType of info.threatEntryTypes) wanted.push(lists.list(threatType, platformType, entryType));
        const prefixes = info.threatEntries.map((e) => decodeBase64(e.hash));
        if (prefixes.some((p) => p.length < PREFIX_BYTES || p.length > 32)) throw new AppError('VALIDATION_FAILED', `Each threatEntries[].hash is a hash prefix of ${PREFIX_BYTES} to 32 bytes, in base64.`);
        const matches = await lists.fullHashes([...new Set(wanted)], prefixes);
        return answer(request, reply, 'FindFullHashesResponse', {
          matches: matches.map((m) => ({
            threatType: m.list.threatType,
            platformType: m.list.platformType,
            threatEntryType: m.list.threatEntryType,
            threat: { hash: b64(m.hash) },
            threatEntryMetadata: verdictMetadata(m.verdict),
            cacheDuration: CACHE_DURATION,
          })),
          minimumWaitDuration: MINIMUM_WAIT,
          negativeCacheDuration: CACHE_DURATION,
        });
      },
    );
  };
}
