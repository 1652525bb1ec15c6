import type { ActionState, HostRun } from '../../incidents/action-state.js';
import { actionPlacement } from '../../runbooks/host-placement.js';
import type { Action } from '../../runbooks/runbook-schema.js';
import { clip, escapeMrkdwn } from './blocks.js';

const hostIcon: Record<HostRun['status'], string> = {
  pending: ':white_circle:',
  running: ':arrow_forward:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  skipped: ':fast_forward:',
};

/** An `each` action's hosts: `✅ gen-1 · ▶️ gen-2 · ⚪ gen-3`, with the failed host's reason. */
function hostsLine(hosts: readonly HostRun[]): string {
  return hosts
    .map((h) => {
      const why = h.status === 'failed' && h.summary ? ` (${escapeMrkdwn(clip(h.summary, 120))})` : '';
      return `${hostIcon[h.status]} ${escapeMrkdwn(h.host)}${why}`;
    })
    .join(' · ');
}

/**
 * The host side of an action's state, as card lines: a queued attempt that no live worker can take
 * (with the fix), every host's turn of an `each` action, or which host of its role ran it.
 */
export function hostElements(action: Action, state: ActionState | undefined): string[] {
  if (!state) return [];
  const lines: string[] = [];
  if (state.status === 'queued' && state.waiting && state.waiting.attempt === state.attempt) {
    lines.push(`:hourglass_flowing_sand: waiting — ${escapeMrkdwn(state.waiting.text)}`);
  }
  if (state.hosts && state.hosts.length > 0) lines.push(hostsLine(state.hosts));
  else if (state.runner && action.on !== undefined && state.status !== 'queued') {
    lines.push(`:computer: on *${escapeMrkdwn(state.runner.name)}*`);
  }
  return lines;
}

/** Where a placed action runs, for the person approving it. */
export function placementText(action: Action): string {
  const placement = actionPlacement(action);
  if (!placement) return '';
  return placement.each
    ? ` _on every ${escapeMrkdwn(placement.role)} host, one after the other_`
    : ` _on one ${escapeMrkdwn(placement.role)} host_`;
}
