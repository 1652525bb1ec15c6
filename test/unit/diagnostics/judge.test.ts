import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/diagnostics/evaluate-condition.js';
import { describeThreshold, formatMs, formatValue } from '../../../src/diagnostics/format-value.js';
import { parseDuration } from '../../../src/runbooks/duration.js';
import { type Threshold, thresholdSchema } from '../../../src/runbooks/runbook-schema.js';

const threshold = (input: Record<string, unknown>): Threshold => thresholdSchema.parse(input);

describe('judge', () => {
  it('defaults to >= and returns critical, warn or ok', () => {
    const t = threshold({ warn: 1000, critical: 2000, unit: 'ms' });
    expect(judge(2500, t)).toBe('critical');
    expect(judge(2000, t)).toBe('critical');
    expect(judge(1999, t)).toBe('warn');
    expect(judge(1000, t)).toBe('warn');
    expect(judge(999, t)).toBe('ok');
  });

  it('without warn goes straight from ok to critical', () => {
    const t = threshold({ critical: 80 });
    expect(judge(79.9, t)).toBe('ok');
    expect(judge(80, t)).toBe('critical');
  });

  it.each([
    ['>', 80, 80, 'ok'],
    ['>', 80.1, 80, 'critical'],
    ['<', 49, 50, 'critical'],
    ['<', 50, 50, 'ok'],
    ['<=', 50, 50, 'critical'],
    ['<=', 51, 50, 'ok'],
    ['==', 0, 0, 'critical'],
    ['==', 1, 0, 'ok'],
    ['!=', 1, 0, 'critical'],
    ['!=', 0, 0, 'ok'],
  ] as const)('op %s: %d against %d is %s', (op, value, critical, verdict) => {
    expect(judge(value, threshold({ op, critical }))).toBe(verdict);
  });

  it('with a "lower is worse" op, warn sits above critical', () => {
    const rps = threshold({ op: '<', warn: 100, critical: 50 });
    expect(judge(40, rps)).toBe('critical');
    expect(judge(70, rps)).toBe('warn');
    expect(judge(150, rps)).toBe('ok');
  });
});

describe('threshold and value text', () => {
  it('describes thresholds for people', () => {
    expect(describeThreshold(threshold({ critical: 80, unit: '%' }))).toBe('≥ 80 %');
    expect(describeThreshold(threshold({ warn: 1000, critical: 2000, unit: 'ms' }))).toBe(
      'warn ≥ 1000 ms, critical ≥ 2000 ms',
    );
    expect(describeThreshold(threshold({ op: '<', critical: 50 }))).toBe('< 50');
  });

  it('formats values and durations compactly', () => {
    expect(formatValue({ value: 2510.4, unit: 'ms' })).toBe('2510 ms');
    expect(formatValue({ value: 92.13, unit: '%' })).toBe('92.1 %');
    expect(formatValue({ value: 3 })).toBe('3');
    expect(formatValue({ value: 0.03333 })).toBe('0.0333');
    expect(formatValue({})).toBe('–');
    expect(formatMs(2500)).toBe('2.5 s');
    expect(formatMs(3000)).toBe('3 s');
    expect(formatMs(120.4)).toBe('120 ms');
    expect(formatMs(0.42)).toBe('0.4 ms');
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('rejects anything else with the expected shape', () => {
    expect(() => parseDuration('30 seconds')).toThrow(/"30 seconds" is not a duration: write e.g. "500ms"/);
    expect(() => parseDuration('1.5s')).toThrow(/not a duration/);
  });
});
