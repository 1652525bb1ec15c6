import type { RunProgress } from '../executors/step-executor.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { Surface } from '../timeline/actor.js';
import type { SignedApproval } from './approval-signature.js';

/** The life of one offered action. Transitions are compare-and-set in Redis (see incident-store.ts). */
export const actionStatuses = [
  'offered',
  'queued',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const finishedActionStatuses: ReadonlySet<ActionStatus> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);

/** Queued or running: changing, or about to change, its target. */
export const inFlightStatuses: ReadonlySet<ActionStatus> = new Set(['queued', 'running']);

/** One person's approval of one attempt (`round`: the attempt it approves, 1 for the first run). */
export interface Approval {
  by: string;
  via: Surface;
  at: string;
  round: number;
  /** The reason given to run it although its guard failed. */
  override?: string;
}

/** The action it waits for, on a target they share. */
export interface WaitingFor {
  incidentId: string;
  actionId: string;
  title: string;
  target: string;
}

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
  /** Approvals so far; the attempt runs once enough different people approved (see approval-policy.ts). */
  approvals?: Approval[];
  /** Its group's deadline passed while it was undecided; `escalatedAt`: a second deadline too. */
  overdueAt?: string;
  escalatedAt?: string;
  /** Queued behind another action on the same target. Cleared (null) when it starts. */
  waitingFor?: WaitingFor | null;
  /** Who asked to stop it while it ran, and when. */
  cancelRequestedBy?: string;
  cancelRequestedVia?: Surface;
  cancelRequestedAt?: string;
  /** Set on a cancelled or cut run. */
  progress?: RunProgress;
  /** Values read before it ran (`capture:`), for its undo. Secret-free: a value that held a secret is refused. */
  captured?: Record<string, string>;
  /** It ran as a dry run: nothing was changed. */
  dryRun?: boolean;
  /** The bot's signature over this attempt's approval (its approvers): what a worker checks before it runs anything. */
  signature?: SignedApproval;
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

/** Every action of a runbook offered, none decided: what an incident's opening stores. */
export function offeredStates(runbook: Pick<Runbook, 'actions'>): ActionState[] {
  return runbook.actions.map((a) => ({ actionId: a.id, groupId: a.group, status: 'offered' }));
}
