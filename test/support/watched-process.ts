import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** A child process whose output is kept, and whose end can be awaited. */
export interface WatchedProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves once `text` appears in the output; rejects when the process ends first or after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

const running: WatchedProcess[] = [];

/** Spawns `command` with piped output. {@link killWatched} (in an `afterAll`) ends whatever is left. */
export function watch(command: string, args: readonly string[], options: SpawnOptions): WatchedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const listener of listeners) listener();
    });
  });
  const watched: WatchedProcess = {
    child,
    pid: child.pid as number,
    output: () => text,
    exited,
    waitFor(expected, timeoutMs = 20_000) {
      const seen = () => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`timed out waiting for ${expected}:\n${text}`)),
          timeoutMs,
        );
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (seen()) done();
          else if (child.exitCode !== null || child.signalCode !== null) {
            done(
              new Error(
                `${command} ended (${child.exitCode ?? child.signalCode}) before ${expected}:\n${text}`,
              ),
            );
          }
        };
        listeners.add(check);
        check();
      });
    },
  };
  running.push(watched);
  return watched;
}

/** SIGKILLs every watched process (and its process group, when it leads one) that is still running. */
export async function killWatched(): Promise<void> {
  for (const w of running.splice(0)) {
    if (w.child.exitCode !== null || w.child.signalCode !== null) continue;
    try {
      process.kill(-w.pid, 'SIGKILL');
    } catch {
      w.child.kill('SIGKILL');
    }
    await w.exited;
  }
}
