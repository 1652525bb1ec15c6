import { stepTargets } from '../executors/step-targets.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { Action } from '../runbooks/runbook-schema.js';

/** The targets an action holds while it is queued or running: its `target:`, else derived from its steps. */
export function actionTargets(action: Pick<Action, 'target' | 'run'>, vars: Variables): string[] {
  if (action.target !== undefined)
    return typeof action.target === 'string' ? [action.target] : [...action.target];
  return stepTargets(action.run, vars);
}
