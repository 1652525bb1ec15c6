import { describe, expect, it } from 'vitest';
import { executeStep } from '../../../src/executors/execute-step.js';
import { type Step, stepSchema } from '../../../src/runbooks/runbook-schema.js';
import { testContext } from './test-context.js';

const sequence = (steps: unknown[]): Step => stepSchema.parse({ type: 'sequence', steps });

describe('sequence steps', () => {
  it('runs steps in order and reports progress before each', async () => {
    const events: string[] = [];
    const ctx = testContext({
      onStep: (index, total, description) => events.push(`${index}/${total} ${description}`),
      sleep: async (ms) => void events.push(`slept ${ms}`),
    });
    const result = await executeStep(
      sequence([
        { type: 'process', command: ['node', '-e', 'console.log("project restarted")'] },
        { type: 'wait', duration: '30s' },
        { type: 'manual', instructions: 'Check the generation service dashboard' },
      ]),
      ctx,
    );
    expect(events).toEqual([
      '0/3 run node -e "console.log(\\"project restarted\\")"',
      '1/3 wait 30s',
      'slept 30000',
      '2/3 manual: Check the generation service dashboard',
    ]);
    expect(result.outcome).toBe('succeeded');
    expect(result.summary).toBe('3 steps succeeded');
    expect(result.steps?.map((s) => s.summary)).toEqual([
      expect.stringMatching(/→ exit 0 in/),
      'waited 30 s',
      'manual step recorded as done',
    ]);
    expect(result.steps?.[0]?.excerpt).toBe('project restarted');
  });

  it('stops at the first failure and says which step failed', async () => {
    const started: number[] = [];
    const ctx = testContext({ onStep: (index) => started.push(index), sleep: async () => {} });
    const result = await executeStep(
      sequence([
        { type: 'wait', duration: '1s' },
        { type: 'process', command: ['node', '-e', 'console.error("unit not found"); process.exit(5)'] },
        { type: 'manual', instructions: 'never reached' },
      ]),
      ctx,
    );
    expect(started).toEqual([0, 1]);
    expect(result.outcome).toBe('failed');
    expect(result.summary).toMatch(/^step 2\/3 failed: node -e .* → exit 5 in .*: unit not found$/);
    expect(result.excerpt).toBe('unit not found');
    expect(result.steps).toHaveLength(2);
  });

  it('stops the running step and skips the rest when cancelled', async () => {
    const controller = new AbortController();
    const ctx = testContext({ signal: controller.signal });
    const pending = executeStep(
      sequence([
        { type: 'wait', duration: '1h' },
        { type: 'manual', instructions: 'never reached' },
      ]),
      ctx,
    );
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result).toMatchObject({
      outcome: 'failed',
      summary: 'cancelled',
      excerpt: 'stopped during step 1/2: wait 1h',
    });
    expect(result.steps).toEqual([expect.objectContaining({ summary: 'cancelled' })]);
    expect(result.durationMs).toBeLessThan(5000);
  });
});

describe('wait and manual steps', () => {
  it('waits through the injected sleep with the parsed duration and the signal', async () => {
    const calls: Array<[number, AbortSignal]> = [];
    const ctx = testContext({ sleep: async (ms, signal) => void calls.push([ms, signal]) });
    const result = await executeStep(stepSchema.parse({ type: 'wait', duration: '2m' }), ctx);
    expect(calls).toEqual([[120_000, ctx.signal]]);
    expect(result).toMatchObject({ outcome: 'succeeded', summary: 'waited 2 min' });
  });

  it('wakes up from the default timer as soon as the signal aborts', async () => {
    const result = await executeStep(
      stepSchema.parse({ type: 'wait', duration: '1h' }),
      testContext({ signal: AbortSignal.timeout(50) }),
    );
    expect(result).toMatchObject({ outcome: 'failed', summary: 'deadline exceeded' });
  });

  it('records a manual step as done with its instructions', async () => {
    const result = await executeStep(
      stepSchema.parse({
        type: 'manual',
        instructions: 'Append net.ipv4.tcp_keepalive_time = 300 to /etc/sysctl.conf',
      }),
      testContext(),
    );
    expect(result).toMatchObject({
      outcome: 'succeeded',
      summary: 'manual step recorded as done',
      excerpt: 'Append net.ipv4.tcp_keepalive_time = 300 to /etc/sysctl.conf',
    });
  });
});
