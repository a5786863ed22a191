import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFoundHandler } from './error-handler.js';

/** Whether a built web app is in `dir` (web/dist after `npm run build:web`). */
export function hasWebApp(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** Hashed build assets never change under their name; everything else is revalidated. */
export function webCacheControl(path: string): string {
  return path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Serves the built web app's files, and its index.html at /. */
export async function registerWeb(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(fastifyStatic, { root: dir, prefix: '/', index: false, cacheControl: false, wildcard: true });
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
}

/**
 * The not-found handler when the web app is served: a browser asking for any other page gets index.html (the
 * app routes in the browser); API paths, assets and non-HTML requests keep the JSON 404.
 */
export function webNotFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?', 1)[0] as string;
  const page = request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/assets/') && (request.headers.accept ?? '').includes('text/html');
  if (!page) return notFoundHandler(request, reply);
  void reply.sendFile('index.html');
}
