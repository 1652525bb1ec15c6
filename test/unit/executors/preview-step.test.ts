// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import { describe, expect, it } from 'vitest';
import { previewStep } from '../../../src/executors/preview-step.js';
import { stepSchema } from '../../../src/runbooks/runbook-schema.js';

const vars = {
  GENERATION_SERVICE_URL: 'http://gen.internal:8002',
  ADMIN_TOKEN: 'admin-token-value-123',
  TARGET_REDIS_URL: 'redis://:cache-pass-456@cache.internal:6379',
  DB_PASS: 'hunter2hunter2',
};

describe('previewStep', () => {
  it('resolves everything a step would send, and masks every secret', () => {
    const step = stepSchema.parse({
      type: 'sequence',
      steps: [
        {
          type: 'http',
          method: 'POST',
          url: '${GENERATION_SERVICE_URL}/api/admin/rate-limit/emergency',
          headers: { Authorization: 'Bearer ${ADMIN_TOKEN}' },
          body: { requests_per_minute: 100, note: 'pass ${DB_PASS}' },
          expect: { status: 200 },
        },
        { type: 'redis', url: '${TARGET_REDIS_URL}', db: 1, command: ['FLUSHDB'] },
        { type: 'process', command: ['systemctl', 'restart', 'ai-script-generation-service'], timeout: '2m' },
        { type: 'wait', duration: '30s' },
        { type: 'manual', instructions: 'Check the dashboard\nthen tell the channel' },
      ],
    });
    const text = previewStep(step, vars, ['hunter2hunter2']);
    expect(text).toBe(
      [
        '1. POST http://gen.internal:8002/api/admin/rate-limit/emergency (timeout 10s)',
        '     headers: {"Authorization":"[redacted]"}',
        '     body: {"requests_per_minute":100,"note":"pass [redacted]"}',
        '     then checks: status 200',
        '2. redis redis://:***@cache.internal:6379 db 1: FLUSHDB (timeout 5s)',
        '3. run systemctl restart ai-script-generation-service (no shell, timeout 2m)',
        '4. wait 30s',
        '5. by hand: Check the dashboard',
      ].join('\n'),
    );
    for (const secret of ['admin-token-value-123', 'cache-pass-456', 'hunter2hunter2'])
      expect(text).not.toContain(secret);
  });

  it('says what cannot be resolved instead of throwing', () => {
    const step = stepSchema.parse({ type: 'http', method: 'POST', url: '${MISSING_URL}/x' });
    expect(previewStep(step, {}, [])).toMatch(
      /^cannot be resolved: environment variable MISSING_URL is not set/,
    );
  });
});
