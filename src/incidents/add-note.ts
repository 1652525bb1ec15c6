import type { Actor } from '../timeline/actor.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import { unattributable } from './attributable-actor.js';
import type { IncidentDeps } from './incident-deps.js';
import type { Refusal } from './refusal.js';

/** Notes and marked messages are kept short enough for a thread line and a table cell. */
const MAX_TEXT = 2000;

export type NoteResult = { kind: 'noted'; entry: TimelineEntry } | { kind: 'refused'; refusal: Refusal };

/**
 * The human story of an incident, in its timeline with its author: a note someone wrote
 * (`/incident note`), or a message of the incident's channel someone marked (Slack: :pushpin:; the
 * actor is the message's author, `markedBy` who marked it). Kept after a resolve too: the postmortem
 * is written from it.
 */
export async function addToTimeline(
  deps: Pick<IncidentDeps, 'store' | 'timeline'>,
  incidentId: string,
  actor: Actor,
  story: { text: string; markedBy?: string },
): Promise<NoteResult> {
  // The story is worth its author: a note nobody can be named for is not recorded.
  const anonymous = unattributable(actor);
  if (anonymous) return { kind: 'refused', refusal: anonymous };
  if (!(await deps.store.get(incidentId))) {
    return { kind: 'refused', refusal: { code: 'incident-unknown', incidentId } };
  }
  const text = story.text.trim().slice(0, MAX_TEXT);
  const entry = await deps.timeline.record(
    incidentId,
    story.markedBy ? { type: 'message.pinned', text, markedBy: story.markedBy } : { type: 'note', text },
    actor,
  );
  return { kind: 'noted', entry };
}
