import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { EXIT_FAILURE, type CliIO } from './io.js';

// The embedded database belongs to one process, so while `serve` runs, `scamgraph demo`, `check`, `user add`
// and the other database commands could not open it. Instead, the server listens on a Unix socket in the data
// directory and runs the commands sent to it on its own open database; the sending process relays its
// terminal. The socket is its owner's alone (mode 0600, in a 0700 directory): whoever may connect could open
// the data directory, and its key file, anyway.
//
// The protocol is JSON lines. The sender: {"argv","cwd"} first, then {"stdin": base64} and
// {"stdinEnd": true} once the server asks with {"stdinWanted": true}. The server: {"stdout"|"stderr": base64}
// and finally {"exit": code}.

/** The control socket of a server on the embedded database in `dataDir`. */
export function controlSocketPath(dataDir: string): string {
  return join(resolve(dataDir), 'scamgraph.sock');
}

/**
 * The first frame: the command and where it was typed. Not the data directory: the server's socket is in its
 * own, so a command that reached it names that directory, however its path was spelt (a symlink, say).
 */
export interface CommandRequest {
  argv: string[];
  cwd: string;
}

/** Writes one frame; resolves once the socket has taken it (or is gone, when nobody listens any more). */
export function sendFrame(socket: Socket, frame: object): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed || socket.write(JSON.stringify(frame) + '\n')) resolve();
    else socket.once('drain', resolve).once('close', resolve);
  });
}

/**
 * Sends a command to the server running on the embedded database in `dataDir` and relays its output and
 * exit code. Null when no server answers there (none runs, or one was killed): the caller runs it itself.
 */
export async function sendToServer(argv: string[], io: CliIO, dataDir: string): Promise<number | null> {
  const path = controlSocketPath(dataDir);
  if (!existsSync(path)) return null;
  const socket = await new Promise<Socket | null>((resolve) => {
    const s = connect(path);
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(null)); // ECONNREFUSED: a socket file with no server behind it
  });
  if (socket === null) return null;
  return new Promise((resolve) => {
    let exit: number | null = null;
    let relaying = false;
    socket.on('error', () => undefined); // reported as the close without an exit code below
    createInterface({ input: socket, crlfDelay: Infinity }).on('line', (line) => {
      const frame = JSON.parse(line) as { stdout?: string; stderr?: string; stdinWanted?: boolean; exit?: number };
      if (frame.stdout !== undefined) io.stdout.write(Buffer.from(frame.stdout, 'base64'));
      else if (frame.stderr !== undefined) io.stderr.write(Buffer.from(frame.stderr, 'base64'));
      else if (frame.stdinWanted === true && !relaying) {
        relaying = true;
        io.stdin.on('data', (chunk: Buffer | string) => void sendFrame(socket, { stdin: Buffer.from(chunk).toString('base64') }));
        io.stdin.once('end', () => void sendFrame(socket, { stdinEnd: true }));
      } else if (typeof frame.exit === 'number') exit = frame.exit;
    });
    socket.once('close', () => {
      if (relaying) io.stdin.pause(); // a terminal's stdin read from would keep this process alive
      if (exit === null) io.stderr.write('scamgraph: the server stopped before the command finished; run it again.\n');
      resolve(exit ?? EXIT_FAILURE);
    });
    socket.write(JSON.stringify({ argv, cwd: process.cwd() } satisfies CommandRequest) + '\n');
  });
}
