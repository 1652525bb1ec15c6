import type { ResolveBlocker, ResolveGate } from '../incidents/resolve-gate.js';
import { checklistView, notGreen } from './checklist-plan.js';
import type { VerificationDeps } from './verification-deps.js';

/** The recovery checklist as the resolve's gate: every check not passed (or not ticked) blocks. */
export function checklistGate(deps: Pick<VerificationDeps, 'runbooks' | 'checklist'>): ResolveGate {
  return {
    async blockers(incident): Promise<ResolveBlocker[]> {
      const runbook = deps.runbooks.get(incident.kind);
      if (!runbook || runbook.checklist.length === 0) return [];
      const view = checklistView(runbook, await deps.checklist.read(incident.id));
      return notGreen(view).map((v) => ({ checkId: v.item.id, title: v.item.title, state: v.state }));
    },
  };
}
