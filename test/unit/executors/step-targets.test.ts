// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import { describe, expect, it } from 'vitest';
import { stepTargets } from '../../../src/executors/step-targets.js';
import { actionTargets } from '../../../src/incidents/action-targets.js';
import { stepSchema } from '../../../src/runbooks/runbook-schema.js';

const targets = (raw: unknown, vars = {}) => stepTargets(stepSchema.parse(raw), vars);

describe('the targets an action changes, when it declares none', () => {
  it('are the host of an admin call or a Redis command, never a credential', () => {
    expect(
      targets({ type: 'http', method: 'POST', url: '${GEN_URL:-http://localhost:8002}/api/admin/x' }),
    ).toEqual(['localhost:8002']);
    expect(
      targets(
        { type: 'redis', url: '${REDIS_URL}', command: ['FLUSHDB'] },
        { REDIS_URL: 'redis://:s3cret-pw@Cache:6379/1' },
      ),
    ).toEqual(['cache:6379']);
  });

  it('are the units systemctl restarts, the manager environment, or the program', () => {
    expect(
      targets({
        type: 'sequence',
        steps: [
          { type: 'process', command: ['systemctl', 'set-environment', 'A=1'] },
          { type: 'process', command: ['systemctl', 'restart', 'ai-script-project-service'] },
          { type: 'wait', duration: '30s' },
          {
            type: 'process',
            command: ['/usr/bin/systemctl', 'restart', '--no-block', 'ai-script-generation-service'],
          },
          { type: 'process', command: ['nginx', '-s', 'reload'] },
          { type: 'manual', instructions: 'look' },
        ],
      }),
    ).toEqual(['systemd-environment', 'ai-script-project-service', 'ai-script-generation-service', 'nginx']);
  });

  it('give way to what the runbook declares', () => {
    const run = stepSchema.parse({ type: 'wait', duration: '1s' });
    expect(actionTargets({ run, target: 'openai-circuit-breaker' }, {})).toEqual(['openai-circuit-breaker']);
    expect(actionTargets({ run, target: ['a', 'b'] }, {})).toEqual(['a', 'b']);
    expect(actionTargets({ run }, {})).toEqual([]);
  });
});
