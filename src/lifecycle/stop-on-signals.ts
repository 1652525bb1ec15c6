import type { Logger } from '../logging/logger.js';

/** What this needs of `process`: signal listeners and `exit`. Tests pass an emitter of their own. */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): void;
}

export interface StopOnSignalsOptions {
  /**
   * The longest a stop may take, from the first signal: past it the process exits 1 anyway. Every
   * step of a stop is bounded already; this is the guarantee a supervisor's SIGKILL would otherwise give.
   */
  deadlineMs: number;
  /** @defaultValue ['SIGTERM', 'SIGINT'] */
  signals?: readonly NodeJS.Signals[];
  /** @defaultValue process */
  target?: SignalTarget;
}

export interface SignalledStop {
  /** The process is up: a signal now runs `stop`, and a signal that came during the start runs it now. */
  running(stop: () => Promise<void>): void;
}

/**
 * Turns SIGTERM and SIGINT into one graceful stop and exit 0 (exit 1 when the stop fails or outlives
 * `deadlineMs`). Installed before the process starts, so a signal during the start is not lost — as
 * a container's PID 1, Node ignores any signal it has no handler for. Listeners stay installed: a
 * second signal (Ctrl-C reaches both `npm start` and the bot, and npm forwards its own) is logged
 * and ignored instead of killing the process halfway through its stop.
 */
export function stopOnSignals(log: Logger, options: StopOnSignalsOptions): SignalledStop {
  const target = options.target ?? process;
  let stop: (() => Promise<void>) | undefined;
  let requested: NodeJS.Signals | undefined;
  let started = false;
  let deadline: NodeJS.Timeout | undefined;
  const exit = (code: number) => {
    clearTimeout(deadline);
    target.exit(code);
  };

  const run = () => {
    if (!stop || requested === undefined || started) return;
    started = true;
    stop().then(
      () => {
        log.info('stopped');
        exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'stopping failed');
        exit(1);
      },
    );
  };

  for (const signal of options.signals ?? (['SIGTERM', 'SIGINT'] as const)) {
    target.on(signal, () => {
      if (requested !== undefined) {
        log.info({ signal }, 'already stopping');
        return;
      }
      requested = signal;
      log.info({ signal, deadlineMs: options.deadlineMs }, 'shutting down');
      // Not unref'd: a stop stuck on nothing at all must still end in exit 1, not in an idle exit 0.
      deadline = setTimeout(() => {
        log.error({ deadlineMs: options.deadlineMs }, 'stopping took too long; exiting anyway');
        target.exit(1);
      }, options.deadlineMs);
      run();
    });
  }

  return {
    running(fn) {
      stop = fn;
      run();
    },
  };
}
