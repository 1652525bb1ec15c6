import { type AdminCall, handleAdmin, isAuthorized } from './admin-api.js';
import { projectAdminRoutes } from './admin-routes.js';
import { methodNotAllowed, notFound, type RequestHandler, sendJson, type Wait } from './http-io.js';
import type { Simulation } from './simulation.js';

export interface ProjectServiceOptions {
  sim: Simulation;
  adminToken: string;
  /** Delay of answers that wait on the locked database. */
  spikeLatencyMs: number;
  wait: Wait;
  record(call: AdminCall): void;
}

/**
 * The project service (runbook port 8001): SQLite-heavy, so a locked database makes it slow — its
 * health and its own database admin calls wait on the lock — and it shares the spike's exhausted pool.
 */
export function createProjectService(options: ProjectServiceOptions): RequestHandler {
  const { sim } = options;
  const admin = {
    service: 'project',
    adminToken: options.adminToken,
    routes: projectAdminRoutes(sim),
    record: options.record,
  } as const;
  const waitsOnLock = () => sim.regime() === 'database-bottleneck';
  return async (req, res, url) => {
    if (url.pathname === '/api/admin' || url.pathname.startsWith('/api/admin/')) {
      // Only an authorized call reaches the database, so only its answer waits: the delay must not
      // tell an unauthenticated caller which admin paths exist.
      const reachesDb = url.pathname.startsWith('/api/admin/db/');
      if (reachesDb && waitsOnLock() && isAuthorized(req.headers.authorization, options.adminToken)) {
        await options.wait(options.spikeLatencyMs);
      }
      return handleAdmin(req, res, url, admin);
    }
    if (url.pathname !== '/health') return notFound(res);
    if (req.method !== 'GET') return methodNotAllowed(res, ['GET']);
    if (waitsOnLock()) {
      await options.wait(options.spikeLatencyMs);
      return sendJson(res, 503, { status: 'unavailable', error: 'database is locked' });
    }
    // An LLM outage does not touch the project service; only the spike's shared load does.
    if (sim.regime() === 'spike') {
      return sendJson(res, 503, { status: 'unavailable', error: 'Connection pool exhausted' });
    }
    return sendJson(res, 200, { status: 'ok' });
  };
}
