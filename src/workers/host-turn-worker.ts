import { type ConnectionOptions, Worker } from 'bullmq';
import { type ExecutionResult, executeStep } from '../executors/execute-step.js';
import { hostActionQueueName } from '../incidents/action-queue.js';
import { freshCondition } from '../incidents/fresh-condition.js';
import { actionPlacement } from '../runbooks/host-placement.js';
import { checkApproval } from './check-approval.js';
import type { GuardDeps } from './guard-action-job.js';
import { type HostTurnJob, hostTurnJobSchema } from './host-turn.js';

const refused = (summary: string): ExecutionResult => ({
  outcome: 'failed',
  summary,
  excerpt: '',
  durationMs: 0,
});

/**
 * This host's turn of an `each` action, asked for by the worker coordinating it. Checked like any
 * job — the bot's signature, this host's runbook — and run only while the action's state says this
 * very turn is due, so a turn withdrawn or left behind never runs late. The coordinator records the
 * outcome; a refusal comes back to it as a failed turn, with the reason.
 */
export async function runHostTurn(
  deps: GuardDeps,
  role: string,
  turn: HostTurnJob,
  signal: AbortSignal,
): Promise<ExecutionResult> {
  const me = deps.self.name;
  if (turn.host !== me) return refused(`refused on ${me}: this turn was meant for ${turn.host}`);
  const incident = await deps.store.get(turn.incidentId);
  const runbook = incident && deps.runbooks.get(incident.kind);
  const action = runbook?.actions.find((a) => a.id === turn.actionId);
  if (!runbook || !action) return refused(`not run: ${me} has no action ${turn.actionId} in its runbooks`);
  const placement = actionPlacement(action);
  if (placement?.role !== role || !placement.each) {
    return refused(`not run: on ${me} this action is not one to run on each ${role} host`);
  }
  const state = await deps.store.getAction(turn.incidentId, turn.actionId);
  const due = state?.hosts?.find((h) => h.host === me)?.status === 'running';
  if (state?.status !== 'running' || state.attempt !== turn.attempt || !due) {
    deps.log.warn({ ...turn, status: state?.status }, 'refused a host turn that is not due');
    return refused(`not run: the turn on ${me} is not due (the action is ${state?.status ?? 'unknown'})`);
  }
  const check = checkApproval(deps.signer, turn, state, runbook, me);
  if (!check.ok) return refused(check.text);
  const log = deps.log.child({ incidentId: turn.incidentId, actionId: turn.actionId, attempt: turn.attempt });
  log.info('running this host’s turn of an approved action');
  return executeStep(action.run, {
    vars: deps.vars,
    signal,
    allowedPrograms: deps.allowedPrograms,
    secrets: deps.secrets,
    log,
    // A sequence's `expect:` is judged here, on this host, as the coordinator's own turn is.
    verify: (condition) =>
      freshCondition(
        {
          vars: deps.vars,
          allowedPrograms: deps.allowedPrograms,
          ...(deps.procRoot ? { procRoot: deps.procRoot } : {}),
        },
        runbook,
        condition,
      ),
  });
}

/** The worker of this host's own queue for `role` (`firebreak-actions-<role>@<name>`). */
export function createHostTurnWorker(
  deps: GuardDeps,
  role: string,
  options: { connection: ConnectionOptions; prefix: string },
): Worker<HostTurnJob, ExecutionResult> {
  const worker = new Worker<HostTurnJob, ExecutionResult>(
    hostActionQueueName(role, deps.self.name),
    (job, _token, signal) =>
      runHostTurn(deps, role, hostTurnJobSchema.parse(job.data), signal ?? new AbortController().signal),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: 4,
      // A turn whose worker died is failed as stalled (the coordinator reports it), never re-run.
      maxStalledCount: 0,
    },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'host turn worker error'));
  return worker;
}
