import type { Redis } from 'ioredis';
import { formatDuration } from '../executors/result-text.js';
import { finishAction } from '../incidents/finish-action.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import type { WorkerView } from '../incidents/worker-fleet.js';
import { actionPlacement } from '../runbooks/host-placement.js';
import { noLiveWorker } from './fleet-status.js';
import { liveFor, type WorkerRegistry } from './worker-registry.js';

export interface WatchOptions {
  registry: WorkerRegistry;
  redis: Redis;
  prefix: string;
  /** @defaultValue 1000 */
  intervalMs?: number;
}

type WatchDeps = Pick<IncidentDeps, 'store' | 'runbooks' | 'timeline' | 'now' | 'metrics' | 'log'>;

/**
 * One look at every open incident's actions against the registry:
 * - a queued attempt whose role has no live worker is marked waiting, once, with the fix — the card
 *   and the thread say so instead of a silent "queued"; it runs when a worker appears;
 * - a running attempt whose worker is dead (or left) is failed as "outcome unknown" within seconds,
 *   rather than when BullMQ's own stall check runs, which needs a live worker on that very queue.
 * Both are compare-and-set moves, so several bot replicas watching at once do each thing once.
 */
export async function watchOnce(deps: WatchDeps, options: WatchOptions): Promise<void> {
  const { workers } = await options.registry.list();
  for (const incident of await deps.store.listOpen()) {
    const runbook = deps.runbooks.get(incident.kind);
    if (!runbook) continue;
    for (const state of await deps.store.listActions(incident.id)) {
      const action = runbook.actions.find((a) => a.id === state.actionId);
      if (!action || state.attempt === undefined) continue;
      const job = { incidentId: incident.id, actionId: state.actionId, attempt: state.attempt };
      if (state.status === 'queued') {
        const role = actionPlacement(action)?.role;
        const waiting = state.waiting?.attempt === state.attempt;
        const live = liveFor(workers, role).length > 0;
        if (!live && !waiting) await markWaiting(deps, options, job, noLiveWorker(role));
        if (live && waiting) {
          await deps.store.transitionAction(incident.id, state.actionId, ['queued'], {
            status: 'queued',
            waiting: null,
            expectAttempt: state.attempt,
          });
        }
      } else if (state.status === 'running' && state.runner) {
        const runner = workers.find((w) => w.instance === state.runner?.instance);
        if (!runner?.live) await failOrphan(deps, job, state.runner.name, runner);
      }
    }
  }
}

async function markWaiting(
  deps: WatchDeps,
  options: WatchOptions,
  job: { incidentId: string; actionId: string; attempt: number },
  text: string,
): Promise<void> {
  const moved = await deps.store.transitionAction(job.incidentId, job.actionId, ['queued'], {
    status: 'queued',
    waiting: { attempt: job.attempt, text },
    expectAttempt: job.attempt,
  });
  if (!moved.ok) return;
  // One thread line per attempt, however many bot replicas watch.
  const once = await options.redis.set(
    `${options.prefix}:inc:${job.incidentId}:waiting:${job.actionId}:${job.attempt}`,
    '1',
    'EX',
    7 * 24 * 3600,
    'NX',
  );
  if (once !== 'OK') return;
  deps.log.warn({ ...job, text }, 'approved action waits for a worker');
  await deps.timeline.record(job.incidentId, {
    type: 'action.worker',
    actionId: job.actionId,
    what: 'waiting',
    text,
  });
}

async function failOrphan(
  deps: WatchDeps,
  job: { incidentId: string; actionId: string; attempt: number },
  name: string,
  runner: WorkerView | undefined,
): Promise<void> {
  const why = runner ? `stopped (no heartbeat for ${formatDuration(runner.ageMs)})` : 'stopped';
  deps.log.warn({ ...job, worker: name }, 'the worker running an action is gone');
  await finishAction(deps, job, ['running'], {
    outcome: 'failed',
    summary: `the worker ${name} ${why} while running this action: its outcome is unknown — check the target before approving it again`,
  });
}

/** Runs {@link watchOnce} every `intervalMs` until stopped; a failed look is logged and the next one tries again. */
export function startWatching(deps: WatchDeps, options: WatchOptions): { stop(): void } {
  let running: Promise<void> | undefined;
  let failing = false;
  const tick = () => {
    if (running) return;
    running = watchOnce(deps, options)
      .then(() => {
        failing = false;
      })
      .catch((err) => {
        if (!failing)
          deps.log.warn(
            { err: { message: (err as Error).message } },
            'watching the workers failed; retrying',
          );
        failing = true;
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? 1000);
  timer.unref();
  return {
    // Not waiting for a look in progress: on a Redis that vanished it would hold the shutdown.
    stop: () => clearInterval(timer),
  };
}
