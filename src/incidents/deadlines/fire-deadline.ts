import { undoApplicable } from '../action-rules.js';
import { activeStatuses } from '../incident.js';
import type { IncidentDeps } from '../incident-deps.js';
import type { DeadlineJob } from './deadline-queue.js';

export type DeadlineOutcome =
  /** The core's clock says it is early (a job promoted ahead of time, clocks apart): ask again then. */
  | { kind: 'not-due'; inMs: number }
  | { kind: 'fired'; actionIds: string[] }
  /** Closed incident, every action decided, or this stage already told: nothing to say. */
  | { kind: 'nothing-to-do'; why: 'closed' | 'decided' | 'already-told' };

type FireDeps = Pick<IncidentDeps, 'store' | 'runbooks' | 'timeline' | 'policy' | 'now' | 'log' | 'metrics'>;

/**
 * A group's deadline came: the actions still undecided get one reminder in the timeline naming the
 * people who may decide them (and their cards an "overdue" mark); at the second stage the
 * escalation also names the commander (the surface tells its announce channel). Once per group and
 * stage, however often the job runs: the timeline itself says whether it was told.
 */
export async function fireDeadline(deps: FireDeps, job: DeadlineJob): Promise<DeadlineOutcome> {
  const now = deps.now();
  const due = Date.parse(job.dueAt);
  if (now.getTime() < due) return { kind: 'not-due', inMs: due - now.getTime() };
  const incident = await deps.store.get(job.incidentId);
  const runbook = incident && deps.runbooks.get(incident.kind);
  const group = runbook?.groups.find((g) => g.id === job.groupId);
  if (!incident || !runbook || !group || !activeStatuses.has(incident.status)) {
    return { kind: 'nothing-to-do', why: 'closed' };
  }
  const type = job.stage === 'remind' ? 'deadline.reminder' : 'deadline.escalated';
  const timeline = await deps.store.readTimeline(incident.id);
  if (timeline.some((e) => e.type === type && e.groupId === group.id))
    return { kind: 'nothing-to-do', why: 'already-told' };
  const states = new Map((await deps.store.listActions(incident.id)).map((s) => [s.actionId, s]));
  const undecided = runbook.actions.filter(
    (a) =>
      a.group === group.id &&
      (states.get(a.id)?.status ?? 'offered') === 'offered' &&
      undoApplicable(runbook, a.id, states) !== false,
  );
  if (undecided.length === 0) return { kind: 'nothing-to-do', why: 'decided' };
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const action of undecided) {
    const { approvers } = deps.policy.requirement(incident, runbook, action);
    for (const u of approvers.users) users.add(u);
    for (const g of approvers.groups) groups.add(g);
  }
  // The card's mark first, so the entry's delivery shows it on the refreshed card.
  const mark = job.stage === 'remind' ? { overdueAt: now.toISOString() } : { escalatedAt: now.toISOString() };
  for (const action of undecided) {
    await deps.store.transitionAction(incident.id, action.id, ['offered'], { status: 'offered', ...mark });
  }
  const fields = {
    groupId: group.id,
    actionIds: undecided.map((a) => a.id),
    deadline: group.deadline ?? '',
    ask: { users: [...users], groups: [...groups] },
  };
  await deps.timeline.record(
    incident.id,
    job.stage === 'remind'
      ? { type: 'deadline.reminder', ...fields }
      : {
          type: 'deadline.escalated',
          ...fields,
          commander: { id: incident.openedBy, via: incident.openedVia },
        },
  );
  deps.metrics.deadlinesFired.inc({ stage: job.stage });
  deps.log.warn(
    { incidentId: incident.id, groupId: group.id, stage: job.stage, undecided: fields.actionIds },
    'deadline passed with actions undecided',
  );
  return { kind: 'fired', actionIds: fields.actionIds };
}
