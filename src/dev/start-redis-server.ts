import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export interface RedisServerOptions {
  /** @defaultValue a free loopback port */
  port?: number;
  /** The executable. @defaultValue 'redis-server' (found on PATH) */
  command?: string;
  /** How long to wait for the first PONG. @defaultValue 10000 */
  startTimeoutMs?: number;
  /** More arguments (a Cluster node's `--cluster-enabled yes`, a replica's `--replicaof`). */
  args?: readonly string[];
}

/** A private redis-server: memory only, loopback only, gone after `stop()` (or when this process exits). */
export interface RunningRedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The server's process id, for fault tests that pause it (SIGSTOP/SIGCONT) — this server only. */
  pid: number | undefined;
  /** Terminates the server and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export const REDIS_MISSING =
  'redis-server not found: run scripts/ensure-deps.sh (apt-get install redis-server)';

/** One PING over a raw socket: no client library retrying in the background while the server boots. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return Promise.race([
    new Promise<boolean>((resolve) => child.once('exit', () => resolve(true))),
    sleep(ms, false, { ref: false }),
  ]);
}

async function startOnce(port: number, options: RedisServerOptions): Promise<RunningRedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-redis-'));
  const logFile = join(dir, 'redis.log');
  // Memory only (no RDB, no AOF) and noeviction, as BullMQ requires: a queue must never lose a key silently.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir, '--logfile', logFile, '--maxmemory-policy', 'noeviction', '--daemonize', 'no');
  args.push(...(options.args ?? []));
  const child = spawn(options.command ?? 'redis-server', args, { stdio: 'ignore' });
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  // A crash or an uncaught error in this process must not leave a redis-server behind.
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null && !spawnError) {
      child.kill('SIGTERM');
      if (!(await exited(child, 3000))) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  try {
    for (;;) {
      if (spawnError) {
        throw spawnError.code === 'ENOENT'
          ? new Error(REDIS_MISSING)
          : new Error(`redis-server could not start: ${spawnError.message}`);
      }
      if (child.exitCode !== null) {
        throw new Error(`redis-server exited with code ${child.exitCode}: ${readLog(logFile) || '(no log)'}`);
      }
      if (await ping(port)) return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop };
      if (Date.now() > deadline)
        throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING in time`);
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Starts a private, memory-only `redis-server` on 127.0.0.1 in a temporary directory and resolves once it
 * answers PING. Used by the test run and by the demo when no REDIS_URL is given.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedisServer> {
  // freePort() releases the port before redis binds it; another process may take it in between, so retry.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(port, options);
    } catch (err) {
      const taken = err instanceof Error && /already in use/i.test(err.message);
      if (!taken || options.port !== undefined || attempt >= 3) throw err;
    }
  }
}
