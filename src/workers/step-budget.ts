import { parseDuration } from '../runbooks/duration.js';
import type { Step } from '../runbooks/runbook-schema.js';

/** The longest a step may take by its own timeouts: how long to wait for another host's turn of it. */
export function stepBudgetMs(step: Step): number {
  switch (step.type) {
    case 'http':
    case 'redis':
    case 'process':
      return parseDuration(step.timeout);
    case 'wait':
      return parseDuration(step.duration);
    case 'manual':
      return 0;
    case 'sequence':
      return step.steps.reduce((sum, s) => sum + stepBudgetMs(s), 0);
  }
}
