import type { Action, Runbook } from './runbook-schema.js';

/** Where a placed action runs: one live worker of `role`, or each of them in turn. */
export interface ActionPlacement {
  role: string;
  each: boolean;
}

/** The action's `on:` as one shape; undefined when it runs where role-less actions run. */
export function actionPlacement(action: Pick<Action, 'on'>): ActionPlacement | undefined {
  if (action.on === undefined) return undefined;
  return typeof action.on === 'string' ? { role: action.on, each: false } : action.on;
}

/** Every host role a runbook names, sorted: what the bot needs live workers for. */
export function runbookRoles(runbook: Runbook): string[] {
  const roles = new Set<string>();
  for (const probe of runbook.probes) if (probe.on) roles.add(probe.on);
  for (const action of runbook.actions) {
    const placement = actionPlacement(action);
    if (placement) roles.add(placement.role);
  }
  return [...roles].sort();
}

/** True when some action runs without a role (not a manual step): it needs the role-less executor. */
export function hasUnplacedActions(runbook: Runbook): boolean {
  return runbook.actions.some((a) => a.on === undefined && a.run.type !== 'manual');
}

/** How to get a worker for `role` onto its hosts: the fix every "no worker" message ends with. */
export function startWorkerHint(role: string | undefined): string {
  return role === undefined
    ? 'start `npm run worker` (without --role), or run the bot with EXECUTORS=on'
    : `start \`npm run worker -- --role ${role}\` on those hosts`;
}
