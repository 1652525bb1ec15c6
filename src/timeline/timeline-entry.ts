import type { Surface } from './actor.js';
import type { CheckOutcome } from './check-outcome.js';
import type { People } from './people.js';

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
  /** `approvedBy`: everyone whose approval it took, when more than the actor. */
  | { type: 'action.decided'; actionId: string; status: 'queued' | 'skipped'; approvedBy?: string[] }
  | { type: 'action.started'; actionId: string }
  /** `summary`: the one-line outcome the card shows, kept in the timeline for the postmortem. */
  | {
      type: 'action.finished';
      actionId: string;
      status: 'succeeded' | 'failed' | 'cancelled';
      summary?: string;
    }
  /**
   * What the workers on the hosts did about an action: it waits for one (`waiting`), one host's turn
   * started or ended, or a job was refused (`refused`). `text` is plain: the reason and the fix, or
   * the host's summary.
   */
  | {
      type: 'action.worker';
      actionId: string;
      what: 'waiting' | 'running' | 'succeeded' | 'failed' | 'refused';
      host?: string;
      text: string;
    }
  | { type: 'incident.status'; from: string; to: string }
  | { type: 'note'; text: string }
  /** One approval of several: `count` of `required` so far; `needsOther`: the requester alone cannot. */
  | { type: 'action.approval'; actionId: string; count: number; required: number; needsOther?: boolean }
  /** An approver ran an action whose guard failed on fresh values, and said why. */
  | { type: 'guard.overridden'; actionId: string; reason: string; evidence: string[] }
  /** A decision the core refused: who (the entry's actor), what, and why in plain text; `ask` may decide instead. */
  | {
      type: 'decision.refused';
      decision: string;
      actionId?: string;
      code: string;
      reason: string;
      ask?: People;
    }
  /** It waits for another action on the same target to finish instead of racing it. */
  | {
      type: 'action.waiting';
      actionId: string;
      target: string;
      blockedBy: { incidentId: string; actionId: string; title: string };
    }
  /** Someone asked to stop a running action; its `action.finished` (cancelled) follows. */
  | { type: 'action.cancel-requested'; actionId: string }
  /** What an action read before changing it, so that its undo restores it. */
  | { type: 'action.captured'; actionId: string; values: Record<string, string> }
  /** A group's deadline passed with actions undecided: one reminder to the approvers. */
  | { type: 'deadline.reminder'; groupId: string; actionIds: string[]; deadline: string; ask: People }
  /** A second deadline's worth later, still undecided: the commander and the announce channel are told. */
  | {
      type: 'deadline.escalated';
      groupId: string;
      actionIds: string[];
      deadline: string;
      ask: People;
      commander: { id: string; via: Surface };
    }
  /** The first successful mitigation started the recovery checklist: when each tier of checks runs. */
  | { type: 'checklist.started'; tiers: { within: string; dueAt: string }[] }
  /** A run of recovery checks; `request`: someone asked (`/incident verify`), else the schedule. */
  | { type: 'checklist.checked'; trigger: 'schedule' | 'request'; results: CheckOutcome[] }
  /** A person (the entry's actor) ticked a check that needs one ("core features tested by hand"). */
  | { type: 'checklist.ticked'; checkId: string }
  /** Every check of the first tier passed: the incident's recovered time is this entry's `at`. */
  | { type: 'incident.recovered'; checkIds: string[] }
  /** Checks failed after the incident had recovered: said loudly. */
  | { type: 'checklist.regressed'; results: CheckOutcome[] }
  /** A message someone marked (Slack: a :pushpin: reaction); the entry's actor is its author. */
  | { type: 'message.pinned'; text: string; markedBy?: string }
  /** The postmortem document was (re)written and kept with the incident; surfaces attach it. */
  | { type: 'postmortem.written'; version: number }
  /**
   * An Alertmanager group reached an open incident it did not open (another trigger of the runbook:
   * `CriticalServiceDown` on the 503 incident). `severity`: the incident's severity it raised, if any.
   */
  | {
      type: 'alert.attached';
      alertname: string;
      firing: number;
      since: string;
      summary?: string;
      severity?: { from: string; to: string };
    }
  /**
   * The incident's alert group again: `repeat` — unchanged, still firing (at most once a minute);
   * otherwise it changed: alerts joined, or `resolved` of them ended (a partial resolve), or it fires again.
   */
  | {
      type: 'alert.firing';
      alertname: string;
      firing: number;
      resolved: number;
      since: string;
      repeat: boolean;
    }
  /** Every alert of the group has ended (`resolvedAt`: the last one's end). The incident stays open. */
  | { type: 'alert.resolved'; alertname: string; alerts: number; resolvedAt: string };

export type TimelineEventType = TimelineEvent['type'];
