import { spawn } from 'node:child_process';

/** How long a program may take to exit after SIGTERM before it gets SIGKILL. */
export const KILL_GRACE_MS = 3000;

/** Output kept per stream: the tail, where errors are; a chatty program is not killed for talking. */
const MAX_OUTPUT_CHARS = 256 * 1024;

export interface ProgramRun {
  /** Set when the program could not start (`ENOENT`, `EACCES`). */
  spawnError?: NodeJS.ErrnoException;
  exitCode: number | null;
  /** The signal that ended it, when one did. */
  exitSignal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The timeout fired and the process group was killed. */
  timedOut: boolean;
}

function collect(): { add(chunk: Buffer): void; text(): string } {
  let text = '';
  return {
    add(chunk) {
      text += chunk.toString('utf8');
      if (text.length > 2 * MAX_OUTPUT_CHARS) text = text.slice(-MAX_OUTPUT_CHARS);
    },
    text: () => text.slice(-MAX_OUTPUT_CHARS),
  };
}

/**
 * Runs argv without a shell. The child leads a process group of its own so that a cancel or a
 * timeout stops everything it started (SIGTERM to the group, SIGKILL after {@link KILL_GRACE_MS}):
 * `execFile` would signal the direct child only, and a grandchild holding the pipes open would keep
 * the step running after its parent died.
 */
export function runProgram(
  argv: readonly string[],
  timeoutMs: number,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv,
): Promise<ProgramRun> {
  const [program = '', ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(program, args, {
      shell: false,
      detached: true,
      // A curated environment: the worker's own holds Slack tokens and admin keys, which no
      // runbook program needs. Anything a program does need belongs in its argv.
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout = collect();
    const stderr = collect();
    child.stdout.on('data', stdout.add);
    child.stderr.on('data', stderr.add);

    let timedOut = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is gone already (ESRCH), or this platform has no process groups.
        child.kill(sig);
      }
    };
    const stop = () => {
      if (graceTimer) return;
      killGroup('SIGTERM');
      graceTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();

    let settled = false;
    const settle = (run: Omit<ProgramRun, 'stdout' | 'stderr' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal.removeEventListener('abort', stop);
      resolve({ ...run, stdout: stdout.text(), stderr: stderr.text(), timedOut });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A failed spawn emits 'error' without a pid; later errors (a failed kill) are not the result.
      if (child.pid === undefined) settle({ spawnError: error, exitCode: null, exitSignal: null });
    });
    child.on('close', (exitCode, exitSignal) => settle({ exitCode, exitSignal }));
  });
}

const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'KUBECONFIG', 'DOCKER_HOST'];

/** The few variables programs need to run at all; never tokens or keys. */
export function childEnvironment(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  return Object.fromEntries(
    PASSED_THROUGH.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]),
  );
}
