import { unattributable } from '../incidents/attributable-actor.js';
import type { Refusal } from '../incidents/refusal.js';
import type { Actor } from '../timeline/actor.js';
import { isAutomated } from './checklist-plan.js';
import type { CheckResult } from './checklist-store.js';
import { openIncidentOf } from './open-incident-of.js';
import { settleRecovery } from './settle-recovery.js';
import type { VerificationDeps } from './verification-deps.js';

export type TickResult =
  | { kind: 'ticked'; recoveredAt?: string }
  /** Someone ticked it first: nothing was recorded twice. */
  | { kind: 'already-ticked'; result: CheckResult | undefined }
  /** Not a check of this runbook, or one that probes measure (it cannot be ticked by hand). */
  | { kind: 'not-tickable'; checkId: string }
  | { kind: 'refused'; refusal: Refusal };

/**
 * A person vouches for a check that needs one ("core features pass a manual test"): who and when are
 * recorded once, the timeline says so, and the incident may have recovered with it.
 */
export async function tickCheck(
  deps: VerificationDeps,
  incidentId: string,
  checkId: string,
  actor: Actor,
): Promise<TickResult> {
  // A tick vouches for a check: it must name who vouched, or it records nothing.
  const anonymous = unattributable(actor);
  if (anonymous) return { kind: 'refused', refusal: anonymous };
  const open = await openIncidentOf(deps, incidentId);
  if (!open.ok) return { kind: 'refused', refusal: open.refusal };
  const { incident, runbook } = open;
  const item = runbook?.checklist.find((c) => c.id === checkId);
  if (!runbook || !item || isAutomated(item)) return { kind: 'not-tickable', checkId };
  const result: CheckResult = {
    status: 'passed',
    at: deps.now().toISOString(),
    evidence: [],
    by: actor.id,
    via: actor.via,
  };
  if (!(await deps.checklist.tickOnce(incidentId, checkId, result))) {
    return { kind: 'already-ticked', result: (await deps.checklist.read(incidentId)).results[checkId] };
  }
  deps.metrics.checklistResults.inc({ kind: incident.kind, check: checkId, result: 'passed' });
  await deps.timeline.record(incidentId, { type: 'checklist.ticked', checkId }, actor);
  const recoveredAt = await settleRecovery(deps, incident, runbook);
  return { kind: 'ticked', ...(recoveredAt ? { recoveredAt } : {}) };
}
