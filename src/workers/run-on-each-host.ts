import { setTimeout as sleep } from 'node:timers/promises';
import { type ConnectionOptions, Job, Queue } from 'bullmq';
import { type ExecutionContext, type ExecutionResult, executeStep } from '../executors/execute-step.js';
import { formatDuration, MAX_EXCERPT, truncate } from '../executors/result-text.js';
import { type ActionJob, hostActionQueueName } from '../incidents/action-queue.js';
import type { HostRun } from '../incidents/action-state.js';
import type { Action } from '../runbooks/runbook-schema.js';
import type { GuardDeps } from './guard-action-job.js';
import { type HostTurnJob, hostTurnJobId, turnResultSchema } from './host-turn.js';
import { stepBudgetMs } from './step-budget.js';
import { liveFor, type WorkerRegistry } from './worker-registry.js';

/** Beyond its step's own timeouts, how long a host's turn may take to be picked up and reported. */
export const TURN_GRACE_MS = 30_000;

export interface EachHostDeps extends GuardDeps {
  registry: WorkerRegistry;
  connection: ConnectionOptions;
  prefix: string;
  /** How often the coordinator looks at a host's turn. @defaultValue 250 */
  pollMs?: number;
}

const failed = (summary: string): ExecutionResult => ({
  outcome: 'failed',
  summary,
  excerpt: '',
  durationMs: 0,
});

/**
 * Waits for `host` to run its turn from its own queue. Gives up — and withdraws the turn if it was
 * not picked up — when the host's worker dies, the budget passes or the action is cancelled, so a
 * host that comes back later finds nothing to run.
 */
async function runTurn(
  deps: EachHostDeps,
  role: string,
  turn: HostTurnJob,
  budgetMs: number,
  signal: AbortSignal,
): Promise<ExecutionResult> {
  const queue = new Queue<HostTurnJob>(hostActionQueueName(role, turn.host), {
    connection: deps.connection,
    prefix: deps.prefix,
  });
  queue.on('error', (err) => deps.log.debug({ err: { message: err.message } }, 'host turn queue error'));
  const id = hostTurnJobId(turn);
  const withdraw = async (summary: string) => {
    const job = await Job.fromId(queue, id).catch(() => undefined);
    const state = await job?.getState().catch(() => undefined);
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
      await job?.remove().catch(() => undefined);
      return failed(`${summary}; its turn did not start there`);
    }
    return failed(`${summary} — its outcome there is unknown: check ${turn.host} before approving again`);
  };
  try {
    await queue.add('turn', turn, {
      jobId: id,
      attempts: 1,
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    const deadline = Date.now() + budgetMs + TURN_GRACE_MS;
    for (;;) {
      const job = await Job.fromId<HostTurnJob, unknown>(queue, id);
      const state = await job?.getState();
      if (job && state === 'completed') {
        const result = turnResultSchema.safeParse(job.returnvalue);
        return result.success ? result.data : failed(`${turn.host} answered something that is not a result`);
      }
      if (job && state === 'failed') return failed(`${turn.host}: ${job.failedReason || 'its turn failed'}`);
      if (signal.aborted) return withdraw(`cancelled while ${turn.host} had its turn`);
      const alive = liveFor((await deps.registry.list()).workers, role).some((w) => w.name === turn.host);
      if (!alive) return withdraw(`${turn.host} stopped (no heartbeat)`);
      if (Date.now() > deadline) {
        return withdraw(`no result from ${turn.host} within ${formatDuration(budgetMs + TURN_GRACE_MS)}`);
      }
      await sleep(deps.pollMs ?? 250);
    }
  } finally {
    await queue.close().catch(() => undefined);
  }
}

function summarize(hosts: readonly HostRun[], role: string): string {
  const done = hosts.filter((h) => h.status === 'succeeded').map((h) => h.host);
  const bad = hosts.find((h) => h.status === 'failed');
  const left = hosts.filter((h) => h.status === 'skipped').map((h) => h.host);
  if (!bad && left.length === 0) {
    return `succeeded on all ${hosts.length} ${role} host${hosts.length === 1 ? '' : 's'}, one after the other: ${done.join(', ')}`;
  }
  return [
    bad ? `failed on ${bad.host}: ${bad.summary ?? 'no summary'}` : 'stopped',
    done.length > 0 ? `done on ${done.join(', ')}` : 'done on none',
    left.length > 0 ? `not run on ${left.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * An `each` action, run by the worker that took its job: every live worker of the role in turn, by
 * name, this one's turn here and the others' through their own queues; the first failure stops it.
 * Each host's progress goes into the action's state (the card) and its outcome into the thread.
 */
export async function runOnEachHost(
  deps: EachHostDeps,
  role: string,
  action: Action,
  job: ActionJob,
  ctx: ExecutionContext,
): Promise<ExecutionResult> {
  const started = performance.now();
  const names = liveFor((await deps.registry.list()).workers, role).map((w) => w.name);
  const plan = [...new Set([...names, deps.self.name])].sort();
  const hosts: HostRun[] = plan.map((host) => ({ host, status: 'pending' }));
  const save = () =>
    deps.store.transitionAction(job.incidentId, job.actionId, ['running'], {
      status: 'running',
      hosts,
      expectAttempt: job.attempt,
    });
  const tell = (what: 'running' | 'succeeded' | 'failed', host: string, text: string) =>
    deps.timeline.record(job.incidentId, { type: 'action.worker', actionId: job.actionId, what, host, text });
  await save();
  const excerpts: string[] = [];
  for (const [index, host] of plan.entries()) {
    if (ctx.signal.aborted) break;
    hosts[index] = { host, status: 'running' };
    await save();
    await tell('running', host, 'its turn started');
    const result =
      host === deps.self.name
        ? await executeStep(action.run, ctx)
        : await runTurn(deps, role, { ...job, host }, stepBudgetMs(action.run), ctx.signal);
    hosts[index] = { host, status: result.outcome, summary: result.summary };
    await save();
    await tell(result.outcome, host, result.summary);
    if (result.excerpt) excerpts.push(`${host}: ${result.excerpt}`);
    if (result.outcome === 'failed') break;
  }
  for (const [index, run] of hosts.entries())
    if (run.status === 'pending') hosts[index] = { ...run, status: 'skipped' };
  await save();
  const ok = hosts.every((h) => h.status === 'succeeded');
  return {
    outcome: ok ? 'succeeded' : 'failed',
    summary: summarize(hosts, role),
    excerpt: truncate(excerpts.join('\n'), MAX_EXCERPT),
    durationMs: Math.round(performance.now() - started),
  };
}
