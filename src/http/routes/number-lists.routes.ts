import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { MIN_BUCKET, NUMBER_LIST_KINDS, type NumberLists } from '../../modules/lists/number-lists.js';
import { requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { refusals } from '../route-contract.js';
import { Count } from './officer.schemas.js';
import { ifNoneMatch } from '../if-none-match.js';

const Kind = Type.Object({ kind: Type.Enum(NUMBER_LIST_KINDS, { description: 'phone, email or payment_proxy.' }) });

/** GET /api/v1/partner/lists/{kind}. */
export const NumberListDescription = Type.Object({
  kind: Type.Enum(NUMBER_LIST_KINDS),
  version: Type.Integer({ description: 'The verdict-log position the list is current at.' }),
  count: Type.Integer(),
  filter: Type.Object({ bytes: Type.Integer(), bitsPerValue: Type.Number(), falsePositiveRate: Type.Number({ description: 'Of a value that is not listed: 1/256.' }) }),
  buckets: Type.Object({
    bits: Type.Integer({ description: 'A bucket is the first `bits` bits of SHA-256(key ‖ canonical value).' }),
    key: Type.String({ description: 'The public bucket key, base64.' }),
    size: Type.Integer({ description: 'Entries in every bucket answer, padding included.' }),
    minimum: Type.Integer({ description: 'The fewest flagged values any bucket holds.' }),
  }),
});

/** GET /api/v1/partner/lists/{kind}/buckets/{bucket}. */
export const NumberListBucket = Type.Object({ bucket: Type.Integer(), bits: Type.Integer(), version: Type.Integer(), entries: Type.Array(Type.Object({ hash: Type.String(), level: Type.String() })) });

/**
 * On-device lists of flagged phone numbers, e-mail addresses and payment proxies for apps (lists:read): a
 * filter to download, and buckets to ask on a filter hit (docs/privacy.md says what each call reveals).
 */
export function numberListRoutes(gate: PartnerGate, lists: NumberLists): FastifyPluginAsyncTypebox {
  const read = requirePartnerScope(gate, 'lists:read');
  return async (app) => {
    app.get(
      '/partner/lists/:kind',
      {
        onRequest: read,
        schema: {
          tags: ['partner'],
          summary: 'An on-device list: its version, the filter to download, and how its buckets are named',
          description: 'Every high-risk and suspicious value of the kind, as canonical values (E.164 numbers, as /api/v1/check gives them). See docs/privacy.md.',
          params: Kind,
          response: {
            200: NumberListDescription,
            ...refusals(),
          },
        },
      },
      async (request) => {
        const list = await lists.list(request.params.kind);
        return {
          kind: list.kind,
          version: list.version,
          count: list.count,
          filter: { bytes: list.filter.length, bitsPerValue: list.count === 0 ? 0 : Math.round((800 * list.filter.length) / list.count) / 100, falsePositiveRate: 1 / 256 },
          buckets: { bits: list.bucketBits, key: lists.bucketKey.toString('base64'), size: list.bucketSize, minimum: MIN_BUCKET },
        };
      },
    );

    app.get(
      '/partner/lists/:kind/filter',
      {
        onRequest: read,
        schema: {
          tags: ['partner'],
          summary: 'The binary fuse filter of the list, or with `since` the filter of what was flagged after that version (send the ETag back in If-None-Match: 304 until the list changes)',
          description:
            'Without `since`: every flagged value (`Scamgraph-Filter: full`). With `since=V`, the version of the full filter the app holds: a filter of the values flagged after V only (`Scamgraph-Filter: delta`, `Scamgraph-Delta-From: V`), to check beside the full one; or a new full filter when that is smaller (more than a quarter of the list changed). `Scamgraph-List-Version` names the version either is current at.',
          params: Kind,
          querystring: Type.Object({ since: Type.Optional(Count(9_999_999_999_999)) }, { additionalProperties: false }),
          response: {
            200: { description: 'A filter: a 32-byte header (magic "SGBF", version, segment length and count, seed) and 8-bit fingerprints.', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
            304: { description: 'Not modified.', type: 'null' },
            ...refusals(),
          },
        },
      },
      async (request, reply) => {
        const since = request.query.since === undefined ? null : Number(request.query.since);
        const delta = since === null ? null : await lists.delta(request.params.kind, since);
        const list = delta?.list ?? (await lists.list(request.params.kind));
        const etag = delta === null ? `"${list.kind}.${list.version}"` : `"${list.kind}.${list.version}.since.${since}"`;
        void reply.headers({
          etag,
          'cache-control': 'private, no-cache',
          'scamgraph-list-version': String(list.version),
          'scamgraph-filter': delta === null ? 'full' : 'delta',
          ...(delta === null ? {} : { 'scamgraph-delta-from': String(since) }),
        });
        // The body is bytes, not the JSON the typed reply expects.
        const raw = reply as unknown as FastifyReply;
        if (ifNoneMatch(request.headers['if-none-match'], etag)) return raw.code(304).send();
        return raw.type('application/octet-stream').send(delta?.filter ?? list.filter);
      },
    );

    app.get(
      '/partner/lists/:kind/buckets/:bucket',
      {
        onRequest: read,
        schema: {
          tags: ['partner'],
          summary: 'A bucket: the keyed hashes of the flagged values in it, with their levels, padded to one size',
          description: 'Ask only after a filter hit. Find SHA-256(key ‖ value) among the entries: its level is the verdict; not there, the hit was a false positive.',
          params: Type.Object({ kind: Kind.properties.kind, bucket: Count(9_999_999) }),
          querystring: Type.Object({ bits: Count(24) }, { additionalProperties: false }),
          response: {
            200: NumberListBucket,
            ...refusals(),
          },
        },
      },
      async (request) => {
        const bucket = Number(request.params.bucket);
        const { list, entries } = await lists.bucket(request.params.kind, bucket, Number(request.query.bits));
        return { bucket, bits: list.bucketBits, version: list.version, entries: entries.map((e) => ({ hash: e.hash.toString('base64'), level: e.level })) };
      },
    );
  };
}
