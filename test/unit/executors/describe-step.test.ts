// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { describe, expect, it } from 'vitest';
import { describeStep } from '../../../src/executors/execute-step.js';
import { type Step, stepSchema } from '../../../src/runbooks/runbook-schema.js';

const step = (input: unknown): Step => stepSchema.parse(input);

describe('describeStep', () => {
  it('shows an HTTP step from the runbook text, without headers or the token', () => {
    const text = describeStep(
      step({
        type: 'http',
        method: 'POST',
        url: '${GENERATION_SERVICE_URL:-http://localhost:8002}/api/admin/rate-limit/emergency',
        headers: { Authorization: 'Bearer ${ADMIN_TOKEN}' },
        body: { requests_per_minute: 100, burst: 10 },
      }),
    );
    expect(text).toBe('POST ${GENERATION_SERVICE_URL:-http://localhost:8002}/api/admin/rate-limit/emergency');
    expect(text).not.toContain('Authorization');
  });

  it('shows a Redis step with its db and hides a literal password', () => {
    expect(
      describeStep(step({ type: 'redis', url: 'redis://:hunter22@cache:6379', db: 1, command: ['FLUSHDB'] })),
    ).toBe('redis redis://:***@cache:6379 db 1: FLUSHDB');
    expect(
      describeStep(
        step({ type: 'redis', url: '${REDIS_URL}', command: ['CONFIG', 'SET', 'maxmemory', '512mb'] }),
      ),
    ).toBe('redis ${REDIS_URL}: CONFIG SET maxmemory 512mb');
  });

  it('shows a process step as argv, variables unresolved, quoting what needs it', () => {
    expect(
      describeStep(
        step({ type: 'process', command: ['curl', '-H', 'Authorization: Bearer ${ADMIN_TOKEN}'] }),
      ),
    ).toBe('run curl -H "Authorization: Bearer ${ADMIN_TOKEN}"');
    expect(
      describeStep(step({ type: 'process', command: ['systemctl', 'restart', 'ai-script-project-service'] })),
    ).toBe('run systemctl restart ai-script-project-service');
  });

  it('shows wait and manual steps', () => {
    expect(describeStep(step({ type: 'wait', duration: '30s' }))).toBe('wait 30s');
    expect(
      describeStep(step({ type: 'manual', instructions: 'Set FALLBACK_MODEL_ENABLED=true\nthen redeploy' })),
    ).toBe('manual: Set FALLBACK_MODEL_ENABLED=true');
  });

  it('shows a sequence as its steps in order', () => {
    expect(
      describeStep(
        step({
          type: 'sequence',
          steps: [
            { type: 'process', command: ['systemctl', 'restart', 'ai-script-project-service'] },
            { type: 'wait', duration: '30s' },
            { type: 'http', method: 'POST', url: '${PROJECT_SERVICE_URL}/api/admin/db/reset-pool' },
          ],
        }),
      ),
    ).toBe(
      'sequence of 3 steps: run systemctl restart ai-script-project-service; wait 30s; POST ${PROJECT_SERVICE_URL}/api/admin/db/reset-pool',
    );
  });
});
