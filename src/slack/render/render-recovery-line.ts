import type { Runbook } from '../../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../../timeline/timeline-entry.js';
import { escapeMrkdwn } from './blocks.js';
import { renderActor } from './render-actor.js';

type RecoveryEntry = Extract<
  TimelineEntry,
  { type: 'checklist.ticked' | 'incident.recovered' | 'checklist.regressed' | 'message.pinned' }
>;

function checkTitle(runbook: Runbook | undefined, checkId: string): string {
  const title = runbook?.checklist.find((c) => c.id === checkId)?.title;
  return title ? `*${escapeMrkdwn(title)}*` : `\`${checkId}\``;
}

/** The thread line of the checklist's and the human story's entries (ticks, recovery, pins). */
export function renderRecoveryLine(entry: RecoveryEntry, runbook: Runbook | undefined): string {
  const who = renderActor(entry.actor, entry.via);
  switch (entry.type) {
    case 'checklist.ticked':
      return `:ballot_box_with_check: ${who} ticked ${checkTitle(runbook, entry.checkId)}`;
    case 'incident.recovered':
      return `:green_heart: *Recovered* — every first-tier check passed: ${entry.checkIds.map((id) => checkTitle(runbook, id)).join(', ')}.`;
    case 'checklist.regressed':
      return [
        `:rotating_light: *A check failed after recovery* — look again before resolving:`,
        ...entry.results.map(
          (r) => `• ${checkTitle(runbook, r.checkId)}: ${escapeMrkdwn(r.evidence.join('; ') || r.status)}`,
        ),
      ].join('\n');
    case 'message.pinned':
      return `:pushpin: ${who}${entry.markedBy ? ` (pinned by ${renderActor(entry.markedBy, 'slack')})` : ''}: ${escapeMrkdwn(entry.text)}`;
  }
}
