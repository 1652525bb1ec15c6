import { z } from 'zod';
import { type AdminCall, handleAdmin } from './admin-api.js';
import { generationAdminRoutes } from './admin-routes.js';
import { FAULT_PROFILES } from './fault-profiles.js';
import {
  methodNotAllowed,
  notFound,
  parseJson,
  type RequestHandler,
  readBody,
  sendJson,
  sendText,
  type Wait,
} from './http-io.js';
import { EXPOSITION_CONTENT_TYPE, renderMetrics } from './metrics-exposition.js';
import { SANDBOX_MODES, type Simulation } from './simulation.js';

export interface GenerationServiceOptions {
  sim: Simulation;
  adminToken: string;
  spikeLatencyMs: number;
  wait: Wait;
  record(call: AdminCall): void;
}

const modeBody = z.strictObject({ mode: z.enum(SANDBOX_MODES) });

/**
 * The generation service (runbook port 8002): the one that overloads. Also hosts the sandbox's own
 * control API under `/__sandbox/` so the demo can inject a fault without restarting.
 */
export function createGenerationService(options: GenerationServiceOptions): RequestHandler {
  const { sim } = options;
  const admin = {
    service: 'generation',
    adminToken: options.adminToken,
    routes: generationAdminRoutes(sim),
    record: options.record,
  } as const;

  const generationHealth: RequestHandler = async (_req, res) => {
    const regime = sim.regime();
    if (regime === 'normal') {
      sim.recordRequest('200');
      return sendJson(res, 200, { status: 'ok', mode: sim.mode, fallback: sim.mode === 'upstream-outage' });
    }
    // The overload shows as slowness first: callers time out before they ever see the 503.
    await options.wait(options.spikeLatencyMs);
    if (regime === 'upstream-outage') {
      sim.recordRequest('503');
      return sendJson(res, 503, {
        status: 'degraded',
        error: 'upstream timeout',
        providers: sim.state().circuitBreakers.providers,
      });
    }
    if (sim.nextOverloadedRequestFails()) {
      sim.recordRequest('503');
      return sendJson(res, 503, { status: 'unavailable', error: FAULT_PROFILES[regime].error });
    }
    sim.recordRequest('200');
    return sendJson(res, 200, { status: 'ok', degraded: true });
  };

  const routes: Record<string, { method: string; handle: RequestHandler }> = {
    '/health': {
      method: 'GET',
      handle: async (_req, res) => {
        if (sim.isHealthy()) return sendJson(res, 200, { status: 'ok' });
        if (sim.isHealthForced()) return sendJson(res, 200, { status: 'ok', forced: true });
        return sendJson(res, 503, { status: 'unavailable', reason: sim.mode });
      },
    },
    '/api/generation/health': { method: 'GET', handle: generationHealth },
    '/metrics': {
      method: 'GET',
      handle: async (_req, res) => sendText(res, 200, renderMetrics(sim), EXPOSITION_CONTENT_TYPE),
    },
    '/__sandbox/state': { method: 'GET', handle: async (_req, res) => sendJson(res, 200, sim.state()) },
    '/__sandbox/mode': {
      method: 'POST',
      handle: async (req, res) => {
        const json = parseJson(await readBody(req));
        const parsed = json.ok ? modeBody.safeParse(json.value) : null;
        if (!parsed?.success) {
          return sendJson(res, 400, {
            error: 'bad_request',
            message: `expected {"mode": ${SANDBOX_MODES.map((m) => `"${m}"`).join(' | ')}}`,
          });
        }
        sim.setMode(parsed.data.mode);
        return sendJson(res, 200, sim.state());
      },
    },
  };

  return async (req, res, url) => {
    if (url.pathname === '/api/admin' || url.pathname.startsWith('/api/admin/')) {
      return handleAdmin(req, res, url, admin);
    }
    const route = routes[url.pathname];
    if (!route) return notFound(res);
    if (req.method !== route.method) return methodNotAllowed(res, [route.method]);
    return route.handle(req, res, url);
  };
}
