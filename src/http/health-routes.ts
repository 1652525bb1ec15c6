import type { Registry } from 'prom-client';
import { type Route, sendJson } from './route.js';

/** One readiness check: a name, and whether it holds (with a detail for the JSON answer). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail: unknown }>;
}

/**
 * `/healthz` (the process is up), `/readyz` (every check holds; 503 otherwise, with each check's
 * detail) and `/metrics` (Prometheus text format). Served by the bot and by `npm run worker` alike.
 */
export function healthRoutes(checks: readonly ReadinessCheck[], metrics: Registry): Route[] {
  return [...probeRoutes(checks), metricsRoute(metrics)];
}

/** `/healthz` and `/readyz` alone: what a load balancer in front of the public port asks. */
export function probeRoutes(checks: readonly ReadinessCheck[]): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      async handle(_req, res) {
        const results = await Promise.all(checks.map(async (c) => ({ name: c.name, ...(await c.check()) })));
        const ready = results.every((r) => r.ok);
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'not ready',
          ...Object.fromEntries(results.map((r) => [r.name, r.detail])),
        });
      },
    },
  ];
}

/** `/metrics`: the registry in Prometheus' text format, collected (queue depths read) on each request. */
export function metricsRoute(metrics: Registry): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handle(_req, res) {
      const text = await metrics.metrics();
      res.writeHead(200, { 'content-type': metrics.contentType });
      res.end(text);
    },
  };
}
