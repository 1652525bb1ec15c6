import type { ReadinessCheck } from '../http/health-routes.js';
import type { WorkerView } from '../incidents/worker-fleet.js';
import { within } from '../lifecycle/within.js';
import type { HostWorker } from '../workers/start-host-worker.js';
import type { Core } from './build-core.js';

const label = (w: WorkerView) =>
  `${w.name} (${[...w.roles, ...(w.unplaced ? ['actions without a role'] : [])].join(', ') || 'nothing'})`;

/**
 * `/readyz`'s "workers" line on the bot: who is alive, and what is wrong ("no live worker for role
 * generation: start …"). It never makes the bot unready: without a worker Slack must still reach the
 * bot to say so, and a load balancer taking the bot out would silence it.
 */
export function fleetReadiness(core: Core): ReadinessCheck {
  return {
    name: 'workers',
    async check() {
      const status = await within(
        core.deps.workers?.status().catch(() => undefined) ?? Promise.resolve(undefined),
        1000,
      );
      if (!status) return { ok: true, detail: { problems: ['the worker registry could not be read'] } };
      return {
        ok: true,
        detail: { live: status.workers.filter((w) => w.live).map(label), problems: status.problems },
      };
    },
  };
}

/** `/readyz`'s "registration" line on a worker: ready while its heartbeat reaches Redis. */
export function registrationReadiness(worker: HostWorker): ReadinessCheck {
  return {
    name: 'registration',
    check: async () => {
      const ok = worker.healthy();
      return { ok, detail: ok ? `registered as ${worker.info.name}` : 'heartbeat not reaching Redis' };
    },
  };
}
