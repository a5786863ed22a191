import type { FastifyInstance } from 'fastify';

/** The parts of an OpenAPI document the tests read. */
export interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  description?: string;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** The document as the app serves it at /api/openapi.json. */
export async function openApiDocument(app: FastifyInstance): Promise<OpenApiDocument> {
  const res = await app.inject({ url: '/api/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`GET /api/openapi.json: ${res.statusCode}`);
  return res.json() as OpenApiDocument;
}

/** Every operation of the document as [METHOD, path, operation]. */
export function operations(doc: OpenApiDocument): [string, string, OpenApiOperation][] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, string, OpenApiOperation] => [method.toUpperCase(), path, op]));
}

/**
 * Records every answer a route of `app` gives from now on, as `METHOD /path/{param} status` (the document's
 * spelling of the route). Call before the app is ready (before the first inject).
 */
export function recordAnswers(app: FastifyInstance): Set<string> {
  const answers = new Set<string>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && request.method !== 'HEAD') answers.add(`${request.method} ${route.replace(/:([A-Za-z]+)/g, '{$1}')} ${reply.statusCode}`);
    done();
  });
  return answers;
}

/** The recorded answers of /api/v1 routes whose status the document does not list for their operation. */
export function undocumentedAnswers(doc: OpenApiDocument, answers: Iterable<string>): string[] {
  return [...answers]
    .filter((answer) => {
      const [method, path, status] = answer.split(' ') as [string, string, string];
      if (!path.startsWith('/api/v1/')) return false;
      return doc.paths[path]?.[method.toLowerCase()]?.responses[status] === undefined;
    })
    .sort();
}
