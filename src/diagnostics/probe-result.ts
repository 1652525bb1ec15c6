import type { Verdict } from '../runbooks/runbook-schema.js';

/**
 * What one probe found: one row of the diagnosis snapshot and the input of scenario and checklist
 * conditions. Plain data (JSON-safe) so the incident store can keep it and the Slack renderer can
 * draw it without knowing how it was measured.
 */
export interface ProbeResult {
  probeId: string;
  title: string;
  /** Diagnosis step (1-4) of the probe, absent for checklist-only probes. */
  step?: number;
  verdict: Verdict;
  /** The measured number (ms, %, count, req/s …); absent when nothing could be measured. */
  value?: number;
  /** From the threshold, else from the probe kind (`ms` for latency, `%` for host cpu/memory). */
  unit?: string;
  /** Extra numbers a condition can name with `field` (loadtest: rps, p99_ms, mean_ms, failed …). */
  values?: Record<string, number>;
  /** The threshold as a person reads it: `≥ 80 %` or `warn ≥ 1000 ms, critical ≥ 2000 ms`. */
  threshold?: string;
  /** One short line: `HTTP 503 in 2.5 s`, `timed out after 3 s`, `connection refused`. */
  detail: string;
  /** Wall time the probe took, including a timeout. */
  durationMs: number;
  /** A probe with `on:`: the host whose reading `value` is (the most alarming one). */
  host?: string;
  /** A probe with `on:`: one reading per host of its role, by host name. */
  hosts?: HostReading[];
}

/** What one host of a role answered (or why it did not). */
export interface HostReading {
  host: string;
  verdict: Verdict;
  value?: number;
  unit?: string;
  detail: string;
}
