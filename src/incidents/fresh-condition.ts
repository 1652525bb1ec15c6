import { type ConditionOutcome, evaluateCondition } from '../diagnostics/evaluate-condition.js';
import { runDiagnosis } from '../diagnostics/run-diagnosis.js';
import { type Condition, conditionProbes, type Runbook } from '../runbooks/runbook-schema.js';
import type { IncidentDeps } from './incident-deps.js';

/**
 * A runbook condition judged on a fresh run of exactly the probes it reads, never the snapshot of
 * ten minutes ago: an action guarded by "memory > 85 %" must not run because memory was high then.
 * Each probe has its own timeout and never throws, so this answers within the slowest of them.
 */
export async function freshCondition(
  deps: Pick<IncidentDeps, 'vars' | 'allowedPrograms'> &
    Partial<Pick<IncidentDeps, 'procRoot' | 'metrics' | 'hostProbes'>>,
  runbook: Runbook,
  condition: Condition,
): Promise<ConditionOutcome> {
  const probeIds = [...new Set(conditionProbes(condition).map((ref) => ref.probe))];
  const fresh = await runDiagnosis(runbook, {
    vars: deps.vars,
    allowedPrograms: deps.allowedPrograms,
    // The monitored host's procfs (HOST_PROC_ROOT), as the snapshot read it.
    ...(deps.procRoot ? { procRoot: deps.procRoot } : {}),
    ...(deps.metrics ? { probeDurations: deps.metrics.probeDuration } : {}),
    // Probes with `on:` read their role's hosts, as the snapshot did: a guard judges the right machine.
    ...(deps.hostProbes ? { remote: deps.hostProbes } : {}),
    probeIds,
  });
  return evaluateCondition(condition, new Map(fresh.results.map((r) => [r.probeId, r])));
}
