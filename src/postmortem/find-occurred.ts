import type { Point } from './query-prometheus.js';

/**
 * When the error rate began the rise that ended in the alert: scanning back from the alert, the
 * start of the last stretch of points above `riseAbove`. Undefined when no point rose above it.
 */
export function firstRise(points: readonly Point[], riseAbove: number): number | undefined {
  let end = points.length - 1;
  while (end >= 0 && (points[end]?.[1] ?? 0) <= riseAbove) end--;
  if (end < 0) return undefined;
  let start = end;
  while (start > 0 && (points[start - 1]?.[1] ?? 0) > riseAbove) start--;
  return points[start]?.[0];
}

/** The highest point, and when. */
export function peakOf(points: readonly Point[]): { value: number; at: number } | undefined {
  let peak: Point | undefined;
  for (const point of points) if (!peak || point[1] > peak[1]) peak = point;
  return peak ? { value: peak[1], at: peak[0] } : undefined;
}
