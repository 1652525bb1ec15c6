import { Counter, type Registry } from 'prom-client';
import { createLogLimiter } from '../logging/log-limiter.js';
import type { Logger } from '../logging/logger.js';
import { within } from './within.js';

/** What became of an error nothing else caught. */
export const strayOutcomes = ['continued', 'exited'] as const;
export type StrayOutcome = (typeof strayOutcomes)[number];

/**
 * Socket and stream errors that reached no listener: one connection (a client that hung up, a
 * target that reset) is gone, and nothing else in the process was interrupted half-way.
 */
const CONNECTION_ERRORS = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/**
 * Whether the process can go on after `kind` of stray error. A rejected promise nobody awaited
 * unwound its own async function normally: that one operation failed, and everything the process
 * holds (Redis, queues, the incident store) is where it was. An exception thrown out of a callback
 * interrupted code half-way — unless it is a single connection's error — so what the process holds
 * in memory is unknown: stop, and let the supervisor start a clean one (every incident, approval and
 * timeline entry is in Redis, so a restart loses nothing).
 */
export function isStateKnown(kind: 'unhandledRejection' | 'uncaughtException', error: unknown): boolean {
  if (kind === 'unhandledRejection') return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_ERRORS.has(code);
}

export interface ProcessGuardOptions {
  log: Logger;
  /** @defaultValue the real process */
  process?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** @defaultValue process.exit */
  exit?: (code: number) => void;
  /** How long the orderly stop may take before exiting anyway. @defaultValue 10000 */
  stopTimeoutMs?: number;
}

/** The process-level policy for errors nothing else caught. */
export interface ProcessGuard {
  /** What to stop before exiting (the bot, the worker), once it is running. */
  onFatal(stop: () => Promise<void>): void;
  /** Adds `firebreak_stray_errors_total` to a registry (served on `/metrics`). */
  register(registry: Registry): void;
  uninstall(): void;
}

/**
 * Installs handlers for `unhandledRejection` and `uncaughtException`: each error is logged (repeats
 * rate-limited, so a flood cannot bury the log) and counted by kind and outcome; the process exits
 * (code 1, after a bounded orderly stop) only when {@link isStateKnown} says its state is unknown.
 */
export function installProcessGuard(options: ProcessGuardOptions): ProcessGuard {
  const proc = options.process ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log.child({ component: 'process-guard' });
  const limited = createLogLimiter(log);
  const counter = new Counter({
    name: 'firebreak_stray_errors_total',
    help: 'Errors that reached the process level uncaught, by kind, and whether the process went on or exited.',
    labelNames: ['kind', 'outcome'],
    registers: [],
  });
  let stop: (() => Promise<void>) | undefined;
  let exiting = false;

  const handle = (kind: 'unhandledRejection' | 'uncaughtException') => (error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    if (isStateKnown(kind, error)) {
      counter.inc({ kind, outcome: 'continued' });
      limited.log(
        'error',
        `${kind}:${err.name}:${err.message.slice(0, 80)}`,
        { err, kind },
        `${kind}: continuing`,
      );
      return;
    }
    counter.inc({ kind, outcome: 'exited' });
    log.fatal({ err, kind }, `${kind}: the process state is unknown; stopping`);
    if (exiting) return;
    exiting = true;
    void within(
      stop?.().catch(() => undefined) ?? Promise.resolve(),
      options.stopTimeoutMs ?? 10_000,
    ).finally(() => exit(1));
  };
  const onRejection = handle('unhandledRejection');
  const onException = handle('uncaughtException');
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return {
    onFatal(fn) {
      stop = fn;
    },
    register(registry) {
      registry.registerMetric(counter);
    },
    uninstall() {
      proc.off('unhandledRejection', onRejection);
      proc.off('uncaughtException', onException);
    },
  };
}
