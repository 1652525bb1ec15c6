import type { Logger } from '../logging/logger.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { Condition, Step, StepType } from '../runbooks/runbook-schema.js';

/** What one execution may use and must respect. Built per job by the worker. */
export interface ExecutionContext {
  /** Interpolation environment; holds secrets such as `ADMIN_TOKEN`, so it is never logged. */
  vars: Variables;
  /** Cancel, shutdown or deadline: aborting really stops the request, connection or child process. */
  signal: AbortSignal;
  /** Program names (or full paths) a `process` step may run: EXECUTOR_ALLOWED_PROGRAMS. */
  allowedPrograms: ReadonlySet<string>;
  /** Values that must never appear in a result (tokens, keys); see {@link redactSecrets}. */
  secrets: readonly string[];
  /** A pino child logger of the job; it receives descriptions of steps, never interpolated values. */
  log: Logger;
  /** Progress inside a sequence: `index` is 0-based, called before each step starts. */
  onStep?: (index: number, total: number, description: string) => void;
  /** Replaces the timer of `wait` steps in tests; must reject when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Judges an `expect.condition` on fresh probe values; the core provides it (probes are not ours to run). */
  verify?: (condition: Condition) => Promise<{ met: boolean | 'unknown'; evidence: string[] }>;
}

/** What a step saw, unredacted and never shown: for `expect:` and `capture:` only. */
export interface Observed {
  /** The HTTP status. */
  status?: number;
  /** The body (text), the Redis reply, or the program's standard output. */
  data?: unknown;
}

/** How far a run got when it was stopped, for "cancelled after 2 of 3 steps". */
export interface RunProgress {
  done: number;
  total: number;
  /** The step that was running when it was stopped, if it could have changed something: its outcome is unknown. */
  cut?: string;
}

/** The outcome of one step, safe to show: every text in it has passed through `redactSecrets`. */
export interface ExecutionResult {
  outcome: 'succeeded' | 'failed';
  /** One line for humans: `POST 127.0.0.1:8002/api/admin/rate-limit/emergency → 200 in 42 ms`. */
  summary: string;
  /** Secret-free output excerpt, at most 600 characters, cut with `…`. */
  excerpt: string;
  durationMs: number;
  /** One result per step of a `sequence`, up to the one that failed or was cancelled. */
  steps?: ExecutionResult[];
  /** Set when the run was stopped (cancel, shutdown): how many steps were done, and which was cut. */
  progress?: RunProgress;
}

/**
 * What an executor returns, texts still whole: `executeStep` redacts first and truncates after, so
 * a cut can never leave half a secret behind. `keep: 'end'` keeps the excerpt's tail (program output).
 */
export type StepOutcome = Omit<ExecutionResult, 'durationMs'> & {
  keep?: 'start' | 'end';
  observed?: Observed;
};

export type StepOf<K extends StepType> = Extract<Step, { type: K }>;

/**
 * Runs one kind of step. A second implementation is real (Kubernetes API, ssh come next), hence the
 * interface. Executors may throw: `executeStep` turns an error into a failed result, and into
 * `cancelled` / `deadline exceeded` when the context's signal was aborted.
 */
export interface StepExecutor<K extends StepType = StepType> {
  execute(step: StepOf<K>, ctx: ExecutionContext): Promise<StepOutcome>;
}

/** The registry's shape: exactly one executor per step kind, checked by the compiler. */
export type ExecutorRegistry = { readonly [K in StepType]: StepExecutor<K> };
