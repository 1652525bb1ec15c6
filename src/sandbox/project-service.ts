import { type AdminCall, handleAdmin } from './admin-api.js';
import { projectAdminRoutes } from './admin-routes.js';
import { methodNotAllowed, notFound, type RequestHandler, sendJson } from './http-io.js';
import type { Simulation } from './simulation.js';

export interface ProjectServiceOptions {
  sim: Simulation;
  adminToken: string;
  record(call: AdminCall): void;
}

/** The project service (runbook port 8001): it shares the overloaded database, so it fails with the spike. */
export function createProjectService(options: ProjectServiceOptions): RequestHandler {
  const { sim } = options;
  const admin = {
    service: 'project',
    adminToken: options.adminToken,
    routes: projectAdminRoutes(sim),
    record: options.record,
  } as const;
  return async (req, res, url) => {
    if (url.pathname === '/api/admin' || url.pathname.startsWith('/api/admin/')) {
      return handleAdmin(req, res, url, admin);
    }
    if (url.pathname !== '/health') return notFound(res);
    if (req.method !== 'GET') return methodNotAllowed(res, ['GET']);
    // An LLM outage does not touch the project service; only the spike's shared load does.
    if (sim.mode === 'spike' && !sim.isHealthy()) {
      return sendJson(res, 503, { status: 'unavailable', error: 'Connection pool exhausted' });
    }
    return sendJson(res, 200, { status: 'ok' });
  };
}
