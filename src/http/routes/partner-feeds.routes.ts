import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { BLOCKING_LEVELS, formatLines, type BlockListPage, type BlockLists } from '../../modules/feeds/block-lists.js';
import { requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { refusals } from '../route-contract.js';
import { Patterned } from '../validation-messages.js';
import { Count } from './officer.schemas.js';
import { ifNoneMatch } from '../if-none-match.js';

const FORMATS = ['jsonl', 'csv'] as const;
type Format = (typeof FORMATS)[number];
const MEDIA: Record<Format, string> = {
  // JSON Lines has no registered media type; application/jsonl is the one jsonlines.org names.
  jsonl: 'application/jsonl; charset=utf-8',
  // RFC 4180 §3, with RFC 7111's header parameter: the first line names the columns.
  csv: 'text/csv; charset=utf-8; header=present',
};
const DEFAULT_LIMIT = 10_000;
const encodings = new Negotiator({ supportedValues: ['gzip', 'identity'] });


/** Telcos', ISPs' and platforms' block lists (feeds:read): a snapshot, then additions and removals since a cursor. */
export function partnerFeedRoutes(gate: PartnerGate, blockLists: BlockLists): FastifyPluginAsyncTypebox {
  const read = requirePartnerScope(gate, 'feeds:read');
  return async (app) => {
    app.get(
      '/partner/feeds',
      {
        onRequest: read,
        schema: {
          tags: ['partner'],
          summary: 'The block lists there are: each a filter of the verdict log by kind and level',
          response: {
            200: Type.Object({
              feeds: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), kinds: Type.Array(Type.String()), levels: Type.Array(Type.Enum(BLOCKING_LEVELS)), formats: Type.Array(Type.Enum(FORMATS)) })),
            }),
          },
        },
      },
      async () => ({ feeds: Object.entries(blockLists.feeds).map(([name, f]) => ({ name, description: f.description, kinds: [...f.kinds], levels: [...f.levels], formats: [...FORMATS] })) }),
    );

    app.get(
      '/partner/feeds/:feed',
      {
        onRequest: read,
        schema: {
          tags: ['partner'],
          summary: 'A block list: without since, a snapshot; with since, the additions and removals after that cursor',
          description:
            'One line per value: `op` (add or remove), `kind`, `value`, `level` (on additions) and, in a delta, `seq` (the verdict-log row). ' +
            'Follow the `Scamgraph-Cursor` header: ask again with `since` set to it; while `Scamgraph-Complete` is false, at once. A snapshot at a cursor plus every delta after it holds exactly what a snapshot taken later holds. ' +
            'Gzip with Accept-Encoding: gzip; send the ETag back in If-None-Match to get 304 when nothing changed. Protected values are never on a block list. See docs/feeds.md.',
          params: Type.Object({ feed: Patterned('^[a-z0-9][a-z0-9-]{0,62}$', 'a feed name, such as phones-high-risk') }),
          querystring: Type.Object(
            {
              since: Type.Optional(Count(999_999_999_999_999)),
              limit: Type.Optional(Count(100_000)),
              format: Type.Optional(Type.Enum(FORMATS, { description: 'jsonl (JSON Lines, the default) or csv (RFC 4180, with a header row).' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: {
              description: 'The lines, as JSON Lines or CSV (gzip when asked for). Headers: Scamgraph-Cursor, Scamgraph-Complete, ETag.',
              content: { [MEDIA.jsonl]: { schema: Type.String() }, [MEDIA.csv]: { schema: Type.String() } },
            },
            304: { description: 'Not modified: the ETag sent in If-None-Match is still current.', type: 'null' },
            ...refusals(404),
          },
        },
      },
      async (request, reply) => {
        const { feed } = request.params;
        const since = request.query.since === undefined ? null : Number(request.query.since);
        const limit = request.query.limit === undefined ? DEFAULT_LIMIT : Math.max(1, Number(request.query.limit));
        const format: Format = request.query.format ?? 'jsonl';
        const gzip = encodings.negotiate(request.headers['accept-encoding'] ?? '') === 'gzip';
        const version = blockLists.version(feed);
        const etagAt = (cursor: number) => `"${version}.${since ?? 'all'}.${cursor}.${since === null ? '' : limit}.${format}${gzip ? '.gz' : ''}"`;
        // Nothing new since the client's copy: answered without reading the log.
        const end = await blockLists.end();
        if (ifNoneMatch(request.headers['if-none-match'], etagAt(end))) return notModified(reply, etagAt(end), end);
        const page = since === null ? await blockLists.snapshot(feed) : await blockLists.delta(feed, since, limit);
        const etag = etagAt(page.cursor);
        if (ifNoneMatch(request.headers['if-none-match'], etag)) return notModified(reply, etag, page.cursor);
        // Streamed (a snapshot of a million values is tens of megabytes): the schema above documents the text.
        const out = describePage(reply, etag, page).type(MEDIA[format]) as FastifyReply;
        const body = Readable.from(formatLines(page.lines, format));
        return gzip ? out.header('content-encoding', 'gzip').send(body.pipe(createGzip())) : out.send(body);
      },
    );
  };
}

function describePage(reply: FastifyReply, etag: string, page: Pick<BlockListPage, 'cursor' | 'complete'>): FastifyReply {
  // Private to the partner, kept by its client and checked again each time (the ETag), never by a shared cache.
  return reply.headers({ etag, 'cache-control': 'private, no-cache', vary: 'Accept-Encoding', 'scamgraph-cursor': String(page.cursor), 'scamgraph-complete': String(page.complete) });
}

function notModified(reply: FastifyReply, etag: string, cursor: number): FastifyReply {
  return describePage(reply, etag, { cursor, complete: true }).code(304).send();
}
