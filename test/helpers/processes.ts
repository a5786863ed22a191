import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { after } from 'node:test';

/**
 * Child processes that tests start: each in a process group of its own (so that stopping `npm start` also
 * stops the server npm started), and every one still running when the test file's tests end, passed or
 * failed, is killed with its group. A test that fails half-way must not leave a server holding a port or a
 * data directory's lock for the next one.
 */
export interface Child {
  process: ChildProcess;
  /** Everything it wrote so far. */
  stdout: string;
  stderr: string;
  /** Resolves with its exit code (null when a signal ended it) once it has exited and its pipes are drained. */
  exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in its stderr; rejects if it exits first. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends `signal` to its whole group and resolves with its exit code; at once if it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<Child>();

/** Kills every child still running, with its group, and waits until they have exited. */
export async function stopChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop('SIGKILL')));
}

// Registered when a test file first imports this helper: hooks at the top level run after all its tests
// (a suite's own `after` runs before them: one that deletes what a child writes should call stopChildren).
after(stopChildren);
// Should the runner itself be stopped, no group outlives it either.
process.once('exit', () => {
  for (const child of running) killGroup(child.process, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // the group is gone already
  }
}

/** Starts `command` in its own process group, killed when the file's tests end unless stopped before. */
export function startChild(command: string, args: string[], options: SpawnOptions = {}): Child {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  let done = false;
  const child: Child = {
    process: proc,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve, reject) => {
      proc.once('error', reject);
      proc.once('close', (code) => {
        done = true;
        running.delete(child);
        resolve(code);
      });
    }),
    waitForStderr(pattern) {
      return new Promise((resolve, reject) => {
        const look = (): boolean => {
          const match = pattern.exec(child.stderr);
          if (match !== null) resolve(match);
          return match !== null;
        };
        if (look()) return;
        const onData = (): void => {
          if (look()) proc.stderr?.off('data', onData);
        };
        proc.stderr?.on('data', onData);
        void child.exited.then((code) => reject(new Error(`${command} ${args.join(' ')} exited ${code} before printing ${pattern}:\n${child.stderr}`)));
      });
    },
    async stop(signal = 'SIGTERM') {
      if (!done) killGroup(proc, signal);
      return child.exited;
    },
  };
  running.add(child);
  proc.stdout?.setEncoding('utf8').on('data', (text: string) => (child.stdout += text));
  // Listened to before waitForStderr's own listener, so the text is there when it looks.
  proc.stderr?.setEncoding('utf8').on('data', (text: string) => (child.stderr += text));
  return child;
}
