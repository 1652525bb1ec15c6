import type { Logger } from 'pino';

type Level = 'warn' | 'error' | 'fatal' | 'info' | 'debug';

export interface LogLimiterOptions {
  /** How long one kind of line is counted before it may be written again. @defaultValue 60000 */
  windowMs?: number;
  /** Lines of one kind written per window before the rest are only counted. @defaultValue 3 */
  burst?: number;
  /** Distinct kinds remembered at once; the oldest is forgotten first. @defaultValue 500 */
  maxKeys?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** Writes a line unless too many of its kind were written lately. */
export interface LogLimiter {
  /**
   * Logs `msg` at `level` unless `burst` lines of the same `kind` were written in the current
   * window. The first line written after a quiet spell carries `suppressed: <n>`, so the log still
   * says how often it happened.
   */
  log(level: Level, kind: string, fields: Record<string, unknown>, msg: string): void;
}

interface Window {
  startedAt: number;
  written: number;
  suppressed: number;
}

/**
 * Keeps a flood of one repeated error (a fuzzer, a misbehaving client, a dependency down) from
 * burying every other line: 10,000 malformed requests write a handful of lines and a count.
 * Kinds are chosen by the caller (a reason, not the attacker's text), so they stay few.
 */
export function createLogLimiter(log: Logger, options: LogLimiterOptions = {}): LogLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const burst = options.burst ?? 3;
  const maxKeys = options.maxKeys ?? 500;
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  return {
    log(level, kind, fields, msg) {
      const at = now();
      let window = windows.get(kind);
      if (!window || at - window.startedAt >= windowMs) {
        const suppressed = window?.suppressed ?? 0;
        windows.delete(kind);
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
        window = { startedAt: at, written: 0, suppressed: 0 };
        windows.set(kind, window);
        if (suppressed > 0) fields = { ...fields, suppressed };
      }
      if (window.written >= burst) {
        window.suppressed += 1;
        return;
      }
      window.written += 1;
      log[level](fields, msg);
    },
  };
}
