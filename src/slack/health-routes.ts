import type { CustomRoute } from '@slack/bolt';
import type { Registry } from 'prom-client';

export interface HealthChecks {
  /** Resolves true when Redis answers a PING in time. */
  redisReady(): Promise<boolean>;
  runbookCount(): number;
  metrics: Registry;
}

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `/healthz` (the process is up), `/readyz` (Redis reachable, runbooks loaded), `/metrics`. */
export function healthRoutes(checks: HealthChecks): CustomRoute[] {
  return [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => json(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        const redis = await checks.redisReady();
        const runbooks = checks.runbookCount();
        const ready = redis && runbooks > 0;
        json(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'not ready',
          redis: redis ? 'ok' : 'unreachable',
          runbooks,
        });
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: async (_req, res) => {
        res.writeHead(200, { 'Content-Type': checks.metrics.contentType });
        res.end(await checks.metrics.metrics());
      },
    },
  ];
}
