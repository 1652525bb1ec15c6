import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../src/diagnostics/evaluate-condition.js';
import type { ProbeResult } from '../../../src/diagnostics/probe-result.js';
import { type Condition, conditionSchema } from '../../../src/runbooks/runbook-schema.js';

const result = (probeId: string, fields: Partial<ProbeResult>): ProbeResult => ({
  probeId,
  title: probeId,
  verdict: 'ok',
  detail: '',
  durationMs: 1,
  ...fields,
});

const results = new Map(
  [
    result('cpu', { verdict: 'critical', value: 92, unit: '%', detail: '92 % busy over 200 ms' }),
    result('memory', { verdict: 'ok', value: 40.5, unit: '%' }),
    result('openai-models', { verdict: 'critical', value: 2500, unit: 'ms', detail: 'HTTP 503 in 2.5 s' }),
    result('disk-io', { verdict: 'unknown', detail: 'timed out after 3 s' }),
    result('load', { verdict: 'ok', value: 800, unit: 'ms', values: { rps: 42, failed: 0 } }),
  ].map((r) => [r.probeId, r]),
);

const evaluate = (condition: unknown) =>
  evaluateCondition(conditionSchema.parse(condition) as Condition, results);

describe('evaluateCondition', () => {
  it('compares a value and explains it', () => {
    expect(evaluate({ probe: 'cpu', op: '>', value: 80 })).toEqual({
      met: true,
      evidence: ['cpu 92 % > 80'],
    });
    expect(evaluate({ probe: 'memory', op: '>', value: 85 })).toEqual({
      met: false,
      evidence: ['memory 40.5 % not > 85'],
    });
  });

  it('reads a named field from values', () => {
    expect(evaluate({ probe: 'load', field: 'rps', op: '<', value: 50 })).toEqual({
      met: true,
      evidence: ['load.rps 42 < 50'],
    });
    expect(evaluate({ probe: 'load', field: 'missing', op: '<', value: 50 }).met).toBe('unknown');
  });

  it('matches verdicts with the probe detail as evidence', () => {
    expect(evaluate({ probe: 'openai-models', verdict: ['critical'] })).toEqual({
      met: true,
      evidence: ['openai-models: critical (HTTP 503 in 2.5 s)'],
    });
    expect(evaluate({ probe: 'memory', verdict: ['warn', 'critical'] }).met).toBe(false);
  });

  it('treats an unknown probe as unknown, unless the verdict list asks for unknown', () => {
    expect(evaluate({ probe: 'disk-io', op: '>', value: 90 })).toEqual({
      met: 'unknown',
      evidence: ['disk-io: unknown (timed out after 3 s)'],
    });
    expect(evaluate({ probe: 'disk-io', verdict: ['critical'] }).met).toBe('unknown');
    expect(evaluate({ probe: 'disk-io', verdict: ['unknown'] }).met).toBe(true);
  });

  it('reports a probe that did not run', () => {
    expect(evaluateCondition({ probe: 'chroma', verdict: ['critical'] }, results)).toEqual({
      met: 'unknown',
      evidence: ['chroma: not run'],
    });
  });

  it('combines with all: every leaf must hold; a false leaf decides over an unknown one', () => {
    expect(
      evaluate({
        all: [
          { probe: 'cpu', op: '>=', value: 80 },
          { probe: 'openai-models', verdict: ['critical'] },
        ],
      }),
    ).toEqual({ met: true, evidence: ['cpu 92 % ≥ 80', 'openai-models: critical (HTTP 503 in 2.5 s)'] });
    expect(
      evaluate({
        all: [
          { probe: 'cpu', op: '>', value: 80 },
          { probe: 'disk-io', op: '>', value: 90 },
        ],
      }),
    ).toEqual({ met: 'unknown', evidence: ['disk-io: unknown (timed out after 3 s)'] });
    expect(
      evaluate({
        all: [
          { probe: 'memory', op: '>', value: 85 },
          { probe: 'disk-io', op: '>', value: 90 },
        ],
      }),
    ).toEqual({ met: false, evidence: ['memory 40.5 % not > 85'] });
  });

  it('combines with any: one leaf suffices and only the matching leaves are evidence', () => {
    expect(
      evaluate({
        any: [
          { probe: 'memory', op: '>', value: 85 },
          { probe: 'cpu', op: '>', value: 80 },
          { probe: 'disk-io', op: '>', value: 90 },
        ],
      }),
    ).toEqual({ met: true, evidence: ['cpu 92 % > 80'] });
    expect(
      evaluate({
        any: [
          { probe: 'memory', op: '>', value: 85 },
          { probe: 'disk-io', op: '>', value: 90 },
        ],
      }),
    ).toEqual({
      met: 'unknown',
      evidence: ['memory 40.5 % not > 85', 'disk-io: unknown (timed out after 3 s)'],
    });
    expect(evaluate({ any: [{ probe: 'memory', op: '>', value: 85 }] }).met).toBe(false);
  });

  it('nests', () => {
    expect(
      evaluate({
        all: [
          {
            any: [
              { probe: 'memory', op: '>', value: 85 },
              { probe: 'cpu', op: '>', value: 80 },
            ],
          },
          { probe: 'load', field: 'failed', op: '==', value: 0 },
        ],
      }),
    ).toEqual({ met: true, evidence: ['cpu 92 % > 80', 'load.failed 0 = 0'] });
  });
});
