import type { ActionStatus } from '../incidents/action-state.js';

/**
 * Everything that happens to an incident is one entry: stored in Redis first, then delivered to
 * the incident's thread. `seq` is its position in the incident's timeline (0-based).
 */
export type TimelineEntry = { seq: number; at: string; actor?: string } & TimelineEvent;

export type TimelineEvent =
  | { type: 'incident.opened'; summary: string }
  | { type: 'diagnosis.completed' }
  | { type: 'actions.offered'; groupId: string }
  | { type: 'action.decided'; actionId: string; status: Extract<ActionStatus, 'queued' | 'skipped'> }
  | { type: 'action.started'; actionId: string }
  | { type: 'action.finished'; actionId: string; status: Extract<ActionStatus, 'succeeded' | 'failed'> }
  | { type: 'incident.status'; from: string; to: string }
  | { type: 'note'; text: string };

export type TimelineEventType = TimelineEvent['type'];
