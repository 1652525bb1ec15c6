import type { Incident } from '../../incidents/incident.js';
import type { Runbook } from '../../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../../timeline/timeline-entry.js';
import { escapeMrkdwn, slackDate } from './blocks.js';
import { renderActor } from './render-actor.js';
import { renderPeople } from './render-people.js';
import { renderRecoveryLine } from './render-recovery-line.js';

function actionLabel(runbook: Runbook | undefined, actionId: string): string {
  const action = runbook?.actions.find((a) => a.id === actionId);
  return action ? `*${escapeMrkdwn(action.group)} · ${escapeMrkdwn(action.title)}*` : `\`${actionId}\``;
}

function groupLabel(runbook: Runbook | undefined, groupId: string): string {
  const group = runbook?.groups.find((g) => g.id === groupId);
  return group ? `*${escapeMrkdwn(group.id)} · ${escapeMrkdwn(group.title)}*` : `*${escapeMrkdwn(groupId)}*`;
}

const titles = (runbook: Runbook | undefined, ids: readonly string[]) =>
  ids.map((id) => escapeMrkdwn(runbook?.actions.find((a) => a.id === id)?.title ?? id)).join(', ');

/** Whom a deadline asks: mentions of the approvers, or the channel when anyone may decide. */
const hasPeople = (people: { users: readonly string[]; groups: readonly string[] }) =>
  people.users.length + people.groups.length > 0;

/**
 * The one-line thread message of a timeline entry, or undefined for entries rendered as their own
 * rich message (the snapshot, the action cards).
 */
export function renderTimelineLine(
  entry: TimelineEntry,
  incident: Incident,
  runbook: Runbook | undefined,
): string | undefined {
  const who = renderActor(entry.actor, entry.via);
  switch (entry.type) {
    case 'incident.opened':
      return `:rotating_light: ${who} opened incident *${incident.id}* — ${escapeMrkdwn(incident.title)}${entry.summary ? `: ${escapeMrkdwn(entry.summary)}` : ''}`;
    case 'diagnosis.completed':
    case 'actions.offered':
      return undefined;
    case 'action.decided': {
      if (entry.status === 'skipped')
        return `:fast_forward: ${who} skipped ${actionLabel(runbook, entry.actionId)}`;
      const all = entry.approvedBy
        ? ` (approved by ${entry.approvedBy.map((id) => renderActor(id, entry.via)).join(', ')})`
        : '';
      return `:+1: ${who} approved ${actionLabel(runbook, entry.actionId)} — queued${all}`;
    }
    case 'action.started':
      return `:arrow_forward: Running ${actionLabel(runbook, entry.actionId)}`;
    case 'action.finished':
      switch (entry.status) {
        case 'succeeded':
          return `:white_check_mark: ${actionLabel(runbook, entry.actionId)} succeeded`;
        case 'failed':
          return `:x: ${actionLabel(runbook, entry.actionId)} failed`;
        case 'cancelled':
          return `:octagonal_sign: ${actionLabel(runbook, entry.actionId)} ${escapeMrkdwn(entry.summary ?? 'cancelled')}${entry.actor ? ` (by ${who})` : ''}`;
      }
      return undefined;
    case 'action.approval': {
      const more = entry.needsOther
        ? ' — it also needs someone other than the person who opened the incident'
        : '';
      return `:ballot_box_with_check: ${who} approved ${actionLabel(runbook, entry.actionId)} — ${entry.count} of ${entry.required} approvals${more}`;
    }
    case 'guard.overridden':
      return `:warning: ${who} approved ${actionLabel(runbook, entry.actionId)} *anyway*, although its guard failed (${escapeMrkdwn(entry.evidence.join('; '))}). Reason: ${escapeMrkdwn(entry.reason)}`;
    case 'decision.refused': {
      const what = entry.actionId ? ` ${actionLabel(runbook, entry.actionId)}` : ' the incident';
      // Whom to ask goes to the clicker only: a thread that pings the approvers on every stray click gets muted.
      const why = entry.code === 'not-approver' ? `not an approver for this` : escapeMrkdwn(entry.reason);
      return `:no_entry: ${who} tried to ${escapeMrkdwn(entry.decision)}${what}: refused — ${why}`;
    }
    case 'action.waiting': {
      const elsewhere =
        entry.blockedBy.incidentId === incident.id ? '' : ` of incident ${entry.blockedBy.incidentId}`;
      return `:hourglass_flowing_sand: ${actionLabel(runbook, entry.actionId)} waits for *${escapeMrkdwn(entry.blockedBy.title)}*${elsewhere} (same target \`${escapeMrkdwn(entry.target)}\`)`;
    }
    case 'action.cancel-requested':
      return `:octagonal_sign: ${who} asked to cancel ${actionLabel(runbook, entry.actionId)}`;
    case 'action.captured': {
      const values = Object.entries(entry.values).map(([k, v]) => `\`${k}\` = \`${escapeMrkdwn(v)}\``);
      return `:floppy_disk: ${actionLabel(runbook, entry.actionId)} read what it changes first: ${values.join(', ')} (its undo restores it)`;
    }
    case 'deadline.reminder':
      return `:alarm_clock: ${groupLabel(runbook, entry.groupId)} is past its ${escapeMrkdwn(entry.deadline)} deadline, undecided: ${titles(runbook, entry.actionIds)}. ${hasPeople(entry.ask) ? `${renderPeople(entry.ask)}: please decide.` : 'Anyone in this channel may decide.'}`;
    case 'deadline.escalated':
      return `:rotating_light: *Escalation:* ${groupLabel(runbook, entry.groupId)} is still undecided a ${escapeMrkdwn(entry.deadline)} deadline after its reminder: ${titles(runbook, entry.actionIds)}. Commander ${renderActor(entry.commander.id, entry.commander.via)}; ${hasPeople(entry.ask) ? `approvers ${renderPeople(entry.ask)}` : 'anyone in this channel may decide'}.`;
    case 'action.worker': {
      // A host's turn starting only refreshes the card; the thread gets its outcome.
      if (entry.what === 'running') return undefined;
      const on = entry.host ? ` on *${escapeMrkdwn(entry.host)}*` : '';
      const label = actionLabel(runbook, entry.actionId);
      const text = escapeMrkdwn(entry.text);
      if (entry.what === 'waiting') return `:hourglass_flowing_sand: ${label} waits: ${text}`;
      if (entry.what === 'refused') return `:no_entry: Refused a job for ${label}${on}: ${text}`;
      return `${entry.what === 'succeeded' ? ':white_check_mark:' : ':x:'} ${label}${on}: ${text}`;
    }
    case 'incident.status':
      return entry.to === 'resolved'
        ? `:white_check_mark: ${who} resolved incident *${incident.id}*. Thanks, everyone.`
        : `Status: ${entry.from} → *${entry.to}*`;
    case 'note':
      return `:memo: ${who}: ${escapeMrkdwn(entry.text)}`;
    case 'alert.attached':
    case 'alert.firing':
    case 'alert.resolved':
      return renderAlertLine(entry);
    // The live checklist message and the postmortem file are their own messages.
    case 'checklist.started':
    case 'checklist.checked':
    case 'postmortem.written':
      return undefined;
    default:
      return renderRecoveryLine(entry, runbook);
  }
}

const alerts = (n: number) => `${n} alert${n === 1 ? '' : 's'}`;

/** An alert group's news, in the words an on-call engineer scans for: still firing, partial, resolved. */
function renderAlertLine(
  entry: Extract<TimelineEntry, { type: 'alert.attached' | 'alert.firing' | 'alert.resolved' }>,
): string {
  const name = `*${escapeMrkdwn(entry.alertname)}*`;
  switch (entry.type) {
    case 'alert.attached': {
      const raised = entry.severity
        ? ` Severity raised ${entry.severity.from} → *${entry.severity.to}*.`
        : '';
      const summary = entry.summary ? `: ${escapeMrkdwn(entry.summary)}` : '';
      return `:rotating_light: Alert ${name} (Alertmanager) joined this incident — firing since ${slackDate(entry.since)}, ${alerts(entry.firing)}${summary}.${raised}`;
    }
    case 'alert.firing':
      if (entry.repeat)
        return `:repeat: ${name} still firing since ${slackDate(entry.since)}, ${alerts(entry.firing)}`;
      if (entry.resolved > 0) {
        return `:large_yellow_circle: ${name} partially resolved: ${entry.resolved} of ${alerts(entry.firing + entry.resolved)} resolved, ${entry.firing} still firing since ${slackDate(entry.since)}`;
      }
      return `:rotating_light: ${name} firing since ${slackDate(entry.since)}, now ${alerts(entry.firing)}`;
    case 'alert.resolved':
      return `:large_green_circle: ${name}: alert resolved at ${slackDate(entry.resolvedAt)} (${alerts(entry.alerts)}). The incident stays open until someone runs \`/incident resolve\`.`;
  }
}
