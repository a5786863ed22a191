import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';
import { assertCleanText } from '../modules/reports/clean-text.js';

const FORBIDDEN_KEY_MESSAGE = 'Object contains forbidden prototype property';
const FORBIDDEN_KEY_TEXT = 'The request body has a “__proto__” key, or a “constructor” key holding “prototype”: such keys are refused, not dropped.';

/**
 * JSON is the only body type (everything else gets 415). Bytes that are not UTF-8 are refused (Node would
 * quietly turn them into U+FFFD and store them), so are NUL and unpaired surrogates, and `__proto__` /
 * `constructor.prototype` keys are refused rather than dropped.
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new AppError('INVALID_ENCODING', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = secureJson.parse(bytes.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      // secure-json-parse throws this one message for a forbidden key (a JSON syntax error never reads so).
      const forbidden = (error as Error).message === FORBIDDEN_KEY_MESSAGE;
      done(forbidden ? new AppError('FORBIDDEN_KEY', FORBIDDEN_KEY_TEXT) : new AppError('MALFORMED_JSON', 'The request body is not valid JSON.'), undefined);
      return;
    }
    try {
      assertCleanText(parsed);
      done(null, parsed);
    } catch (error) {
      done(error as AppError, undefined);
    }
  });
}
