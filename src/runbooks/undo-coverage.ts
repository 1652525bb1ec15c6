import { type Action, type Runbook, undoIdOf } from './runbook-schema.js';

/**
 * The actions that would leave a change behind with no way back: they name no `undo`, do not say
 * why they have none (`undo: { none: … }`), and are not themselves the undo of another action.
 * Read-only and advice-only actions say so with `none` too, so the list is empty only when every
 * action was thought about.
 */
export function actionsWithoutUndo(runbook: Runbook): Action[] {
  const undos = new Set(runbook.actions.flatMap((a) => undoIdOf(a) ?? []));
  return runbook.actions.filter((a) => a.undo === undefined && !undos.has(a.id));
}
