import type { Variables } from '../runbooks/interpolate.js';
import type { Verdict } from '../runbooks/runbook-schema.js';

/** What a probe kind measured, before `runProbe` adds the id, title, threshold and timing. */
export interface Measurement {
  value?: number;
  values?: Record<string, number>;
  /** The kind's natural unit; the threshold's `unit` wins over it. */
  unit?: string;
  detail: string;
  /**
   * Set when the measurement decides by itself — HTTP 503 is critical whatever its latency, a
   * tool that could not run is unknown. Without it the threshold judges `value`.
   */
  verdict?: Verdict;
}

/** What every probe kind receives. */
export interface MeasureOptions {
  /** Aborts on the probe's timeout or when the caller gives up; every kind must honour it. */
  signal: AbortSignal;
  /** The probe's timeout, for I/O libraries that take a number rather than a signal. */
  timeoutMs: number;
  vars: Variables;
}
