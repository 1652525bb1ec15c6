import type { Surface } from './actor.js';

/**
 * Everything that happens to an incident is one entry: stored in Redis first, then delivered to
 * each surface (the Slack thread today). `seq` is its position in the incident's timeline
 * (0-based). `actor`/`via` say who did it and through which surface; absent for Firebreak's own
 * steps. Texts are plain: each surface escapes and renders them.
 */
export type TimelineEntry = { seq: number; at: string; actor?: string; via?: Surface } & TimelineEvent;

export type TimelineEvent =
  | { type: 'incident.opened'; summary: string }
  | { type: 'diagnosis.completed' }
  | { type: 'actions.offered'; groupId: string }
  | { type: 'action.decided'; actionId: string; status: 'queued' | 'skipped' }
  | { type: 'action.started'; actionId: string }
  /** `summary`: the one-line outcome the card shows, kept in the timeline for the postmortem. */
  | { type: 'action.finished'; actionId: string; status: 'succeeded' | 'failed'; summary?: string }
  | { type: 'incident.status'; from: string; to: string }
  | { type: 'note'; text: string };

export type TimelineEventType = TimelineEvent['type'];
