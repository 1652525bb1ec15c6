import type { ActionState, ActionStatus } from './action-state.js';
import { activeStatuses, type IncidentStatus } from './incident.js';

/** What a person may decide about an offered action. */
export const decisions = ['approve', 'skip'] as const;
export type Decision = (typeof decisions)[number];

/**
 * The statuses each decision moves an action from: the compare-and-set's `from` in the use case, and
 * the buttons a surface shows. One table, so a card never offers what the core would refuse.
 * A failed action may be approved again (a new attempt), never skipped: it already ran.
 */
export const decidableFrom: Readonly<Record<Decision, readonly ActionStatus[]>> = {
  approve: ['offered', 'failed'],
  skip: ['offered'],
};

/** The decisions open on an action right now (`state` undefined: offered, never touched). */
export function openDecisions(state: ActionState | undefined, incident: IncidentStatus): Decision[] {
  if (!activeStatuses.has(incident)) return [];
  const status = state?.status ?? 'offered';
  return decisions.filter((decision) => decidableFrom[decision].includes(status));
}
