// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { describe, expect, it } from 'vitest';
import { executeStep, executors } from '../../../src/executors/execute-step.js';
import { type StepType, stepSchema } from '../../../src/runbooks/runbook-schema.js';
import { testContext } from './test-context.js';

describe('executeStep', () => {
  it('has one executor per step kind', () => {
    const kinds: StepType[] = ['http', 'redis', 'process', 'wait', 'manual', 'sequence'];
    expect(Object.keys(executors).sort()).toEqual([...kinds].sort());
  });

  it('does nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = testContext({ signal: controller.signal, sleep: () => Promise.reject(new Error('ran')) });
    const result = await executeStep(stepSchema.parse({ type: 'wait', duration: '1s' }), ctx);
    expect(result).toMatchObject({ outcome: 'failed', summary: 'cancelled' });
  });

  it('fails with a message naming an unset variable, not throwing', async () => {
    const step = stepSchema.parse({ type: 'process', command: ['node', '${SCRIPT}'] });
    const result = await executeStep(step, testContext());
    expect(result.outcome).toBe('failed');
    expect(result.summary).toContain('environment variable SCRIPT is not set');
  });

  it('logs the step description, never interpolated values', async () => {
    const token = 'tok-never-logged-4711';
    const ctx = testContext({ vars: { ADMIN_TOKEN: token } });
    const step = stepSchema.parse({
      type: 'process',
      command: ['node', '-e', 'process.exit(1)', '${ADMIN_TOKEN}'],
    });
    await executeStep(step, ctx);
    const logged = ctx.captured.lines.join('');
    expect(logged).toContain('"step":"run node -e process.exit(1) ${ADMIN_TOKEN}"');
    expect(logged).not.toContain(token);
  });
});
