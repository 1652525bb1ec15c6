import { open } from 'node:fs/promises';
import { interpolate } from '../../runbooks/interpolate.js';
import type { ProbeCheck } from '../../runbooks/runbook-schema.js';
import type { Measurement, MeasureOptions } from '../measurement.js';

type LogsCheck = Extract<ProbeCheck, { type: 'logs' }>;

const CHUNK_BYTES = 64 * 1024;
/** Caps the read when lines are absurdly long: the probe answers about the recent past, not all of it. */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * The last `count` lines of a file, reading backwards from its end in chunks — a multi-gigabyte
 * log costs only its tail. Honours `signal` between chunks.
 */
export async function readTail(path: string, count: number, signal?: AbortSignal): Promise<string[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const chunks: Buffer[] = [];
    let position = size;
    let newlines = 0;
    let read = 0;
    // One newline more than lines wanted: the first kept line must start right after one.
    while (position > 0 && newlines <= count && read < MAX_TAIL_BYTES) {
      signal?.throwIfAborted();
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      const { bytesRead } = await file.read(chunk, 0, length, position);
      const data = chunk.subarray(0, bytesRead);
      for (const byte of data) if (byte === NEWLINE) newlines += 1;
      chunks.unshift(data);
      read += bytesRead;
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // Unless the read reached the start of the file, the first line is cut.
    if (position > 0) lines.shift();
    return lines.slice(-count);
  } finally {
    await file.close();
  }
}

/**
 * Counts log lines containing each pattern in the file's last `tailLines` lines (the seed's "log
 * patterns to look for"). Patterns are plain substrings, as written in the runbook; the value is
 * the total of the counts, and `values` holds one count per pattern.
 */
export async function measureLogs(
  check: LogsCheck,
  options: MeasureOptions & { defaultPatterns?: readonly string[] | undefined },
): Promise<Measurement> {
  const path = interpolate(check.file, options.vars);
  const patterns = check.patterns ?? options.defaultPatterns ?? [];
  if (patterns.length === 0) {
    return {
      verdict: 'unknown',
      detail: 'no patterns to count: set patterns or the runbook triggers.logPatterns',
    };
  }
  let lines: string[];
  try {
    lines = await readTail(path, check.tailLines, options.signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { verdict: 'unknown', detail: `log file not found: ${path}` };
    if (code === 'EACCES') return { verdict: 'unknown', detail: `log file not readable: ${path}` };
    throw error;
  }
  const values: Record<string, number> = {};
  for (const pattern of patterns) values[pattern] = 0;
  for (const line of lines) {
    for (const pattern of patterns) if (line.includes(pattern)) values[pattern] = (values[pattern] ?? 0) + 1;
  }
  const total = Object.values(values).reduce((sum, n) => sum + n, 0);
  const [top, topCount = 0] = Object.entries(values).sort((a, b) => b[1] - a[1])[0] ?? [];
  const most = topCount > 0 ? `, most "${top}" ×${topCount}` : '';
  return { value: total, values, detail: `${total} matches in the last ${lines.length} lines${most}` };
}
