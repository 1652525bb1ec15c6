import { describe, expect, it } from 'vitest';
import { combineHostReadings, noWorkerResult } from '../../../src/diagnostics/combine-host-readings.js';
import { evaluateCondition } from '../../../src/diagnostics/evaluate-condition.js';
import type { ProbeResult } from '../../../src/diagnostics/probe-result.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';

const cpu = probeSchema.parse({
  id: 'host-cpu',
  title: 'CPU usage',
  step: 2,
  on: 'generation',
  check: { type: 'host', metric: 'cpu' },
  threshold: { warn: 70, critical: 80, unit: '%' },
});
const models = probeSchema.parse({
  id: 'models',
  title: 'Models listed',
  on: 'generation',
  check: { type: 'command', command: ['models'] },
  threshold: { op: '<', critical: 1 },
});
const reading = (value: number, verdict: ProbeResult['verdict'], unit = '%'): ProbeResult => ({
  probeId: 'x',
  title: 'x',
  verdict,
  value,
  unit,
  detail: `busy ${value}`,
  durationMs: 3,
});

describe('combineHostReadings', () => {
  it('takes the worst host’s verdict and value, and reads one value per host', () => {
    const combined = combineHostReadings(
      cpu,
      [
        { host: 'gen-2', result: reading(41, 'ok') },
        { host: 'gen-1', result: reading(94, 'critical') },
      ],
      120,
    );
    expect(combined).toEqual({
      probeId: 'host-cpu',
      title: 'CPU usage',
      step: 2,
      threshold: 'warn ≥ 70 %, critical ≥ 80 %',
      durationMs: 120,
      verdict: 'critical',
      value: 94,
      host: 'gen-1',
      unit: '%',
      detail: '94 % on gen-1, 41 % on gen-2',
      hosts: [
        { host: 'gen-1', verdict: 'critical', value: 94, unit: '%', detail: 'busy 94' },
        { host: 'gen-2', verdict: 'ok', value: 41, unit: '%', detail: 'busy 41' },
      ],
    });
    const outcome = evaluateCondition(
      { probe: 'host-cpu', op: '>', value: 80 },
      new Map([['host-cpu', combined]]),
    );
    expect(outcome).toEqual({ met: true, evidence: ['host-cpu 94 % on gen-1 > 80'] });
  });

  it('is unknown while a host did not answer, since that host might be the worst', () => {
    const combined = combineHostReadings(
      cpu,
      [
        { host: 'gen-1', result: reading(41, 'ok') },
        { host: 'gen-2', missing: 'no answer within 5 s' },
      ],
      5500,
    );
    expect(combined).toMatchObject({
      verdict: 'unknown',
      value: 41,
      detail: '41 % on gen-1, gen-2: no answer within 5 s',
    });
    expect(
      evaluateCondition({ probe: 'host-cpu', op: '>', value: 80 }, new Map([['host-cpu', combined]])).met,
    ).toBe('unknown');
  });

  it('shows the lowest reading for a “too few” threshold', () => {
    const combined = combineHostReadings(
      models,
      [
        { host: 'gen-1', result: reading(3, 'ok', 'models') },
        { host: 'gen-2', result: reading(5, 'ok', 'models') },
      ],
      1,
    );
    expect(combined).toMatchObject({ verdict: 'ok', value: 3, host: 'gen-1' });
  });

  it('says how to get a worker when the role has none', () => {
    expect(noWorkerResult(cpu, 'generation')).toEqual({
      probeId: 'host-cpu',
      title: 'CPU usage',
      step: 2,
      threshold: 'warn ≥ 70 %, critical ≥ 80 %',
      durationMs: 0,
      verdict: 'unknown',
      detail: 'no worker for role generation: start `npm run worker -- --role generation` on those hosts',
    });
  });
});
