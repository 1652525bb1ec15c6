import type { Surface } from '../timeline/actor.js';
import type { SignedApproval } from './approval-signature.js';

/** The life of one offered action. Transitions are compare-and-set in Redis (see incident-store.ts). */
export const actionStatuses = ['offered', 'queued', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const finishedActionStatuses: ReadonlySet<ActionStatus> = new Set(['succeeded', 'failed', 'skipped']);

export interface ActionState {
  actionId: string;
  groupId: string;
  status: ActionStatus;
  /** 1 for the first approval; a failed action approved again runs as attempt 2 under a new job id. */
  attempt?: number;
  /** Who approved or skipped it (the actor's id), through which surface, and when: the recorded human decision. */
  decidedBy?: string;
  decidedVia?: Surface;
  decidedAt?: string;
  jobId?: string;
  startedAt?: string;
  finishedAt?: string;
  /** One line, secret-free, plain text: 'POST /api/admin/rate-limit/emergency → 200 in 42 ms'. */
  summary?: string;
  /** Short, secret-free excerpt of the output. */
  excerpt?: string;
  /** The bot's signature over this attempt's approval: what a worker checks before it runs anything. */
  approval?: SignedApproval;
  /** The worker that took this attempt (its registry name and instance): watched while it runs. */
  runner?: { name: string; instance: string };
  /** An `each` action: every host of its role, in the order they run, and how each went. */
  hosts?: HostRun[];
  /** While a queued attempt has no live worker to take it: why, and the fix (null once one is back). */
  waiting?: { attempt: number; text: string } | null;
}

/** One host's turn of an `each` action. */
export interface HostRun {
  host: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  /** One secret-free line, as an action's own summary. */
  summary?: string;
}

/**
 * BullMQ job ids may not contain ':' nor be all digits. Stable per incident, action and attempt, so
 * a double click or a re-delivered request adds the same job and BullMQ ignores the second add.
 */
export function actionJobId(incidentId: string, actionId: string, attempt: number): string {
  return `act-${incidentId}-${actionId}-${attempt}`;
}
