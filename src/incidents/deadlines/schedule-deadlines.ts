import { parseDuration } from '../../runbooks/duration.js';
import type { IncidentDeps } from '../incident-deps.js';
import { type DeadlineStage, deadlineJobId, deadlineStages } from './deadline-queue.js';

type ScheduleDeps = Pick<IncidentDeps, 'store' | 'runbooks' | 'deadlineQueue' | 'now'>;

/**
 * Schedules the reminder (at the deadline) and the escalation (a second deadline later) of every
 * group of the incident that has a deadline and whose card was offered, counted from that offer's
 * timeline entry. Idempotent: deterministic job ids, so the opening flow, a retry, a restart and a
 * second replica all schedule the same two jobs per group. Returns how many groups it covered.
 */
export async function scheduleDeadlines(deps: ScheduleDeps, incidentId: string): Promise<number> {
  const incident = await deps.store.get(incidentId);
  const runbook = incident && deps.runbooks.get(incident.kind);
  if (!incident || !runbook || incident.status === 'resolved') return 0;
  const offeredAt = new Map<string, string>();
  for (const entry of await deps.store.readTimeline(incidentId)) {
    if (entry.type === 'actions.offered' && !offeredAt.has(entry.groupId))
      offeredAt.set(entry.groupId, entry.at);
  }
  let groups = 0;
  for (const group of runbook.groups) {
    const at = offeredAt.get(group.id);
    if (!group.deadline || !at) continue;
    const deadlineMs = parseDuration(group.deadline);
    for (const [index, stage] of deadlineStages.entries()) {
      const due = Date.parse(at) + deadlineMs * (index + 1);
      await add(deps, { incidentId, groupId: group.id, stage, dueAt: new Date(due).toISOString() });
    }
    groups++;
  }
  return groups;
}

async function add(
  deps: ScheduleDeps,
  job: { incidentId: string; groupId: string; stage: DeadlineStage; dueAt: string },
): Promise<void> {
  const delay = Math.max(0, Date.parse(job.dueAt) - deps.now().getTime());
  await deps.deadlineQueue.add(job.stage, job, {
    jobId: deadlineJobId(job.incidentId, job.groupId, job.stage),
    delay,
  });
}

/** At start: every open incident's deadlines, in case the process died between an offer and its scheduling. */
export async function scheduleOpenDeadlines(deps: ScheduleDeps): Promise<number> {
  let groups = 0;
  for (const incident of await deps.store.listOpen()) groups += await scheduleDeadlines(deps, incident.id);
  return groups;
}
