import type { Incident } from '../../incidents/incident.js';
import type { Runbook } from '../../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../../timeline/timeline-entry.js';
import { escapeMrkdwn, slackDate } from './blocks.js';
import { renderActor } from './render-actor.js';

function actionLabel(runbook: Runbook | undefined, actionId: string): string {
  const action = runbook?.actions.find((a) => a.id === actionId);
  return action ? `*${escapeMrkdwn(action.group)} · ${escapeMrkdwn(action.title)}*` : `\`${actionId}\``;
}

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
    case 'action.decided':
      return entry.status === 'queued'
        ? `:+1: ${who} approved ${actionLabel(runbook, entry.actionId)} — queued`
        : `:fast_forward: ${who} skipped ${actionLabel(runbook, entry.actionId)}`;
    case 'action.started':
      return `:arrow_forward: Running ${actionLabel(runbook, entry.actionId)}`;
    case 'action.finished':
      return entry.status === 'succeeded'
        ? `:white_check_mark: ${actionLabel(runbook, entry.actionId)} succeeded`
        : `:x: ${actionLabel(runbook, entry.actionId)} failed`;
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
