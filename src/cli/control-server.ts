import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { isAbsolute } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Config } from '../config.js';
import type { Scamgraph } from '../main.js';
import { runServed } from './context.js';
import { controlSocketPath, sendFrame as send, type CommandRequest as Request } from './control-socket.js';
import { EXIT_FAILURE, type CliIO } from './io.js';

// The server's end of the control socket (see control-socket.ts): runs the commands CLI processes send on
// the server's own open Scamgraph.

/** Runs one command inside the server, as `main` would run it in a process of its own. */
export type ServedRunner = (argv: string[], io: CliIO, config: Readonly<Config>) => Promise<number>;

export interface CommandSocket {
  path: string;
  /** Stops taking commands and ends those still running (a server stopping drops their connections). */
  close(): Promise<void>;
}

function isRequest(value: unknown): value is Request {
  const r = value as Partial<Request> | null;
  return (
    typeof r === 'object' && r !== null && Array.isArray(r.argv) && r.argv.every((a) => typeof a === 'string') &&
    typeof r.cwd === 'string' && isAbsolute(r.cwd)
  );
}

/** Runs the command a connection sends with the connection as its terminal, then sends its exit code. */
function handle(socket: Socket, host: Scamgraph, run: ServedRunner): void {
  let stdin: Readable | null = null;
  let stdinEnded = false;
  const lines = createInterface({ input: socket, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let frame: unknown;
    try {
      frame = JSON.parse(line);
    } catch {
      socket.destroy();
      return;
    }
    if (stdin === null) {
      if (!isRequest(frame)) {
        socket.destroy();
        return;
      }
      let asked = false;
      stdin = new Readable({
        read() {
          if (asked) return;
          asked = true;
          void send(socket, { stdinWanted: true });
        },
      });
      void execute(frame, stdin);
      return;
    }
    const input = frame as { stdin?: unknown; stdinEnd?: unknown };
    if (stdinEnded) return; // nothing may follow the end of the input (a push after it would throw)
    if (typeof input.stdin === 'string') stdin.push(Buffer.from(input.stdin, 'base64'));
    else if (input.stdinEnd === true) {
      stdinEnded = true;
      stdin.push(null);
    }
  });
  socket.on('error', () => undefined); // a sender gone mid-command: its output has nowhere to go

  const output = (name: 'stdout' | 'stderr'): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        send(socket, { [name]: chunk.toString('base64') }).then(() => callback(), callback);
      },
    });

  async function execute(request: Request, input: Readable): Promise<void> {
    const io: CliIO = { stdin: input, stdout: output('stdout'), stderr: output('stderr') };
    // The server's own directory and database: the socket the command came through is in that directory.
    const config = host.config;
    let code: number;
    try {
      code = await runServed(host, request.cwd, () => run(request.argv, io, config));
    } catch (error) {
      // A crash of one command is that command's failure; the server keeps serving.
      io.stderr.write(`scamgraph: the command failed: ${(error as Error).message}\n`);
      code = EXIT_FAILURE;
    }
    io.stdout.end();
    io.stderr.end();
    await Promise.all([finished(io.stdout), finished(io.stderr)]).catch(() => undefined);
    await send(socket, { exit: code });
    socket.end();
  }
}

/** Listens for commands on the data directory's control socket (the caller holds the directory's lock). */
export async function listenForCommands(host: Scamgraph, dataDir: string, run: ServedRunner): Promise<CommandSocket> {
  const path = controlSocketPath(dataDir);
  // The system's limit for a socket's path (sun_path); a longer one would be cut short, silently.
  if (Buffer.byteLength(path) > 107) throw new Error(`the data directory's path is too long for a socket: ${path}`);
  rmSync(path, { force: true }); // left by a server that was killed: we hold the lock, so it is no one's
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    handle(socket, host, run);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    path,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of connections) socket.destroy();
      await closed;
      rmSync(path, { force: true });
    },
  };
}

