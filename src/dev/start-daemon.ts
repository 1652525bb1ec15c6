import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './start-redis-server.js';

/** What the callers of a daemon helper may choose (startPrometheus, startAlertmanager). */
export interface DaemonOptions {
  /** @defaultValue a free loopback port (retried when another process takes it first) */
  port?: number;
  /** The executable; each helper names Debian's. */
  command?: string;
  /** @defaultValue 15000 */
  startTimeoutMs?: number;
}

/** How to run one daemon on a loopback port from a private directory. */
export interface DaemonSpec {
  /** For messages and the temporary directory's name: `prometheus`. */
  name: string;
  /** The executable, found on PATH unless absolute. */
  command: string;
  /** The message when `command` does not exist: how to install it. */
  missing: string;
  /** Writes the daemon's files into `dir` and returns its arguments for `port`. */
  prepare(dir: string, port: number): string[];
  /** Resolves true once the daemon on `port` serves, e.g. {@link httpReady}; asked every 50 ms. */
  ready(port: number): Promise<boolean>;
  port?: number | undefined;
  startTimeoutMs?: number | undefined;
}

/** A daemon started by {@link startDaemon}, gone after `stop()` (or when this process exits). */
export interface RunningDaemon {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The private directory: configuration, data and `daemon.log`. Deleted by `stop()`. */
  dir: string;
  /** Terminates the daemon and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

function lastLines(file: string, count = 8): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

/** A readiness check for daemons that answer `GET path` with 200 once they serve (`/-/ready`). */
export function httpReady(path: string): (port: number) => Promise<boolean> {
  return (port) =>
    new Promise((resolve) => {
      // agent: false, so no kept-alive socket outlives the check.
      const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return Promise.race([
    new Promise<boolean>((resolve) => child.once('exit', () => resolve(true))),
    sleep(ms, false, { ref: false }),
  ]);
}

class PortTakenError extends Error {}

async function startOnce(spec: DaemonSpec, port: number): Promise<RunningDaemon> {
  const dir = mkdtempSync(join(tmpdir(), `firebreak-${spec.name}-`));
  const logFile = join(dir, 'daemon.log');
  let child: ChildProcess | undefined;
  let spawnError: NodeJS.ErrnoException | undefined;
  // A crash or an uncaught error in this process must not leave a daemon or its directory behind.
  const killOnExit = () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (child && child.exitCode === null && child.signalCode === null && !spawnError) {
      child.kill('SIGTERM');
      if (!(await exited(child, 5000))) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const args = spec.prepare(dir, port);
    // The log goes to a file, not a pipe: a pipe nobody reads would block a chatty daemon.
    const log = openSync(logFile, 'a');
    try {
      child = spawn(spec.command, args, { cwd: dir, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    child.once('error', (err) => {
      spawnError = err;
    });
    const deadline = Date.now() + (spec.startTimeoutMs ?? 15_000);
    for (;;) {
      if (spawnError) {
        throw spawnError.code === 'ENOENT'
          ? new Error(spec.missing)
          : new Error(`${spec.name} could not start: ${spawnError.message}`);
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        const log = lastLines(logFile);
        if (/address already in use/i.test(log)) throw new PortTakenError(`127.0.0.1:${port} is taken`);
        throw new Error(
          `${spec.name} exited with ${child.exitCode ?? child.signalCode}: ${log || '(no log)'}`,
        );
      }
      if (await spec.ready(port)) return { url: `http://127.0.0.1:${port}`, port, dir, stop };
      if (Date.now() > deadline) {
        throw new Error(
          `${spec.name} on 127.0.0.1:${port} was not ready in time: ${lastLines(logFile) || '(no log)'}`,
        );
      }
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Starts a daemon on 127.0.0.1 with its own temporary directory and resolves once `ready` says it
 * serves: the shape of `startRedisServer`, made general for Prometheus and Alertmanager. Never a
 * system port, never the system's data.
 */
export async function startDaemon(spec: DaemonSpec): Promise<RunningDaemon> {
  // freePort() releases the port before the daemon binds it; another process may take it in between.
  for (let attempt = 1; ; attempt++) {
    const port = spec.port ?? (await freePort());
    try {
      return await startOnce(spec, port);
    } catch (err) {
      if (!(err instanceof PortTakenError)) throw err;
      if (spec.port !== undefined || attempt >= 3) throw new Error(`${spec.name}: ${err.message}`);
    }
  }
}
