import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { MispFeeds, MispFeedFiles } from '../../modules/feeds/misp.js';
import { requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { API_HEADERS } from '../security-headers.js';
import { ifNoneMatch } from '../if-none-match.js';

/**
 * The block lists as MISP feeds, for MISP's "MISP Feed" source format: MISP is given one URL and fetches
 * `{url}/manifest.json`, then `{url}/{uuid}.json` for each event it lacks or holds older (and `{url}/hashes.csv`
 * to cache the values for correlation). So each feed is a directory of its own, `/feeds/misp/{feed}/`, and
 * `/feeds/misp/` is the default feed. A partner key with feeds:read: `Authorization: Bearer KEY` (MISP's feed
 * "headers" setting), or HTTP Basic with the key as the password.
 */

const EVENT_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;
const JSON_MEDIA = 'application/json; charset=utf-8';
// hashes.csv has no header row (MISP reads `md5,uuid` lines): RFC 7111's header parameter says so.
const CSV_MEDIA = 'text/csv; charset=utf-8; header=absent';
const CHALLENGE = 'Bearer realm="Scamgraph MISP feeds", Basic realm="Scamgraph MISP feeds", charset="UTF-8"';


type File = { kind: 'manifest' } | { kind: 'hashes' } | { kind: 'event'; uuid: string };

export function mispRoutes(gate: PartnerGate, misp: MispFeeds, defaultFeed: string): FastifyPluginAsync {
  const read = requirePartnerScope(gate, 'feeds:read', { basic: true });
  const hide = { schema: { hide: true } };

  /** One file of a feed: 304 while the log has not moved since the client's copy, without making the feed. */
  const serve = async (request: FastifyRequest, reply: FastifyReply, feed: string, file: File): Promise<FastifyReply> => {
    const name = file.kind === 'event' ? file.uuid : file.kind;
    // The feed's definition and the log's end: every file of the feed is a function of the two.
    const etag = `"${await misp.version(feed)}.${name}"`;
    void reply.headers({ etag, 'cache-control': 'private, no-cache' });
    if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
    const files: MispFeedFiles = await misp.files(feed);
    if (file.kind === 'manifest') return reply.type(JSON_MEDIA).send(files.manifest);
    if (file.kind === 'hashes') return reply.type(CSV_MEDIA).send(files.hashes);
    const event = files.events.get(file.uuid);
    if (event === undefined) throw new AppError('NOT_FOUND', `There is no event ${file.uuid} in the MISP feed ${feed} (its manifest.json lists them).`);
    return reply.type(JSON_MEDIA).send(event.text);
  };
  const fileOf = (name: string): File => {
    if (name === 'manifest.json') return { kind: 'manifest' };
    if (name === 'hashes.csv') return { kind: 'hashes' };
    const event = EVENT_FILE.exec(name);
    if (event === null) throw new AppError('NOT_FOUND', 'A MISP feed holds manifest.json, hashes.csv and {event uuid}.json.');
    return { kind: 'event', uuid: event[1] as string };
  };

  return async (app) => {
    // The JSON answers' fixed headers whatever the app serves beside them (the web app's are for pages).
    app.addHook('onRequest', async (_request, reply) => {
      void reply.headers(API_HEADERS);
    });
    app.addHook('onRequest', read);
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode === 401) void reply.header('www-authenticate', CHALLENGE);
      return payload;
    });
    app.get('/:file', hide, async (request, reply) => serve(request, reply, defaultFeed, fileOf((request.params as { file: string }).file)));
    app.get('/:feed/:file', hide, async (request, reply) => {
      const { feed, file } = request.params as { feed: string; file: string };
      misp.feed(feed);
      return serve(request, reply, feed, fileOf(file));
    });
  };
}
