import { variablesIn } from '../runbooks/interpolate.js';
import { type Action, type Runbook, undoIdOf } from '../runbooks/runbook-schema.js';
import type { ActionState } from './action-state.js';

export type UndoVariables =
  | {
      ok: true;
      /** The values the undone actions captured before they ran (`PREVIOUS_MAXMEMORY`), for `${NAME}`. */
      values: Record<string, string>;
      /** Every undone action that succeeded was a dry run: there is nothing real to undo, so neither is this. */
      ofDryRun: boolean;
    }
  | { ok: false; missing: string };

/** Every `${NAME}` a step reads, in any of its strings. */
function namesIn(value: unknown): string[] {
  if (typeof value === 'string') return variablesIn(value);
  if (Array.isArray(value)) return value.flatMap(namesIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(namesIn);
  return [];
}

/**
 * What an undo needs from the actions it reverses: the values they captured before changing
 * anything. An undo that reads a captured name nobody recorded must not run on a guess (an unset
 * `${PREVIOUS_MAXMEMORY}` would otherwise fall back to a default, or to a variable of the host).
 */
export function undoVariables(
  runbook: Runbook,
  action: Action,
  states: ReadonlyMap<string, ActionState>,
): UndoVariables {
  const undone = runbook.actions.filter((a) => undoIdOf(a) === action.id);
  const succeeded = undone.filter((a) => states.get(a.id)?.status === 'succeeded');
  const values: Record<string, string> = {};
  for (const a of succeeded) Object.assign(values, states.get(a.id)?.captured ?? {});
  const declared = new Set(undone.flatMap((a) => (a.capture ?? []).map((c) => c.as)));
  const read = new Set(namesIn(action.run));
  const missing = [...declared].filter((name) => read.has(name) && values[name] === undefined);
  const ofDryRun = succeeded.length > 0 && succeeded.every((a) => states.get(a.id)?.dryRun === true);
  if (missing.length > 0 && !ofDryRun) {
    const from = undone.map((a) => a.title).join(', ');
    return {
      ok: false,
      missing: `${missing.join(', ')} was never captured (by ${from}): there is no old value to restore`,
    };
  }
  return { ok: true, values, ofDryRun };
}
