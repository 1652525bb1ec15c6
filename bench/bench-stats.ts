import { cpus, freemem, totalmem } from 'node:os';

/** The `p`th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
}

export const summarize = (ms: readonly number[]): Summary => ({
  n: ms.length,
  p50: percentile(ms, 50),
  p99: percentile(ms, 99),
});

/** Runs `total` calls of `fn`, `concurrency` at a time, and returns each call's duration in ms. */
export async function underLoad(total: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const i = next++;
      const started = performance.now();
      await fn(i);
      ms.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return ms;
}

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The machine the numbers come from, for docs/benchmarks.md. */
export function machine(): string {
  const cpu = cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free)`,
    `Node ${process.version}`,
    `${process.platform} ${process.arch}`,
  ].join(', ');
}

/** A markdown table. */
export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Resolves once `check()` holds, polling every 50 ms; rejects after `ms`. */
export async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`bench: timed out after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
