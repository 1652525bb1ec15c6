import type { Registry } from 'prom-client';
import type { Config } from '../config/read-config.js';
import { metricsRoute, probeRoutes, type ReadinessCheck } from '../http/health-routes.js';
import { createHttpServer } from '../http/http-server.js';
import type { Route } from '../http/route.js';
import type { Logger } from '../logging/logger.js';

export interface BotHttp {
  /** The public listener (PORT): Slack's receiver, `/healthz`, `/readyz`. */
  url: string;
  /** Where `/metrics` is served: METRICS_PORT's listener, or `url` when there is only one. */
  metricsUrl: string;
  close(): Promise<void>;
}

/**
 * The bot's listeners. With METRICS_PORT unset, one server on PORT serves everything (Slack, health,
 * metrics), as a laptop or the demo wants. With METRICS_PORT set, `/metrics` moves to its own listener
 * (with `/healthz` and `/readyz`, for a container's HEALTHCHECK and Prometheus' scrape) and PORT keeps
 * Slack's receiver and the two probes a load balancer asks: what the internet can reach holds no metrics.
 * METRICS_PORT equal to a non-zero PORT means "one listener" too.
 */
export async function startBotHttp(
  config: Pick<Config, 'port' | 'metricsPort'>,
  publicRoutes: readonly Route[],
  readiness: readonly ReadinessCheck[],
  registry: Registry,
  log: Logger,
): Promise<BotHttp> {
  const shared =
    config.metricsPort === undefined || (config.metricsPort === config.port && config.port !== 0);
  const main = createHttpServer(
    [...publicRoutes, ...probeRoutes(readiness), ...(shared ? [metricsRoute(registry)] : [])],
    log,
  );
  const url = await main.listen(config.port);
  if (shared || config.metricsPort === undefined) {
    return { url, metricsUrl: url, close: () => main.close() };
  }
  const ops = createHttpServer([...probeRoutes(readiness), metricsRoute(registry)], log);
  const metricsUrl = await ops.listen(config.metricsPort).catch(async (err: unknown) => {
    await main.close();
    throw err;
  });
  return {
    url,
    metricsUrl,
    close: async () => {
      await Promise.all([main.close(), ops.close()]);
    },
  };
}
