import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';

/**
 * JSON bodies: bytes that are not UTF-8 are refused (Node would quietly turn them into U+FFFD and store them),
 * and `__proto__` / `constructor.prototype` keys are refused rather than dropped.
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new AppError('INVALID_ENCODING', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    try {
      done(null, secureJson.parse(bytes.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(new AppError('MALFORMED_JSON', 'The request body is not valid JSON.'), undefined);
    }
  });
}
