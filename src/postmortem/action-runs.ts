import type { Surface } from '../timeline/actor.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';

/** One decision on an action and, when approved, its run: who, when, and how it ended. */
export interface ActionRun {
  actionId: string;
  decision: 'approved' | 'skipped';
  decidedBy?: string;
  decidedVia?: Surface;
  decidedAt: string;
  startedAt?: string;
  finishedAt?: string;
  outcome?: 'succeeded' | 'failed' | 'cancelled';
  summary?: string;
}

/**
 * Every decision and run in the order they happened, from the timeline itself (an action approved
 * again after a failure is a second run): a start or an end belongs to the latest approval of its action.
 */
export function actionRuns(timeline: readonly TimelineEntry[]): ActionRun[] {
  const runs: ActionRun[] = [];
  const latest = new Map<string, ActionRun>();
  for (const entry of timeline) {
    if (entry.type === 'action.decided') {
      const run: ActionRun = {
        actionId: entry.actionId,
        decision: entry.status === 'queued' ? 'approved' : 'skipped',
        decidedAt: entry.at,
        ...(entry.actor ? { decidedBy: entry.actor } : {}),
        ...(entry.via ? { decidedVia: entry.via } : {}),
      };
      runs.push(run);
      if (run.decision === 'approved') latest.set(entry.actionId, run);
    } else if (entry.type === 'action.started') {
      const run = latest.get(entry.actionId);
      if (run) run.startedAt = entry.at;
    } else if (entry.type === 'action.finished') {
      const run = latest.get(entry.actionId);
      if (!run || run.outcome) continue;
      run.finishedAt = entry.at;
      run.outcome = entry.status;
      if (entry.summary) run.summary = entry.summary;
    }
  }
  return runs;
}
