import { connect, type Socket } from 'node:net';

/** An HTTP answer read off a raw socket. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/** Parses the first HTTP/1.1 answer in `text` (content-length framing, as every error answer has). */
export function parseAnswer(text: string, closedAfterMs: number): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end < 0 ? text.length : end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = end < 0 ? '' : text.slice(end + 4);
  const length = headers['content-length'] === undefined ? body.length : Number(headers['content-length']);
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: body.slice(0, length), closedAfterMs };
}

/**
 * Opens a connection to `port`, writes each of `chunks` (latin1 bytes) `everyMs` apart, and resolves with
 * what the server answered once it closes the connection (or after `giveUpMs`, when the client hangs up).
 */
export function rawExchange(port: number, chunks: string[], options: { everyMs?: number; giveUpMs?: number } = {}): Promise<RawAnswer> {
  const { everyMs = 0, giveUpMs = 10_000 } = options;
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => (received += data));
    socket.on('error', () => undefined); // a reset after the answer is still an answer
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve(parseAnswer(received, performance.now() - started));
    });
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    let next = 0;
    const writeNext = (): void => {
      if (socket.destroyed || next >= chunks.length) return;
      socket.write(chunks[next++] as string, 'latin1');
      timer = setTimeout(writeNext, everyMs);
    };
    socket.on('connect', writeNext);
  });
}
