import type { Actor } from './actor.js';
import type { TimelineEntry, TimelineEvent } from './timeline-entry.js';

/** Where timelines are kept: an append-only list per incident (Redis: `<prefix>inc:<id>:timeline`). */
export interface TimelineStore {
  appendTimeline(id: string, event: TimelineEvent, actor?: Actor, at?: Date): Promise<TimelineEntry>;
  readTimeline(id: string, fromSeq?: number): Promise<TimelineEntry[]>;
  /** How many entries the timeline holds: one cheap command, for a delivery watching for more. */
  timelineLength(id: string): Promise<number>;
}
