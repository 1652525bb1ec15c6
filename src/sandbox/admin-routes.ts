import { z } from 'zod';
import { type AdminRoute, adminRoute } from './admin-api.js';
import {
  DEFAULT_RATE_LIMIT,
  type Mitigations,
  type ProviderBreakerState,
  type Simulation,
  UPSTREAM_PROVIDERS,
} from './simulation.js';

const workerCount = z.int().min(1).max(64);
const percent = z.number().min(1).max(100);

const emergencyRateLimitBody = z.strictObject({
  requests_per_minute: z.int().min(1).max(1_000_000),
  burst: z.int().min(0).max(100_000),
});
const endpointsBody = z.strictObject({
  endpoints: z.array(z.string().startsWith('/', 'each endpoint is a path starting with /')).min(1),
});
const scaleBody = z.strictObject({ target_workers: workerCount });
const autoScaleBody = z
  .strictObject({
    enable: z.boolean(),
    min_workers: workerCount.optional(),
    max_workers: workerCount.optional(),
    cpu_threshold: percent.optional(),
    memory_threshold: percent.optional(),
  })
  .refine((b) => !b.enable || (b.min_workers !== undefined && b.max_workers !== undefined), {
    message: 'min_workers and max_workers are required when enable is true',
  })
  .refine((b) => (b.min_workers ?? 0) <= (b.max_workers ?? Number.POSITIVE_INFINITY), {
    message: 'min_workers must not exceed max_workers',
    path: ['min_workers'],
  });
// Fractions of a minute are allowed so tests can watch the forced health expire.
const forceOkBody = z.strictObject({ duration_minutes: z.number().positive().max(1440) });
const pauseHeavyBody = z.strictObject({ job_types: z.array(z.string().min(1)).min(1) });
const poolResizeBody = z
  .strictObject({
    max_connections: z.int().min(1).max(10_000),
    min_connections: z.int().min(0).max(10_000),
  })
  .refine((b) => b.min_connections <= b.max_connections, {
    message: 'min_connections must not exceed max_connections',
    path: ['min_connections'],
  });
const killLongQueriesBody = z.strictObject({ max_duration_seconds: z.int().min(1).max(86_400) });

const rateLimitFields = (m: Mitigations) => ({
  rate_limit: {
    profile: m.rateLimit.profile,
    requests_per_minute: m.rateLimit.requestsPerMinute,
    burst: m.rateLimit.burst,
  },
});

function providerRoutes(sim: Simulation): AdminRoute[] {
  return UPSTREAM_PROVIDERS.flatMap((provider) => {
    const set = (breaker: ProviderBreakerState) => () =>
      sim.mitigate((m) => {
        m.providers[provider] = breaker;
        return { provider, breaker };
      });
    const base = `/api/admin/circuit-breaker/${provider}`;
    return [
      adminRoute('POST', `${base}/enable`, null, set('enabled')),
      adminRoute('POST', `${base}/disable`, null, set('disabled')),
      // Half-open only after a successful probe; a failed probe keeps the breaker open, as real ones do.
      adminRoute('POST', `${base}/test`, null, () =>
        sim.mitigate((m) => {
          const upstreamHealthy = sim.mode !== 'upstream-outage';
          m.providers[provider] = upstreamHealthy ? 'half-open' : 'enabled';
          return { provider, breaker: m.providers[provider], probe: { upstream_healthy: upstreamHealthy } };
        }),
      ),
    ];
  });
}

const resetDbPool = (sim: Simulation, service: 'project' | 'generation'): AdminRoute =>
  adminRoute('POST', '/api/admin/db/reset-pool', null, () =>
    sim.mitigate((m) => {
      m.dbPoolResets[service] += 1;
      return { db_pool: { reset: true, resets: m.dbPoolResets[service] } };
    }),
  );

/** Every admin endpoint the 503 runbook calls on the generation service (port 8002). */
export function generationAdminRoutes(sim: Simulation): AdminRoute[] {
  const restoreDefault = () =>
    sim.mitigate((m) => {
      m.rateLimit = { profile: 'default', ...DEFAULT_RATE_LIMIT };
      return rateLimitFields(m);
    });
  return [
    adminRoute('POST', '/api/admin/rate-limit/emergency', emergencyRateLimitBody, (b) =>
      sim.mitigate((m) => {
        m.rateLimit = { profile: 'emergency', requestsPerMinute: b.requests_per_minute, burst: b.burst };
        return rateLimitFields(m);
      }),
    ),
    adminRoute('DELETE', '/api/admin/rate-limit/emergency', null, restoreDefault),
    adminRoute('POST', '/api/admin/rate-limit/restore-default', null, restoreDefault),
    adminRoute('POST', '/api/admin/circuit-breaker/enable', endpointsBody, (b) =>
      sim.mitigate((m) => {
        for (const endpoint of b.endpoints) m.openEndpoints.add(endpoint);
        return { circuit_breaker: { open_endpoints: [...m.openEndpoints] } };
      }),
    ),
    adminRoute('POST', '/api/admin/circuit-breaker/disable-all', null, () =>
      sim.mitigate((m) => {
        m.openEndpoints.clear();
        return { circuit_breaker: { open_endpoints: [] } };
      }),
    ),
    ...providerRoutes(sim),
    adminRoute('POST', '/api/admin/graceful-restart', null, () =>
      sim.mitigate((m) => {
        m.gracefulRestarts += 1;
        return { restart: { graceful: true, count: m.gracefulRestarts } };
      }),
    ),
    adminRoute('POST', '/api/admin/workers/scale', scaleBody, (b) =>
      sim.mitigate((m) => {
        m.workers.target = b.target_workers;
        return { workers: { target: b.target_workers } };
      }),
    ),
    adminRoute('POST', '/api/admin/workers/auto-scale', autoScaleBody, (b) =>
      sim.mitigate((m) => {
        m.workers.autoScale = {
          enabled: b.enable,
          minWorkers: b.min_workers ?? null,
          maxWorkers: b.max_workers ?? null,
          cpuThreshold: b.cpu_threshold ?? null,
          memoryThreshold: b.memory_threshold ?? null,
        };
        return { auto_scale: b };
      }),
    ),
    resetDbPool(sim, 'generation'),
    adminRoute('POST', '/api/admin/health/force-ok', forceOkBody, (b) =>
      sim.mitigate((m) => {
        m.forcedHealthUntil = sim.now() + b.duration_minutes * 60_000;
        return { health: { forced_ok_until: new Date(m.forcedHealthUntil).toISOString() } };
      }),
    ),
    adminRoute('POST', '/api/admin/jobs/pause-heavy', pauseHeavyBody, (b) =>
      sim.mitigate((m) => {
        for (const type of b.job_types) m.pausedJobTypes.add(type);
        return { jobs: { paused: [...m.pausedJobTypes] } };
      }),
    ),
    adminRoute('POST', '/api/admin/connection-pool/resize', poolResizeBody, (b) =>
      sim.mitigate((m) => {
        m.connectionPool = { maxConnections: b.max_connections, minConnections: b.min_connections };
        return { connection_pool: b };
      }),
    ),
  ];
}

/** The project service's (port 8001) admin endpoints from the runbook. */
export function projectAdminRoutes(sim: Simulation): AdminRoute[] {
  return [
    resetDbPool(sim, 'project'),
    adminRoute('POST', '/api/admin/db/kill-long-queries', killLongQueriesBody, (b) =>
      sim.mitigate((m) => {
        // An overloaded stack has a few stuck queries to kill; a healthy one has none.
        const killed = sim.isHealthy() ? 0 : 3;
        m.longQueryKills += killed;
        return { killed_queries: killed, max_duration_seconds: b.max_duration_seconds };
      }),
    ),
  ];
}
