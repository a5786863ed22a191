import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { extract } from '../../modules/indicators/index.js';
import type { CheckCounter } from '../../modules/verdicts/check-counter.js';
import type { VerdictService } from '../../modules/verdicts/verdicts.service.js';
import { perMinute } from '../rate-limit.js';
import { CheckResult, ErrorBody, Kind } from '../schemas.js';

export const MAX_BATCH = 1000;
const RESULTS_OPEN = Buffer.from('{"results":[');
const COMMA = Buffer.from(',');
const RESULTS_CLOSE = Buffer.from(']}');

/** Sends JSON already serialized in the route's documented shape (the schema then only documents it). */
function sendSerialized(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

const Value = Type.String({ minLength: 1, maxLength: 4096 });

/** The public check: one value by GET, up to 1,000 by POST. Answered from the in-memory index; counted per day. */
export function checkRoutes(verdicts: VerdictService, counter: CheckCounter, rateLimit: number, region: string): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = perMinute(rateLimit);
    app.get(
      '/check',
      {
        config,
        schema: {
          tags: ['public'],
          summary: 'Check a phone number, link, e-mail, account, wallet or handle',
          querystring: Type.Object({ value: Value, kind: Type.Optional(Kind) }, { additionalProperties: false }),
          response: { 200: CheckResult },
        },
      },
      // Answers leave pre-serialized (the cache of recent answers holds them as bytes); the schema documents them.
      async (request, reply) => {
        counter.add();
        return sendSerialized(reply, verdicts.checkJson(request.query.value, request.query.kind));
      },
    );

    app.post(
      '/extract',
      {
        config,
        schema: {
          tags: ['public'],
          summary: 'Find the numbers, links, accounts and addresses in a pasted message (nothing is stored)',
          body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ indicators: Type.Array(Type.Object({ kind: Type.String(), raw: Type.String(), canonical: Type.String(), key: Type.String() })) }),
          },
        },
      },
      async (request) => ({ indicators: extract(request.body.text, { region }).map((i) => ({ kind: i.kind, raw: i.raw, canonical: i.canonical, key: i.key })) }),
    );

    const Item = Type.Union([Value, Type.Object({ value: Value, kind: Type.Optional(Kind) }, { additionalProperties: false })]);
    app.post(
      '/check',
      {
        config,
        schema: {
          tags: ['public'],
          summary: `Check up to ${MAX_BATCH} values at once`,
          body: Type.Object({ values: Type.Array(Item, { minItems: 1, maxItems: MAX_BATCH }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ results: Type.Array(Type.Union([CheckResult, Type.Object({ input: Type.String(), error: ErrorBody.properties.error })])) }),
          },
        },
      },
      async (request, reply) => {
        counter.add(request.body.values.length);
        const parts = request.body.values.map((item) => {
          const { value, kind } = typeof item === 'string' ? { value: item, kind: undefined } : item;
          try {
            return verdicts.checkJson(value, kind);
          } catch (error) {
            // toJSON keeps an indicator error's reason (TOO_SHORT for a phone number), as the CLI prints it.
            if (error instanceof AppError) return Buffer.from(JSON.stringify({ input: value, error: error.toJSON() }));
            throw error;
          }
        });
        return sendSerialized(reply, Buffer.concat([RESULTS_OPEN, ...parts.flatMap((part, i) => (i === 0 ? [part] : [COMMA, part])), RESULTS_CLOSE]));
      },
    );
  };
}
