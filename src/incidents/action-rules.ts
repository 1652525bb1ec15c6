import type { Runbook } from '../runbooks/runbook-schema.js';
import { undoIdOf } from '../runbooks/runbook-schema.js';
import type { ActionState, ActionStatus } from './action-state.js';
import { activeStatuses, type IncidentStatus } from './incident.js';

/** What a person may decide about an action. Undo is approving the undo action; resolve is the incident's. */
export const decisions = ['approve', 'skip', 'cancel'] as const;
export type Decision = (typeof decisions)[number];

/** Every decision the policy rules on, whichever surface it comes through. Undo is `approve` of the undo action. */
export const policyDecisions = ['approve', 'skip', 'cancel', 'resolve', 'force-resolve'] as const;
export type PolicyDecisionKind = (typeof policyDecisions)[number];

/**
 * The statuses each decision moves an action from: the compare-and-set's `from` in the use case, and
 * the buttons a surface shows. One table, so a card never offers what the core would refuse.
 * A failed or cancelled action may be approved again (a new attempt), never skipped: it already ran
 * (or started to). Cancel stops what is queued or running.
 */
export const decidableFrom: Readonly<Record<Decision, readonly ActionStatus[]>> = {
  approve: ['offered', 'failed', 'cancelled'],
  skip: ['offered'],
  cancel: ['queued', 'running'],
};

/** The actions `undoId` reverses (empty when it is nobody's undo). */
export function undoneBy(runbook: Runbook, undoId: string): string[] {
  return runbook.actions.filter((a) => undoIdOf(a) === undoId).map((a) => a.id);
}

/**
 * Whether an undo has something to undo: one of the actions it reverses succeeded. `undefined` for
 * an action that is nobody's undo. Undo is offered only then, never before anything was applied.
 */
export function undoApplicable(
  runbook: Runbook,
  actionId: string,
  states: ReadonlyMap<string, ActionState>,
): boolean | undefined {
  const undone = undoneBy(runbook, actionId);
  if (undone.length === 0) return undefined;
  return undone.some((id) => states.get(id)?.status === 'succeeded');
}

/**
 * The decisions open on an action right now (`state` undefined: offered, never touched). An undo
 * with nothing to undo yet (`applicable: false`) offers nothing until its action succeeded.
 */
export function openDecisions(
  state: ActionState | undefined,
  incident: IncidentStatus,
  options: { applicable?: boolean | undefined } = {},
): Decision[] {
  if (!activeStatuses.has(incident)) return [];
  const status = state?.status ?? 'offered';
  const open = decisions.filter((decision) => decidableFrom[decision].includes(status));
  return options.applicable === false ? open.filter((d) => d === 'cancel') : open;
}
