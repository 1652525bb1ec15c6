import { type ExecFileException, execFile } from 'node:child_process';
import { childEnvironment } from '../../executors/run-program.js';
import { interpolateDeep } from '../../runbooks/interpolate.js';
import type { ProbeCheck } from '../../runbooks/runbook-schema.js';
import { errorCode } from '../describe-error.js';
import { formatNumber } from '../format-value.js';
import type { Measurement, MeasureOptions } from '../measurement.js';
import { DEFAULT_PROC_ROOT } from './measure-host.js';

type CommandCheck = Extract<ProbeCheck, { type: 'command' }>;

export interface CommandOptions extends MeasureOptions {
  /** Programs the probe may run (EXECUTOR_ALLOWED_PROGRAMS). Absent: none. */
  allowedPrograms?: ReadonlySet<string> | undefined;
  /** The host's procfs (HOST_PROC_ROOT), passed to iproute2's tools as PROC_ROOT. @defaultValue `/proc` */
  procRoot?: string | undefined;
}

/** `lsof` on a busy host prints megabytes; past this the count would be wrong anyway. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

interface CommandOutput {
  stdout: string;
  exitCode: number;
  error?: ExecFileException;
}

/**
 * The environment of the program: the same curated few variables a `process` step gets (never the
 * bot's tokens or keys), plus iproute2's `PROC_ROOT` when the host's procfs is elsewhere
 * (HOST_PROC_ROOT), so `ss -s` counts the sockets of the host the host probe reads. `lsof` and
 * `ps` have no such setting and always read /proc.
 */
function environment(options: CommandOptions): NodeJS.ProcessEnv {
  const env = childEnvironment(options.vars);
  const { procRoot } = options;
  return procRoot === undefined || procRoot === DEFAULT_PROC_ROOT ? env : { ...env, PROC_ROOT: procRoot };
}

function run(argv: string[], options: CommandOptions): Promise<CommandOutput> {
  const [program = '', ...args] = argv;
  const env = environment(options);
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      {
        signal: options.signal,
        timeout: options.timeoutMs,
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        env,
      },
      (error, stdout) => {
        const exitCode = typeof error?.code === 'number' ? error.code : error ? -1 : 0;
        resolve({ stdout: String(stdout), exitCode, ...(error ? { error } : {}) });
      },
    );
  });
}

/** Counts non-empty lines, after `filter` when given (the seed's `| grep "\.db$" | wc -l`). */
export function countLines(stdout: string, filter?: string): number {
  const pattern = filter === undefined ? undefined : new RegExp(filter);
  return stdout.split('\n').filter((line) => line.trim() !== '' && (!pattern || pattern.test(line))).length;
}

/**
 * Runs an allow-listed program without a shell (argv interpolated, never a command line) and
 * measures its output: a line count, or a number captured by a regex. A program missing from the
 * allow-list, or from the host, is `unknown` with the fix — never a reason to fall back to a shell.
 * A non-zero exit still counts its output: `lsof` exits 1 when it finds nothing or hits a
 * permission error on one process, and the count is still the answer.
 */
export async function measureCommand(check: CommandCheck, options: CommandOptions): Promise<Measurement> {
  const argv = interpolateDeep(check.command, options.vars);
  const program = argv[0] ?? '';
  if (!options.allowedPrograms?.has(program)) {
    return {
      verdict: 'unknown',
      detail: `${program} is not allowed on this host: add it to EXECUTOR_ALLOWED_PROGRAMS`,
    };
  }
  const output = await run(argv, options);
  if (options.signal.aborted) throw options.signal.reason;
  const code = output.error ? errorCode(output.error) : undefined;
  if (code === 'ENOENT') return { verdict: 'unknown', detail: `${program} is not installed` };
  if (code === 'EACCES') return { verdict: 'unknown', detail: `${program} is not executable` };
  if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return {
      verdict: 'unknown',
      detail: `${program} printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB`,
    };
  }
  if (output.exitCode === -1) {
    // Not the error's message: it repeats the whole command line, interpolated secrets included.
    const signal = output.error?.signal;
    const why = signal ? `was killed by ${signal}` : `failed (${code ?? 'no exit code'})`;
    return { verdict: 'unknown', detail: `${program} ${why}` };
  }
  const exit = output.exitCode === 0 ? '' : ` (exit ${output.exitCode})`;

  if (check.measure === 'lines') {
    const lines = countLines(output.stdout, check.filter);
    return {
      value: lines,
      detail: `${lines} line${lines === 1 ? '' : 's'}${check.filter ? ` matching /${check.filter}/` : ''}${exit}`,
    };
  }
  const match = new RegExp(check.measure.regex, 'm').exec(output.stdout);
  const value = match?.[1] === undefined ? Number.NaN : Number.parseFloat(match[1]);
  if (!Number.isFinite(value)) {
    return {
      verdict: 'unknown',
      detail: `no number matched /${check.measure.regex}/ in the output of ${program}${exit}`,
    };
  }
  return { value, detail: `${program}: ${formatNumber(value)}${exit}` };
}
