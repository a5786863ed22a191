import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { ServerTimeouts } from '../config.js';
import { AppError, ERROR_CATALOG, type ErrorCode } from '../errors.js';
import { API_HEADERS } from './security-headers.js';

/**
 * Fastify's server options for the timeouts. Fastify turns Node's whole-request timeout off by default, so
 * a body trickled a byte at a time was held for as long as the client liked; Node checks its header and
 * request timeouts only every `connectionsCheckingInterval` (30 s by default), so the interval follows the
 * shortest of them.
 */
export function connectionOptions(timeouts: Readonly<ServerTimeouts>): Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'> & { http: { headersTimeout: number; connectionsCheckingInterval: number; requireHostHeader: boolean } } {
  return {
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: Math.max(5, Math.min(1000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4))),
      // Node answers a missing Host with a bare 400 of its own; requireHost below answers it in our shape.
      requireHostHeader: false,
    },
  };
}

/** What a connection-level error from Node's HTTP parser is, for the client. */
function refusalFor(error: NodeJS.ErrnoException): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time; send it again, whole.' };
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large.' };
    default:
      return { code: 'MALFORMED_REQUEST', message: 'The HTTP request is malformed (its request line, a header or its framing).' };
  }
}

const HEADER_LINES = Object.entries(API_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

/**
 * The server's `clientError` handler: requests Node cannot even parse (a broken request line or header,
 * conflicting lengths, headers too large) or that arrive too slowly get the documented
 * `{"error": {"code", "message"}}` with the API's security headers, not Fastify's own shape; then the
 * connection is closed, as its framing cannot be trusted.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already begun on this connection cannot be replaced by another.
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent === true;
  if (socket.writable && !started) {
    const { code, message } = refusalFor(error);
    const status = ERROR_CATALOG[code].status;
    const body = JSON.stringify({ error: { code, message } });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${HEADER_LINES}\r\n${body}`,
    );
  }
  socket.destroy();
}

/** An onRequest hook: an HTTP/1.1 request without a Host header is malformed (RFC 9112, section 3.2). */
export async function requireHost(request: FastifyRequest): Promise<void> {
  if (request.raw.httpVersionMajor === 1 && request.raw.httpVersionMinor >= 1 && request.headers.host === undefined) {
    throw new AppError('MALFORMED_REQUEST', 'An HTTP/1.1 request needs a Host header.');
  }
}
