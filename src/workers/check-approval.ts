import type { ActionJob } from '../incidents/action-queue.js';
import type { ActionState } from '../incidents/action-state.js';
import type { ApprovalSigner } from '../incidents/approval-signature.js';
import { runbookDigest } from '../runbooks/runbook-digest.js';
import type { Runbook } from '../runbooks/runbook-schema.js';

export type ApprovalCheck = { ok: true } | { ok: false; why: 'unsigned' | 'runbook-mismatch'; text: string };

/**
 * Whether this worker may run `job`: the action state carries the bot's signature over exactly this
 * incident, action, attempt and approvers (the job's approver among them), and the runbook the bot
 * signed is the one on this host's disk. The job itself proves nothing: anyone who reaches Redis can
 * write one.
 */
export function checkApproval(
  signer: ApprovalSigner,
  job: Pick<ActionJob, 'incidentId' | 'actionId' | 'attempt' | 'approvedBy'>,
  state: ActionState,
  runbook: Runbook,
  workerName: string,
): ApprovalCheck {
  const approval = state.signature;
  const signed =
    approval !== undefined &&
    state.attempt === job.attempt &&
    approval.approvers.includes(job.approvedBy) &&
    signer.verify(
      {
        incidentId: job.incidentId,
        actionId: job.actionId,
        attempt: job.attempt,
        approvers: approval.approvers,
        runbook: approval.runbook,
      },
      approval.mac,
    );
  if (!signed) {
    return {
      ok: false,
      why: 'unsigned',
      text:
        'not run: its approval carries no valid signature from Firebreak — either this worker’s APPROVAL_SIGNING_KEY ' +
        'differs from the bot’s, or the job was written into Redis by something else; check the key, then who can write to Firebreak’s Redis',
    };
  }
  const mine = runbookDigest(runbook);
  if (approval.runbook !== mine) {
    return {
      ok: false,
      why: 'runbook-mismatch',
      text: `not run: the ${runbook.kind} runbook on ${workerName} (${mine}) differs from the bot’s (${approval.runbook}) — deploy the same runbooks (commands/) on every host, then approve again`,
    };
  }
  return { ok: true };
}
