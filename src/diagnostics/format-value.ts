import type { Comparison, Threshold } from '../runbooks/runbook-schema.js';
import type { ProbeResult } from './probe-result.js';

const SYMBOLS: Record<Comparison, string> = {
  '>': '>',
  '>=': '≥',
  '<': '<',
  '<=': '≤',
  '==': '=',
  '!=': '≠',
};

/** `≥` for `>=`: thresholds are read by people in Slack, not parsed. */
export function comparisonSymbol(op: Comparison): string {
  return SYMBOLS[op];
}

/**
 * A number as short as it stays meaningful: whole numbers as they are, 3 significant digits below
 * 100 (`92.1`, `0.0333`), none from 100 up (`2510`). Latencies in the thousands keep every digit
 * because the threshold they are compared with does.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number.parseFloat(value.toPrecision(3)));
}

function withUnit(text: string, unit: string | undefined): string {
  return unit ? `${text} ${unit}` : text;
}

/** A result's value for the snapshot: `2510 ms`, `92.1 %`, `3`; `–` when nothing was measured. */
export function formatValue(result: Pick<ProbeResult, 'value' | 'unit'>): string {
  return result.value === undefined ? '–' : withUnit(formatNumber(result.value), result.unit);
}

/** `850 ms`, `2.5 s`, `3 s`, `2 min` — durations in details such as `timed out after 3 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${formatNumber(ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms))} ms`;
  if (ms < 60_000) return `${formatNumber(Math.round(ms / 100) / 10)} s`;
  return `${formatNumber(Math.round(ms / 6000) / 10)} min`;
}

/** `≥ 80 %`, or `warn ≥ 1000 ms, critical ≥ 2000 ms` when the threshold has a warning level. */
export function describeThreshold(threshold: Threshold, unit = threshold.unit): string {
  const symbol = comparisonSymbol(threshold.op);
  const critical = `${symbol} ${withUnit(formatNumber(threshold.critical), unit)}`;
  if (threshold.warn === undefined) return critical;
  return `warn ${symbol} ${withUnit(formatNumber(threshold.warn), unit)}, critical ${critical}`;
}
