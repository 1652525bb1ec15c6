import { parseDuration } from '../runbooks/duration.js';
import { interpolateDeep } from '../runbooks/interpolate.js';
import { formatArgv, formatDuration, truncate } from './result-text.js';
import { childEnvironment, runProgram } from './run-program.js';
import type { StepExecutor, StepOutcome } from './step-executor.js';

function failure(summary: string, excerpt = ''): StepOutcome {
  return { outcome: 'failed', summary, excerpt, keep: 'end' };
}

/**
 * Why a program may not run here, if it may not. A bare name is looked up in the worker's PATH;
 * a path runs only when that exact path is listed, so `/tmp/x/systemctl` cannot pass as `systemctl`.
 */
function refusal(program: string, allowed: ReadonlySet<string>): string | undefined {
  if (program !== '' && allowed.has(program)) return undefined;
  const fix = 'add it to EXECUTOR_ALLOWED_PROGRAMS';
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (program.includes('/') && allowed.has(base)) {
    return `"${program}" is not allowed on this worker: only "${base}" from PATH is; to run this path, ${fix}`;
  }
  return `"${program}" is not allowed on this worker: ${fix}`;
}

function lastLine(text: string): string {
  return truncate(text.trim().split('\n').at(-1)?.trim() ?? '', 160);
}

/**
 * Runs an allow-listed program (`systemctl restart …`, `kubectl autoscale …`, `nginx -s reload`)
 * with argv interpolated and no shell, so a variable can never smuggle in `; rm -rf /`.
 */
export const processExecutor: StepExecutor<'process'> = {
  async execute(step, ctx) {
    const argv = interpolateDeep(step.command, ctx.vars);
    const program = argv[0] ?? '';
    const refused = refusal(program, ctx.allowedPrograms);
    if (refused) return failure(refused);

    // The summary shows the runbook's argv, not the interpolated one: nothing resolved can leak.
    const what = truncate(formatArgv(step.command), 100);
    const timeoutMs = parseDuration(step.timeout);
    const started = performance.now();
    const run = await runProgram(argv, timeoutMs, ctx.signal, childEnvironment(ctx.vars));
    const took = formatDuration(performance.now() - started);
    const output = run.stderr.trim() || run.stdout.trim();

    if (run.spawnError?.code === 'ENOENT') return failure(`"${program}" is not installed on this worker`);
    if (run.spawnError)
      return failure(`"${program}" could not be started: ${run.spawnError.code ?? run.spawnError.message}`);
    if (run.timedOut)
      return failure(`${what} timed out after ${formatDuration(timeoutMs)} and was killed`, output);
    if (run.exitCode === 0) {
      return {
        outcome: 'succeeded',
        summary: `${what} → exit 0 in ${took}`,
        excerpt: run.stdout.trim() || run.stderr.trim(),
        keep: 'end',
        observed: { data: run.stdout },
      };
    }
    if (run.exitCode === null)
      return failure(`${what} → killed by ${run.exitSignal ?? 'a signal'} after ${took}`, output);
    const tail = lastLine(run.stderr);
    return failure(`${what} → exit ${run.exitCode} in ${took}${tail ? `: ${tail}` : ''}`, output);
  },
};
