import type { Diagnosis } from '../../diagnostics/run-diagnosis.js';
import type { ActionState } from '../../incidents/action-state.js';
import type { Requirement } from '../../incidents/approval-policy.js';
import { activeStatuses, type Incident } from '../../incidents/incident.js';
import type { Action, ActionGroup, Runbook } from '../../runbooks/runbook-schema.js';

/** Slack's limit of blocks per message. */
export const MAX_BLOCKS = 50;
/** Kept free in every card message: the "not shown yet" line and its button. */
const RESERVED_BLOCKS = 2;

/** What decides which cards are shown: the incident as it is now. */
export interface CardContext {
  incident: Incident;
  runbook: Runbook;
  states: ReadonlyMap<string, ActionState>;
  diagnosis: Diagnosis | undefined;
  /** Someone asked to see every card. */
  revealed: boolean;
  /** What each action needs ("1 of 2 approvals"), shown on its card (the core's approval policy). */
  requirement?: (action: Action) => Requirement;
}

/**
 * Whether an offered group's card is worth a message now. A scenario's actions are, when the
 * diagnosis points at that scenario; the after-recovery steps (undo), once something was applied.
 * The others wait, listed under a "show them" button, and come when they become useful — a posted
 * card costs a message of the channel's one per second and a reader's attention.
 */
export function isUseful(group: ActionGroup, ctx: CardContext): boolean {
  if (ctx.revealed) return true;
  if (group.scenario) {
    return ctx.diagnosis?.scenarios.find((s) => s.scenarioId === group.scenario)?.matched === true;
  }
  if (group.offer === 'after-recovery') {
    return ctx.runbook.actions.some(
      (a) => a.group !== group.id && ctx.states.get(a.id)?.status === 'succeeded',
    );
  }
  return true;
}

/** Pending groups to show now: useful, and the incident still open (a closed one needs no new cards). */
export function groupsToShow(pending: Iterable<string>, ctx: CardContext): string[] {
  if (!activeStatuses.has(ctx.incident.status)) return [];
  const waiting = new Set(pending);
  return ctx.runbook.groups.filter((g) => waiting.has(g.id) && isUseful(g, ctx)).map((g) => g.id);
}

/** The most blocks a group's card can take: its title, and per action its text, state, output and buttons. */
function worstCaseBlocks(runbook: Runbook, groupId: string): number {
  return 1 + 4 * runbook.actions.filter((a) => a.group === groupId).length;
}

/**
 * Packs cards into as few messages as fit Slack's 50 blocks, in order, at the size each card can
 * grow to (a state line and an output excerpt per action), with a divider between cards.
 */
export function packCards(runbook: Runbook, groupIds: readonly string[]): string[][] {
  const messages: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const groupId of groupIds) {
    const size = worstCaseBlocks(runbook, groupId) + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && used + size > MAX_BLOCKS - RESERVED_BLOCKS) {
      messages.push(current);
      current = [];
      used = 0;
    }
    current.push(groupId);
    used += current.length > 1 ? size : worstCaseBlocks(runbook, groupId);
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
