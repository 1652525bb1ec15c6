import type { Step } from '../runbooks/runbook-schema.js';
import { redactUrlPassword } from './redact-secrets.js';
import { formatArgv, truncate } from './result-text.js';

/**
 * What a step will do, in one line, from the runbook text itself: nothing is interpolated, so a
 * `${ADMIN_TOKEN}` shows as its name, and headers and bodies are left out. Safe for logs, approval
 * prompts and job data: `POST ${GENERATION_SERVICE_URL:-http://localhost:8002}/api/admin/rate-limit/emergency`.
 */
export function describeStep(step: Step): string {
  switch (step.type) {
    case 'http':
      return `${step.method} ${redactUrlPassword(step.url)}`;
    case 'redis': {
      const db = step.db === undefined ? '' : ` db ${step.db}`;
      return `redis ${redactUrlPassword(step.url)}${db}: ${formatArgv(step.command)}`;
    }
    case 'process':
      return `run ${formatArgv(step.command)}`;
    case 'wait':
      return `wait ${step.duration}`;
    case 'manual':
      return `manual: ${truncate(step.instructions.trim().split('\n')[0] ?? '', 120)}`;
    case 'sequence':
      return `sequence of ${step.steps.length} steps: ${step.steps.map(describeStep).join('; ')}`;
  }
}
