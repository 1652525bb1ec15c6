import type { Runbook } from '../runbooks/runbook-schema.js';
import type { TimelineEvent } from '../timeline/timeline-entry.js';
import { checkJobId } from './check-queue.js';
import { checklistTiers } from './checklist-plan.js';
import { durationsOf, milestonesOf } from './incident-milestones.js';
import type { VerificationDeps } from './verification-deps.js';

/** The `checklist.started` entry: when each tier runs, counted from the first mitigation. */
function startedEvent(runbook: Runbook, startedAt: string): TimelineEvent {
  const from = Date.parse(startedAt);
  return {
    type: 'checklist.started',
    tiers: checklistTiers(runbook).map((t) => ({
      within: t.within,
      dueAt: new Date(from + t.ms).toISOString(),
    })),
  };
}

/**
 * Starts the recovery checklist at the first successful mitigation: the moment is recorded once
 * (two replicas, a retried job: one wins), the timeline says when each tier runs, and each tier is
 * a delayed job. Returns false when it had already started (its jobs are still scheduled again, which
 * is harmless: same ids).
 */
export async function startChecklist(
  deps: VerificationDeps,
  incidentId: string,
  mitigatedAt: string,
): Promise<boolean> {
  const incident = await deps.store.get(incidentId);
  const runbook = incident && deps.runbooks.get(incident.kind);
  if (!incident || !runbook) return false;
  const first = await deps.checklist.markOnce(incidentId, 'mitigatedAt', mitigatedAt);
  const record = await deps.checklist.read(incidentId);
  const startedAt = record.mitigatedAt ?? mitigatedAt;
  const toMitigate = durationsOf(milestonesOf(incident, record)).mitigate;
  if (first && toMitigate !== undefined)
    deps.metrics.timeToMitigate.observe({ kind: incident.kind }, toMitigate);
  if (runbook.checklist.length === 0) return first;
  if (first) await deps.timeline.record(incidentId, startedEvent(runbook, startedAt));
  await scheduleChecks(deps, incidentId, startedAt);
  return first;
}

/** Adds each tier's delayed job under its deterministic id; safe to repeat. */
export async function scheduleChecks(
  deps: Pick<VerificationDeps, 'runbooks' | 'store' | 'checkQueue' | 'now'>,
  incidentId: string,
  startedAt: string,
): Promise<void> {
  const incident = await deps.store.get(incidentId);
  const runbook = incident && deps.runbooks.get(incident.kind);
  if (!runbook) return;
  const now = deps.now().getTime();
  for (const tier of checklistTiers(runbook)) {
    const job = { incidentId, within: tier.within, recheck: 0 };
    await deps.checkQueue.add('check', job, {
      jobId: checkJobId(job),
      delay: Math.max(0, Date.parse(startedAt) + tier.ms - now),
    });
  }
}

/**
 * At start: every open incident whose checklist started has its jobs scheduled again (a no-op for
 * jobs that exist), and one whose start was recorded but never told gets its entry. Covers a crash
 * between recording the mitigation and queuing its checks.
 */
export async function resumeChecklists(deps: VerificationDeps): Promise<number> {
  let resumed = 0;
  for (const incident of await deps.store.listOpen()) {
    const record = await deps.checklist.read(incident.id);
    if (!record.mitigatedAt) continue;
    const timeline = await deps.store.readTimeline(incident.id);
    const runbook = deps.runbooks.get(incident.kind);
    const started = timeline.some((e) => e.type === 'checklist.started');
    if (runbook && runbook.checklist.length > 0 && !started) {
      await deps.timeline.record(incident.id, startedEvent(runbook, record.mitigatedAt));
    }
    await scheduleChecks(deps, incident.id, record.mitigatedAt);
    resumed++;
  }
  return resumed;
}
