import type { Histogram } from 'prom-client';
import { parseDuration } from '../runbooks/duration.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { Probe, ProbeCheck, Verdict } from '../runbooks/runbook-schema.js';
import { errorMessage } from './describe-error.js';
import { judge } from './evaluate-condition.js';
import { describeThreshold, formatMs } from './format-value.js';
import type { Measurement, MeasureOptions } from './measurement.js';
import type { ProbeResult } from './probe-result.js';
import { measureCommand } from './probes/measure-command.js';
import { measureHost } from './probes/measure-host.js';
import { measureHttp } from './probes/measure-http.js';
import { measureLoadTest } from './probes/measure-load-test.js';
import { measureLogs } from './probes/measure-logs.js';
import { measurePrometheus } from './probes/measure-prometheus.js';
import { measureRedis } from './probes/measure-redis.js';

/** What a probe needs from its caller. All I/O beyond the target itself is passed in here. */
export interface ProbeContext {
  /** Values for `${VAR}` in urls, headers, argv and paths. */
  vars: Variables;
  /** Cancels the probe (the incident closed, the bot shuts down); each probe adds its own timeout. */
  signal?: AbortSignal;
  /** Programs a `command` probe may run (EXECUTOR_ALLOWED_PROGRAMS). Absent: none. */
  allowedPrograms?: ReadonlySet<string>;
  /** Clock in epoch ms, for `durationMs` and the diagnosis timestamps. @defaultValue `Date.now` */
  now?: () => number;
  /**
   * Where the host probe reads proc(5) files (HOST_PROC_ROOT); `command` probes pass it to `ss` as
   * iproute2's PROC_ROOT. @defaultValue `/proc`
   */
  procRoot?: string;
  /** Sample window of the host probe's cpu and disk-io. @defaultValue 200 */
  hostSampleMs?: number;
  /** Patterns a `logs` probe counts when it lists none: the runbook's `triggers.logPatterns`. */
  logPatterns?: readonly string[];
  /** `firebreak_probe_duration_seconds`: each probe's wall time by kind and verdict. Absent: not measured. */
  probeDurations?: Pick<Histogram<'kind' | 'outcome'>, 'observe'>;
}

/**
 * The verdict when a target cannot be reached or times out. For a service, Redis or a load test
 * that is the finding (critical); for an observer — Prometheus, a tool, a log file, /proc — it
 * only means Firebreak could not look (unknown).
 */
const UNREACHABLE: Record<ProbeCheck['type'], Verdict> = {
  http: 'critical',
  redis: 'critical',
  loadtest: 'critical',
  prometheus: 'unknown',
  host: 'unknown',
  command: 'unknown',
  logs: 'unknown',
};

/** The kind's natural unit, shown when the threshold names none. */
export function kindUnit(check: ProbeCheck): string | undefined {
  if (check.type === 'host') return check.metric === 'connections' ? undefined : '%';
  if (check.type === 'http') return check.measure === 'latency' ? 'ms' : undefined;
  if (check.type === 'redis') return check.measure === 'ping' ? 'ms' : check.percentOf ? '%' : undefined;
  return check.type === 'loadtest' ? 'ms' : undefined;
}

function measure(check: ProbeCheck, options: MeasureOptions, ctx: ProbeContext): Promise<Measurement> {
  switch (check.type) {
    case 'http':
      return measureHttp(check, options);
    case 'prometheus':
      return measurePrometheus(check, options);
    case 'redis':
      return measureRedis(check, options);
    case 'host':
      return measureHost(check, {
        signal: options.signal,
        ...(ctx.procRoot === undefined ? {} : { procRoot: ctx.procRoot }),
        ...(ctx.hostSampleMs === undefined ? {} : { sampleMs: ctx.hostSampleMs }),
      });
    case 'command':
      return measureCommand(check, {
        ...options,
        allowedPrograms: ctx.allowedPrograms,
        procRoot: ctx.procRoot,
      });
    case 'logs':
      return measureLogs(check, { ...options, defaultPatterns: ctx.logPatterns });
    case 'loadtest':
      return measureLoadTest(check, options);
  }
}

/**
 * Settles when `work` does or when `signal` aborts, whichever is first: a probe kind that misses
 * the signal somewhere (a library that ignores it) still cannot hold the diagnosis.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs one probe within its timeout and judges it against its threshold. Never throws: a timeout,
 * a refused connection, an unset variable or a bug in a probe kind all become a result with
 * verdict `critical` or `unknown` and a one-line detail, so one broken probe never breaks the
 * snapshot.
 */
export async function runProbe(probe: Probe, ctx: ProbeContext): Promise<ProbeResult> {
  const result = await measureAndJudge(probe, ctx);
  ctx.probeDurations?.observe({ kind: probe.check.type, outcome: result.verdict }, result.durationMs / 1000);
  return result;
}

async function measureAndJudge(probe: Probe, ctx: ProbeContext): Promise<ProbeResult> {
  const now = ctx.now ?? Date.now;
  const started = now();
  const base = {
    probeId: probe.id,
    title: probe.title,
    ...(probe.step === undefined ? {} : { step: probe.step }),
  };
  const unit = probe.threshold?.unit ?? kindUnit(probe.check);
  const threshold = probe.threshold ? { threshold: describeThreshold(probe.threshold, unit) } : {};
  const finish = (measurement: Measurement, verdict: Verdict): ProbeResult => ({
    ...base,
    verdict,
    ...(measurement.value === undefined ? {} : { value: measurement.value }),
    ...(measurement.value === undefined || (unit ?? measurement.unit) === undefined
      ? {}
      : { unit: (unit ?? measurement.unit) as string }),
    ...(measurement.values === undefined ? {} : { values: measurement.values }),
    ...threshold,
    detail: measurement.detail,
    durationMs: Math.max(0, Math.round(now() - started)),
  });

  let timeoutMs = 0;
  let timeout: AbortSignal | undefined;
  try {
    timeoutMs = parseDuration(probe.timeout);
    timeout = AbortSignal.timeout(timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    const measurement = await untilAborted(
      measure(probe.check, { signal, timeoutMs, vars: ctx.vars }, ctx),
      signal,
    );
    const verdict =
      measurement.verdict ??
      (measurement.value !== undefined && probe.threshold ? judge(measurement.value, probe.threshold) : 'ok');
    return finish(measurement, verdict);
  } catch (error) {
    if (timeout?.aborted) {
      return finish({ detail: `timed out after ${formatMs(timeoutMs)}` }, UNREACHABLE[probe.check.type]);
    }
    if (ctx.signal?.aborted) return finish({ detail: 'cancelled before it finished' }, 'unknown');
    return finish({ detail: errorMessage(error) }, 'unknown');
  }
}
