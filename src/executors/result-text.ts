/** Longest excerpt a result carries: Slack cuts long messages, and the full output is not ours to keep. */
export const MAX_EXCERPT = 600;

/**
 * Cuts a text to `max` characters with `…`. `keep: 'end'` keeps the tail, where a program's error
 * usually is.
 */
export function truncate(text: string, max = MAX_EXCERPT, keep: 'start' | 'end' = 'start'): string {
  if (text.length <= max) return text;
  return keep === 'start' ? `${text.slice(0, max - 1)}…` : `…${text.slice(text.length - max + 1)}`;
}

/** `42 ms`, `1.5 s`, `10 s`, `2 min`: for summaries read at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}

/**
 * The summary of an aborted step. The worker aborts with a reason that says why: a timeout
 * (`AbortSignal.timeout`, a `TimeoutError`) or any reason mentioning "deadline" is a deadline,
 * anything else a cancellation.
 */
export function abortSummary(signal: AbortSignal): 'cancelled' | 'deadline exceeded' {
  const reason: unknown = signal.reason;
  const text =
    reason instanceof Error ? `${reason.name} ${reason.message}` : typeof reason === 'string' ? reason : '';
  return /TimeoutError|deadline/i.test(text) ? 'deadline exceeded' : 'cancelled';
}

/** A one-line message from anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A socket error as a person reads it: `connection refused to 127.0.0.1:8002`. */
export function networkErrorText(error: unknown, target: string): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused to ${target}`;
    case 'ECONNRESET':
      return `connection reset by ${target}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found: ${target}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${target}`;
    default:
      return undefined;
  }
}

/** argv as a person would type it, quoting only what needs it. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((arg) => (arg === '' || /[\s"'\\]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ');
}
