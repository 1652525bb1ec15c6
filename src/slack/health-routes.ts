import type { CustomRoute } from '@slack/bolt';
import type { Registry } from 'prom-client';

export interface HealthChecks {
  /** Resolves true when Redis answers a PING in time. */
  redisReady(): Promise<boolean>;
  runbookCount(): number;
  /** A token Slack rejected makes the bot not ready; Slack merely unreachable does not. */
  slackStatus(): 'unverified' | 'verified' | 'invalid';
  metrics: Registry;
}

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `/healthz` (the process is up), `/readyz` (Redis reachable, runbooks loaded, token not rejected), `/metrics`. */
export function healthRoutes(checks: HealthChecks): CustomRoute[] {
  return [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => json(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        const redis = await checks.redisReady();
        const runbooks = checks.runbookCount();
        const slack = checks.slackStatus();
        const ready = redis && runbooks > 0 && slack !== 'invalid';
        json(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'not ready',
          redis: redis ? 'ok' : 'unreachable',
          runbooks,
          slack,
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
