import { undoneBy } from '../../incidents/action-rules.js';
import type { ActionState } from '../../incidents/action-state.js';
import type { Requirement } from '../../incidents/approval-policy.js';
import { activeStatuses, type Incident } from '../../incidents/incident.js';
import type { Action, Runbook } from '../../runbooks/runbook-schema.js';
import { clip, escapeMrkdwn, slackDate } from './blocks.js';
import { renderActor } from './render-actor.js';
import { hostElements } from './render-host-status.js';

/** The approvals of the attempt being approved now (a failed run's approvals do not count again). */
export function pendingApprovals(state: ActionState | undefined): NonNullable<ActionState['approvals']> {
  const round = (state?.attempt ?? 0) + 1;
  return (state?.approvals ?? []).filter((a) => a.round === round);
}

function mainLine(state: ActionState | undefined, incident: Incident): string | undefined {
  if (!state || state.status === 'offered') {
    return activeStatuses.has(incident.status) ? undefined : `:lock: not run — incident ${incident.status}`;
  }
  const by = state.decidedBy ? ` by ${renderActor(state.decidedBy, state.decidedVia)}` : '';
  const when = state.decidedAt ? ` ${slackDate(state.decidedAt)}` : '';
  const attempt = (state.attempt ?? 1) > 1 ? ` (attempt ${state.attempt})` : '';
  const summary = escapeMrkdwn(state.summary ?? '');
  switch (state.status) {
    case 'queued':
      return `:hourglass_flowing_sand: *queued*${attempt} — approved${by}${when}`;
    case 'running':
      return `:arrow_forward: *running*${attempt} — approved${by}${when}`;
    case 'succeeded':
      return state.dryRun
        ? `:test_tube: *dry run*${attempt} — ${summary} · approved${by}`
        : `:white_check_mark: *succeeded*${attempt} — ${summary} · approved${by}`;
    case 'failed':
      return `:x: *failed*${attempt} — ${summary} · approved${by}`;
    case 'skipped':
      return `:fast_forward: *skipped*${by}${when}`;
    case 'cancelled': {
      const who = state.cancelRequestedBy
        ? ` by ${renderActor(state.cancelRequestedBy, state.cancelRequestedVia)}`
        : '';
      return `:octagonal_sign: *cancelled*${who}${attempt} ${escapeMrkdwn((state.summary ?? '').replace(/^cancelled\s*/, ''))}`;
    }
  }
}

/** "1 of 2 approvals: @dana", and what else it needs when the requester may not approve alone. */
function approvalsLine(
  state: ActionState | undefined,
  requirement: Requirement | undefined,
): string | undefined {
  if (state && state.status !== 'offered' && state.status !== 'failed' && state.status !== 'cancelled')
    return undefined;
  const pending = pendingApprovals(state);
  if (pending.length === 0) {
    return requirement && requirement.approvals > 1
      ? `:busts_in_silhouette: needs ${requirement.approvals} approvals from different people`
      : undefined;
  }
  const who = pending.map((a) => renderActor(a.by, a.via)).join(', ');
  const of = requirement ? ` of ${requirement.approvals}` : '';
  const needsOther =
    requirement?.otherThan && pending.every((a) => a.by === requirement.otherThan)
      ? ` — needs an approval from someone other than ${renderActor(requirement.otherThan, pending[0]?.via)}, who opened the incident`
      : '';
  return `:ballot_box_with_check: ${pending.length}${of} approvals: ${who}${needsOther}`;
}

/**
 * An action's state as the context lines of its card: where it is in its life, how many approvals
 * it has, whether it is overdue, what it waits for, who asked to stop it, what it read for its undo,
 * and the output excerpt — one context block, several elements, to stay inside Slack's 50 blocks.
 */
export function statusElements(input: {
  action: Action;
  runbook: Runbook;
  state: ActionState | undefined;
  states: ReadonlyMap<string, ActionState>;
  incident: Incident;
  requirement: Requirement | undefined;
  applicable: boolean | undefined;
}): string[] {
  const { state, incident } = input;
  const open = activeStatuses.has(incident.status);
  const lines: Array<string | undefined> = [mainLine(state, incident), ...hostElements(input.action, state)];
  if (open) lines.push(approvalsLine(state, input.requirement));
  if (open && state?.status === 'offered' && state.escalatedAt) {
    lines.push(`:rotating_light: *overdue — escalated* ${slackDate(state.escalatedAt)}`);
  } else if (open && state?.status === 'offered' && state.overdueAt) {
    lines.push(`:alarm_clock: *overdue* since ${slackDate(state.overdueAt)}`);
  }
  if (state?.status === 'queued' && state.waitingFor) {
    const w = state.waitingFor;
    const elsewhere = w.incidentId === incident.id ? '' : ` (incident ${w.incidentId})`;
    lines.push(
      `:double_vertical_bar: waiting for: *${escapeMrkdwn(w.title)}*${elsewhere} — same target \`${escapeMrkdwn(w.target)}\``,
    );
  }
  if (state?.status === 'running' && state.cancelRequestedBy) {
    lines.push(
      `:octagonal_sign: stopping — cancel asked by ${renderActor(state.cancelRequestedBy, state.cancelRequestedVia)}`,
    );
  }
  if (state?.captured && Object.keys(state.captured).length > 0) {
    const values = Object.entries(state.captured).map(([k, v]) => `${k} = \`${escapeMrkdwn(v)}\``);
    lines.push(`:floppy_disk: read before the change: ${values.join(', ')}`);
  }
  if (open && input.applicable === false) {
    const titles = undoneBy(input.runbook, input.action.id).map(
      (id) => input.runbook.actions.find((a) => a.id === id)?.title ?? id,
    );
    lines.push(
      `:lock: offered once *${escapeMrkdwn(titles.join('* or *'))}* has succeeded: nothing to undo yet`,
    );
  }
  if (
    state?.excerpt &&
    (state.status === 'succeeded' || state.status === 'failed' || state.status === 'cancelled')
  ) {
    lines.push(`\`${escapeMrkdwn(clip(state.excerpt.replaceAll('`', "'"), 300))}\``);
  }
  return lines.filter((line): line is string => line !== undefined);
}
