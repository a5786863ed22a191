import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { STIX_MEDIA } from '../../modules/feeds/stix.js';
import { decodePosition, encodePosition, taxiiTimestamp, type ObjectsPage, type ObjectsQuery, type TaxiiCollection, type TaxiiCollections } from '../../modules/feeds/taxii.js';
import { requirePartnerScope, type PartnerGate } from '../partner-auth.js';

/**
 * A read-only TAXII 2.1 server (OASIS TAXII Version 2.1; sections cited as §) under /taxii2/: discovery, one
 * API root (`/taxii2/feeds/`), a collection per feed, and each collection's objects, object, versions and
 * manifest. Partner keys with feeds:read, by HTTP Basic (the key as the password) or Bearer. Every answer,
 * errors included, is `application/taxii+json;version=2.1` (§3.1) with the error resource of §3.6.1.
 */

export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
const API_ROOT = '/taxii2/feeds/';
/** The largest page a client may ask for, and the page it gets when it does not say (§3.4: the server's limit). */
export const TAXII_MAX_LIMIT = 5000;
const DEFAULT_LIMIT = 1000;
const CHALLENGE = 'Basic realm="Scamgraph TAXII", charset="UTF-8", Bearer realm="Scamgraph TAXII"';

/** §3.6.1: `title` required; `http_status` a string equal to the status; our stable code as `error_code`. */
function taxiiError(reply: FastifyReply, status: number, code: string, title: string, description: string): void {
  if (status === 401) void reply.header('www-authenticate', CHALLENGE);
  void reply.status(status).type(TAXII_MEDIA).send({ title, description, error_code: code, http_status: String(status) });
}

const TITLES: Record<number, string> = { 400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 406: 'Not acceptable', 429: 'Too many requests' };

function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof AppError) return taxiiError(reply, error.status, error.code, TITLES[error.status] ?? 'Error', error.message);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return taxiiError(reply, status, 'VALIDATION_FAILED', TITLES[status] ?? 'Bad request', error.message);
  request.log.error({ requestId: request.id, type: error.name, code: error.code, frames: error.stack?.split('\n').slice(1, 8).join('\n') }, 'unhandled error');
  taxiiError(reply, 500, 'INTERNAL', 'Internal error', `Something went wrong on our side (request ${request.id}).`);
}

/**
 * §3.1: a TAXII media range of version 2.1, or without a version (the highest this server has: 2.1), or a
 * wildcard, is served; an Accept naming only other types or versions gets 406. No Accept at all is served.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const version = params.find((p) => p.startsWith('version='))?.slice('version='.length);
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    if (type === 'application/taxii+json') return version === undefined || version === '2.1';
    return type === '*/*' || type === 'application/*';
  });
}

type Query = Record<string, string | string[] | undefined>;

/** One value of a parameter TAXII allows once (§3.4: "MUST NOT have more than one instance"). */
function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new AppError('VALIDATION_FAILED', `${name} is given more than once.`);
  return value;
}

/** A match[] field's comma-separated values (§3.4.1: OR within a field, no spaces). */
function list(query: Query, name: string): string[] | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const values = value.split(',');
  if (values.some((v) => v === '' || v !== v.trim())) throw new AppError('VALIDATION_FAILED', `${name} is a comma-separated list without spaces or empty values.`);
  return values;
}

const STIX_TYPE = /^[a-z][a-z0-9-]{1,248}[a-z0-9]$/;
const STIX_ID = /^[a-z][a-z0-9-]{1,248}[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The query of a manifest, objects, object or versions request; `allowed` names its parameters (§5.3–§5.8). */
function objectsQuery(query: Query, allowed: readonly string[]): ObjectsQuery {
  const filters = ['match[id]', 'match[type]', 'match[version]', 'match[spec_version]'];
  for (const name of Object.keys(query)) {
    if (allowed.includes(name)) continue;
    // §3.4.1: a server may ignore match fields it does not understand; anything else unknown is a mistake.
    if (name.startsWith('match[') && !filters.includes(name)) continue;
    throw new AppError('VALIDATION_FAILED', `“${name.slice(0, 40)}” is not a parameter of this endpoint; it takes ${allowed.join(', ')}.`);
  }
  const out: ObjectsQuery = { limit: DEFAULT_LIMIT };
  const limit = single(query, 'limit');
  if (limit !== undefined) {
    // §3.4: a positive integer; above the server's limit the server's applies.
    if (!/^[1-9]\d{0,8}$/.test(limit)) throw new AppError('VALIDATION_FAILED', 'limit is a positive whole number.');
    out.limit = Math.min(Number(limit), TAXII_MAX_LIMIT);
  }
  const addedAfter = single(query, 'added_after');
  if (addedAfter !== undefined) {
    const time = taxiiTimestamp(addedAfter);
    if (time === null) throw new AppError('VALIDATION_FAILED', 'added_after is an RFC 3339 time in UTC, such as 2026-12-04T08:00:00.000000Z.');
    out.addedAfter = time;
  }
  const next = single(query, 'next');
  if (next !== undefined) out.next = decodePosition(next);
  const ids = list(query, 'match[id]');
  if (ids !== undefined) {
    if (!ids.every((id) => STIX_ID.test(id))) throw new AppError('VALIDATION_FAILED', 'match[id] holds STIX ids (type--UUID).');
    out.ids = ids;
  }
  const types = list(query, 'match[type]');
  if (types !== undefined) {
    if (!types.every((t) => STIX_TYPE.test(t))) throw new AppError('VALIDATION_FAILED', 'match[type] holds STIX type names.');
    out.types = types;
  }
  const versions = list(query, 'match[version]');
  if (versions !== undefined) {
    // §3.4.1: `all` stands alone; the others are first, last or a STIX timestamp.
    if (versions.includes('all') && versions.length > 1) throw new AppError('VALIDATION_FAILED', 'match[version]=all cannot be combined with other values.');
    if (!versions.every((v) => v === 'all' || v === 'first' || v === 'last' || taxiiTimestamp(v) !== null)) throw new AppError('VALIDATION_FAILED', 'match[version] is all, first, last or STIX timestamps.');
    out.versions = versions;
  }
  const specVersions = list(query, 'match[spec_version]');
  if (specVersions !== undefined) {
    if (!specVersions.every((v) => /^\d\.\d$/.test(v))) throw new AppError('VALIDATION_FAILED', 'match[spec_version] holds STIX versions such as 2.1.');
    out.specVersions = specVersions;
  }
  return out;
}

const OBJECTS_PARAMS = ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'];
const OBJECT_PARAMS = ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'];
const VERSIONS_PARAMS = ['added_after', 'limit', 'next', 'match[spec_version]'];

/** §3.2: the first and last date_added of a page; §3.5: `more` with a `next` (taxii2-client pages by it alone). */
function paged(reply: FastifyReply, page: ObjectsPage, body: Record<string, unknown>): Record<string, unknown> {
  const first = page.objects[0];
  const last = page.objects.at(-1);
  if (first !== undefined && last !== undefined) void reply.header('x-taxii-date-added-first', first.dateAdded).header('x-taxii-date-added-last', last.dateAdded);
  // §2: no empty lists; an empty answer is {} (§5.4).
  return { ...(page.more ? { more: true, next: encodePosition(page.next as NonNullable<ObjectsPage['next']>) } : {}), ...body };
}

export function taxiiRoutes(gate: PartnerGate, collections: TaxiiCollections, maxContentLength: number): FastifyPluginAsync {
  const read = requirePartnerScope(gate, 'feeds:read', { basic: true });
  const hide = { schema: { hide: true } };

  const collectionOf = (request: FastifyRequest): TaxiiCollection => {
    const found = collections.collection((request.params as { id: string }).id);
    if (found === null) throw new AppError('NOT_FOUND', 'There is no collection with this id here (GET /taxii2/feeds/collections/ lists them).');
    return found;
  };
  const describe = (c: TaxiiCollection) => ({
    id: c.id,
    title: c.feed,
    description: c.definition.description,
    alias: c.feed,
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA],
  });

  return async (app) => {
    app.setErrorHandler(errorHandler);
    app.setNotFoundHandler((request, reply) => taxiiError(reply, 404, 'NOT_FOUND', 'Not found', `No TAXII endpoint ${request.method} ${request.url.split('?')[0]} (paths end in a slash, §3.1).`));
    app.addHook('onRequest', async (request) => {
      if (!acceptsTaxii(request.headers.accept)) throw new AppError('NOT_ACCEPTABLE', `This server answers ${TAXII_MEDIA} (ask for it in Accept).`);
    });
    app.addHook('onRequest', read);
    // §3.1: the TAXII media type and version on every answer.
    app.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('content-type', TAXII_MEDIA);
      return payload;
    });

    app.get('/', hide, async () => ({
      title: 'Scamgraph TAXII 2.1',
      description: 'Scam indicators from this deployment’s verdicts: a collection per feed (docs/feeds.md).',
      default: API_ROOT,
      api_roots: [API_ROOT],
    }));
    app.get('/feeds/', hide, async () => ({
      title: 'Scamgraph feeds',
      description: 'Each feed of the partner block lists as a collection of STIX 2.1 indicators and observables.',
      versions: [TAXII_MEDIA],
      max_content_length: maxContentLength,
    }));
    // §4.3: there are no status resources, as nothing can be added here.
    app.get('/feeds/status/:id/', hide, async () => {
      throw new AppError('NOT_FOUND', 'There is no such status: this server takes no objects.');
    });
    app.get('/feeds/collections/', hide, async () => {
      const all = collections.collections();
      return all.length === 0 ? {} : { collections: all.map(describe) };
    });
    app.get('/feeds/collections/:id/', hide, async (request) => describe(collectionOf(request)));

    app.get('/feeds/collections/:id/objects/', hide, async (request, reply) => {
      const collection = collectionOf(request);
      const page = await collections.objects(collection, objectsQuery(request.query as Query, OBJECTS_PARAMS));
      return paged(reply, page, page.objects.length === 0 ? {} : { objects: page.objects.map((o) => o.object) });
    });
    // §5.5: can_write is false, so adding is refused before the body is read.
    app.post('/feeds/collections/:id/objects/', { ...hide, onRequest: async (request) => {
      collectionOf(request);
      throw new AppError('FORBIDDEN', 'This collection is read-only (can_write is false).');
    } }, async () => ({}));

    app.get('/feeds/collections/:id/manifest/', hide, async (request, reply) => {
      const collection = collectionOf(request);
      const page = await collections.objects(collection, objectsQuery(request.query as Query, OBJECTS_PARAMS));
      const records = page.objects.map((o) => ({ id: o.object.id, date_added: o.dateAdded, version: o.version, media_type: STIX_MEDIA }));
      return paged(reply, page, records.length === 0 ? {} : { objects: records });
    });

    const oneObject = async (request: FastifyRequest, allowed: readonly string[]) => {
      const collection = collectionOf(request);
      const objectId = (request.params as { objectId: string }).objectId.toLowerCase();
      if (!STIX_ID.test(objectId)) throw new AppError('NOT_FOUND', 'There is no such object in this collection.');
      const page = await collections.objects(collection, { ...objectsQuery(request.query as Query, allowed), ids: [objectId] });
      // §5.6: an object not in the collection is 404, not an empty envelope.
      if (page.objects.length === 0 && request.query !== null && Object.keys(request.query as object).length === 0) throw new AppError('NOT_FOUND', 'There is no such object in this collection.');
      return page;
    };
    app.get('/feeds/collections/:id/objects/:objectId/', hide, async (request, reply) => {
      const page = await oneObject(request, OBJECT_PARAMS);
      return paged(reply, page, page.objects.length === 0 ? {} : { objects: page.objects.map((o) => o.object) });
    });
    app.get('/feeds/collections/:id/objects/:objectId/versions/', hide, async (request, reply) => {
      const page = await oneObject(request, VERSIONS_PARAMS);
      return paged(reply, page, page.objects.length === 0 ? {} : { versions: page.objects.map((o) => o.version) });
    });
  };
}
