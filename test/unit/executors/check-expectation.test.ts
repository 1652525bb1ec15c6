import { describe, expect, it } from 'vitest';
import { unmetExpectation, valueAt } from '../../../src/executors/check-expectation.js';
import { executeStep } from '../../../src/executors/execute-step.js';
import { type Step, stepSchema } from '../../../src/runbooks/runbook-schema.js';
import { testContext } from './test-context.js';

const step = (raw: unknown): Step => stepSchema.parse(raw);
const node = (script: string, expect?: unknown) => ({
  type: 'process',
  command: ['node', '-e', script],
  expect,
});

describe('valueAt', () => {
  it('reads dotted paths, array indexes and lengths', () => {
    const data = { probe: { upstream_healthy: false }, data: [1, 2, 3], reply: ['maxmemory', '0'] };
    expect(valueAt(data, 'probe.upstream_healthy')).toBe(false);
    expect(valueAt(data, 'data.length')).toBe(3);
    expect(valueAt(data.reply, '1')).toBe('0');
    expect(valueAt(data, 'probe.missing.deeper')).toBeUndefined();
    expect(valueAt('text', 'a')).toBeUndefined();
  });
});

describe('unmetExpectation', () => {
  const ctx = testContext();
  it('says what was expected and what was found', async () => {
    expect(await unmetExpectation({ status: [200, 204] }, { status: 503 }, ctx)).toBe(
      'expected status 200 or 204, got 503',
    );
    expect(
      await unmetExpectation(
        { json: { path: 'probe.upstream_healthy', equals: true } },
        { data: '{"probe":{"upstream_healthy":false}}' },
        ctx,
      ),
    ).toBe('expected probe.upstream_healthy = true, got false');
    expect(
      await unmetExpectation({ json: { path: 'count', equals: 2 } }, { data: '{"count":"2"}' }, ctx),
    ).toBeUndefined();
    expect(await unmetExpectation({ json: { path: 'x', equals: 'y' } }, { data: 'not json' }, ctx)).toBe(
      'expected x = "y", got nothing',
    );
  });

  it('judges a probe condition through the core, or says it cannot', async () => {
    const condition = { probe: 'openai-models', verdict: ['ok' as const] };
    expect(await unmetExpectation({ condition }, {}, ctx)).toBe(
      'cannot check "openai-models is ok" here: no probes to run',
    );
    const verify = async () => ({ met: false as const, evidence: ['openai-models: critical (HTTP 503)'] });
    expect(await unmetExpectation({ condition }, {}, testContext({ verify }))).toBe(
      'expected openai-models is ok: openai-models: critical (HTTP 503)',
    );
  });
});

describe('a step with expect:', () => {
  it('fails a step whose output does not meet it, and a sequence stops there', async () => {
    const ctx = testContext({ sleep: async () => {} });
    const result = await executeStep(
      step({
        type: 'sequence',
        steps: [
          node('console.log(JSON.stringify({probe:{upstream_healthy:false}}))', {
            json: { path: 'probe.upstream_healthy', equals: true },
          }),
          { type: 'wait', duration: '5m' },
          node('console.log("disabled")'),
        ],
      }),
      ctx,
    );
    expect(result.outcome).toBe('failed');
    expect(result.summary).toMatch(
      /^step 1\/3 failed: node -e .* → exit 0 in \d+ ms; expected probe\.upstream_healthy = true, got false$/,
    );
    expect(result.steps).toHaveLength(1);
  });

  it('lets it go on when it is met', async () => {
    const ctx = testContext({ sleep: async () => {} });
    const result = await executeStep(
      step({
        type: 'sequence',
        steps: [
          node('console.log(JSON.stringify({probe:{upstream_healthy:true}}))', {
            json: { path: 'probe.upstream_healthy', equals: true },
          }),
          { type: 'wait', duration: '5m' },
          node('console.log("disabled")'),
        ],
      }),
      ctx,
    );
    expect(result).toMatchObject({ outcome: 'succeeded', summary: '3 steps succeeded' });
  });
});
