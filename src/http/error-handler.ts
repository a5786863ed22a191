import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../errors.js';
import { describeViolation, type RequestPart, type SchemaViolation } from './validation-messages.js';

/** Fastify's own errors that are the client's fault, by code. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

const BY_STATUS: Record<number, ErrorCode> = { 400: 'VALIDATION_FAILED', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'BODY_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

/**
 * Every error leaves as `{"error": {"code", "message"}}`. Client mistakes get a 4xx with a stable code;
 * anything else is a 500 with the request id and nothing about its cause. Messages are never logged: they
 * may quote what a person checked or reported.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof AppError) {
    void reply.status(error.status).send({ error: error.toJSON() });
    return;
  }
  if (error.validation !== undefined) {
    const part = (error.validationContext ?? 'body') as RequestPart;
    void reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: describeViolation(part, error.validation as SchemaViolation[]) } });
    return;
  }
  const known = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
  const status = error.statusCode ?? 500;
  if (known !== undefined || (status >= 400 && status < 500)) {
    const code = known ?? BY_STATUS[status] ?? 'VALIDATION_FAILED';
    void reply.status(known === undefined ? status : new AppError(code, '').status).send({ error: { code, message: error.message } });
    return;
  }
  // The stack's first line is the message; log only the frames, the type and the code.
  request.log.error({ requestId: request.id, type: error.name, code: error.code, frames: error.stack?.split('\n').slice(1, 8).join('\n') }, 'unhandled error');
  void reply.status(500).send({ error: { code: 'INTERNAL', message: `Something went wrong on our side (request ${request.id}).`, requestId: request.id } });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}.` } });
}
