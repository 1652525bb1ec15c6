import { Counter, Histogram, type Registry } from 'prom-client';

/** A labelled counter on `registers`; `name` ends in `_total` (Prometheus' convention for counters). */
export function counter<L extends string>(
  registers: Registry[],
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  return new Counter({ name, help, labelNames, registers });
}

/** A labelled histogram on `registers`, in seconds (`name` ends in `_seconds`), with explicit buckets. */
export function histogram<L extends string>(
  registers: Registry[],
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets, registers });
}
