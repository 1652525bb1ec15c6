import type { Incident } from './incident.js';

/**
 * What the core tells the person who asked for an incident, as facts; each surface words it.
 * `opened`: the incident's place is ready. `not-opened`: its opening stopped for good.
 */
export type RequesterNotice =
  | { type: 'opened' }
  | { type: 'not-opened'; reason: string; advice: 'fix-then-retry' | 'retry-or-by-hand' };

/**
 * Where people work an incident. Slack is the first (`src/slack/slack-incident-surface.ts`): a
 * channel, its pinned header, its thread. The core calls these in its opening flow and never sees a
 * channel id, a message timestamp or a response URL: the surface keeps those in a ledger of its own.
 */
export interface IncidentSurface {
  /**
   * Gives the incident its place (Slack: creates the channel, invites the responders, posts and pins
   * the header). Resumable: each step is recorded by the surface, so a retry does none twice. Throws
   * a `surface_unusable` FirebreakError when no retry can help (an archived channel, a missing scope).
   */
  prepare(incident: Incident): Promise<void>;
  /** Tells the organisation the incident exists (Slack: the announce channel) and the requester where. */
  announce(incident: Incident): Promise<void>;
  /** Tells the person who asked for the incident something only they need to know; never throws. */
  notifyRequester(incident: Incident, notice: RequesterNotice): Promise<void>;
}
