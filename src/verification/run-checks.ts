import { evaluateCondition } from '../diagnostics/evaluate-condition.js';
import { runDiagnosis } from '../diagnostics/run-diagnosis.js';
import { unattributable } from '../incidents/attributable-actor.js';
import type { Refusal } from '../incidents/refusal.js';
import { conditionProbes, type Runbook } from '../runbooks/runbook-schema.js';
import type { Actor } from '../timeline/actor.js';
import type { CheckOutcome } from '../timeline/check-outcome.js';
import { automatedUpTo, checklistTiers } from './checklist-plan.js';
import type { CheckResult } from './checklist-store.js';
import { openIncidentOf } from './open-incident-of.js';
import { settleRecovery } from './settle-recovery.js';
import type { VerificationDeps } from './verification-deps.js';

/**
 * Which checks to run: `due` — every tier whose time has come since the first mitigation, and always
 * the first (what `/incident verify` means); `all` — every tier, the load test included; `uptoMs` —
 * the tiers due within that long (a scheduled run).
 */
export type CheckScope = 'due' | 'all' | { uptoMs: number };

export type RunChecksResult =
  | { kind: 'ran'; results: CheckOutcome[]; recoveredAt?: string; regressed: CheckOutcome[] }
  /** The runbook has no automated check in that scope. */
  | { kind: 'no-checks' }
  | { kind: 'refused'; refusal: Refusal };

function scopeMs(runbook: Runbook, scope: CheckScope, elapsedMs: number): number {
  if (scope === 'all') return Number.POSITIVE_INFINITY;
  if (scope === 'due') return Math.max(checklistTiers(runbook)[0]?.ms ?? 0, elapsedMs);
  return scope.uptoMs;
}

/**
 * Runs recovery checks now: their probes in parallel (each within its timeout; probes never throw),
 * each check judged by its condition, the results kept and told (`checklist.checked`). A check that
 * fails once the incident has recovered is told loudly (`checklist.regressed`); the first time the
 * whole first tier is green, the incident has recovered.
 */
export async function runChecks(
  deps: VerificationDeps,
  incidentId: string,
  request: { scope: CheckScope; trigger: 'schedule' | 'request'; actor?: Actor },
): Promise<RunChecksResult> {
  // A person's request is recorded as theirs: one from somebody who cannot be named runs nothing.
  const anonymous = request.actor && unattributable(request.actor);
  if (anonymous) return { kind: 'refused', refusal: anonymous };
  const open = await openIncidentOf(deps, incidentId);
  if (!open.ok) return { kind: 'refused', refusal: open.refusal };
  const { incident, runbook } = open;
  if (!runbook) return { kind: 'no-checks' };
  const before = await deps.checklist.read(incidentId);
  const elapsed = before.mitigatedAt ? deps.now().getTime() - Date.parse(before.mitigatedAt) : 0;
  const items = automatedUpTo(runbook, scopeMs(runbook, request.scope, elapsed));
  if (items.length === 0) return { kind: 'no-checks' };

  const probeIds = new Set(
    items.flatMap((i) => (i.condition ? conditionProbes(i.condition) : [])).map((r) => r.probe),
  );
  const diagnosis = await runDiagnosis(runbook, {
    probeIds: [...probeIds],
    vars: deps.vars,
    allowedPrograms: deps.allowedPrograms,
    procRoot: deps.procRoot,
    probeDurations: deps.metrics.probeDuration,
  });
  const byId = new Map(diagnosis.results.map((r) => [r.probeId, r]));
  const at = deps.now().toISOString();
  const results = items.flatMap((item): CheckOutcome[] => {
    if (!item.condition) return [];
    const outcome = evaluateCondition(item.condition, byId);
    const status = outcome.met === true ? 'passed' : outcome.met === false ? 'failed' : 'unknown';
    return [{ checkId: item.id, status, evidence: outcome.evidence }];
  });
  await deps.checklist.saveResults(
    incidentId,
    new Map(
      results.map((r): [string, CheckResult] => [r.checkId, { status: r.status, at, evidence: r.evidence }]),
    ),
    diagnosis.results,
  );
  for (const r of results)
    deps.metrics.checklistResults.inc({ kind: incident.kind, check: r.checkId, result: r.status });
  await deps.timeline.record(
    incidentId,
    { type: 'checklist.checked', trigger: request.trigger, results },
    request.actor,
  );

  const regressed = before.recoveredAt ? results.filter((r) => r.status === 'failed') : [];
  if (regressed.length > 0) {
    deps.log.warn({ incidentId, checks: regressed.map((r) => r.checkId) }, 'checks failed after recovery');
    await deps.timeline.record(incidentId, { type: 'checklist.regressed', results: regressed });
  }
  const recoveredAt = await settleRecovery(deps, incident, runbook);
  return { kind: 'ran', results, regressed, ...(recoveredAt ? { recoveredAt } : {}) };
}
