import type { ActionJob } from '../incidents/action-queue.js';
import type { ApprovalSigner } from '../incidents/approval-signature.js';
import { finishAction } from '../incidents/finish-action.js';
import type { ActionRunnerDeps } from '../incidents/run-approved-action.js';
import { actionPlacement } from '../runbooks/host-placement.js';
import { checkApproval } from './check-approval.js';

export interface GuardDeps extends ActionRunnerDeps {
  signer: ApprovalSigner;
  /** This worker, as the registry knows it: recorded as the action's runner. */
  self: { name: string; instance: string };
}

/**
 * The gate in front of every action job a worker takes, on any queue: it runs only what the bot
 * approved and signed, from this host's own runbook, on the queue of the action's own role. Anything
 * else is refused and told in the incident's thread; a refused attempt that was queued ends as
 * failed with the reason. A duplicate delivery of a job already taken passes through, for
 * `runApprovedAction`'s compare-and-set to turn away. On the way in, the worker claims the attempt,
 * so the bot can tell when its runner dies.
 */
export function createActionGuard(deps: GuardDeps, queueRole: string | undefined) {
  const refuse = async (job: ActionJob, text: string, queued: boolean) => {
    deps.log.warn(
      { incidentId: job.incidentId, actionId: job.actionId, attempt: job.attempt, text },
      'refused an action job',
    );
    await deps.timeline.record(job.incidentId, {
      type: 'action.worker',
      actionId: job.actionId,
      what: 'refused',
      host: deps.self.name,
      text,
    });
    if (queued) await finishAction(deps, job, ['queued'], { outcome: 'failed', summary: text });
    return false;
  };

  return async (job: ActionJob): Promise<boolean> => {
    const incident = await deps.store.get(job.incidentId);
    // No incident, no thread to report to: runApprovedAction logs it and records nothing.
    if (!incident) return true;
    const state = await deps.store.getAction(job.incidentId, job.actionId);
    const queued = state?.status === 'queued' && state.attempt === job.attempt;
    const runbook = deps.runbooks.get(incident.kind);
    const action = runbook?.actions.find((a) => a.id === job.actionId);
    if (!runbook || !action) {
      return refuse(
        job,
        `not run: ${deps.self.name} has no action ${job.actionId} in its ${incident.kind} runbook — deploy the same runbooks (commands/) on every host`,
        queued,
      );
    }
    const role = actionPlacement(action)?.role;
    if (role !== queueRole) {
      const where = (r: string | undefined) => (r === undefined ? 'the role-less queue' : `role ${r}`);
      return refuse(
        job,
        `not run: it arrived in the queue of ${where(queueRole)}, but this action runs on ${where(role)} — Firebreak did not queue it there`,
        queued,
      );
    }
    if (!state || state.attempt !== job.attempt || state.status === 'offered' || state.status === 'skipped') {
      return refuse(
        job,
        `nothing ran: nobody approved attempt ${job.attempt} of this action — the job was written into Redis by something other than Firebreak`,
        false,
      );
    }
    // Taken already (running or finished): a duplicate; runApprovedAction's compare-and-set says so.
    if (!queued) return true;
    const check = checkApproval(deps.signer, job, state, runbook, deps.self.name);
    if (!check.ok) return refuse(job, check.text, true);
    const claimed = await deps.store.transitionAction(job.incidentId, job.actionId, ['queued'], {
      status: 'queued',
      runner: { name: deps.self.name, instance: deps.self.instance },
      expectAttempt: job.attempt,
    });
    return claimed.ok || claimed.current?.status !== 'queued';
  };
}
