import {
  BodyTooLargeError,
  methodNotAllowed,
  type RequestHandler,
  readBody,
  sendJson,
  sendText,
} from './http-io.js';
import { nodeSeries } from './node-metrics.js';
import { evaluateQuery, type PromSource } from './promql-subset.js';
import type { RequestStatus, Simulation } from './simulation.js';

export interface PrometheusServiceOptions {
  sim: Simulation;
  /** `host:port` of the generation service, used as its `instance` label. */
  generationInstance(): string;
}

/** Prometheus prints floats without exponent and spells the specials its own way. */
function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  // Twelve significant digits hide float noise such as 39.99999999999999 from a Slack reader.
  return String(Number(value.toPrecision(12)));
}

function badData(error: string) {
  return { status: 'error', errorType: 'bad_data', error } as const;
}

function sourceFor(options: PrometheusServiceOptions): PromSource {
  const { sim } = options;
  const target = (job: string) => ({ job, instance: options.generationInstance() });
  // The host's node_exporter series come with the generation service's scrape (see renderMetrics).
  const node = () =>
    nodeSeries(sim.host()).map((s) => ({
      ...s,
      labels: { __name__: s.name, ...target('generation-service'), ...s.labels },
    }));
  return {
    counters: () => [
      ...(['200', '503'] as const satisfies readonly RequestStatus[]).map((status) => ({
        labels: { __name__: 'http_requests_total', ...target('generation-service'), status },
        value: () => sim.counter(status),
        rate: (windowMs: number) => sim.rate(status, windowMs),
      })),
      ...node().flatMap(({ labels, value, counter }) =>
        counter === undefined
          ? []
          : [{ labels, value: () => value, rate: (windowMs: number) => sim.hostRate(counter, windowMs) }],
      ),
    ],
    gauges: () => {
      const load = sim.load();
      const generation = target('generation-service');
      return [
        // The generation service keeps answering scrapes even while overloaded, so it stays up.
        { labels: { __name__: 'up', ...generation }, value: 1 },
        { labels: { __name__: 'process_cpu_percent', ...generation }, value: load.cpu },
        { labels: { __name__: 'process_memory_percent', ...generation }, value: load.memory },
        { labels: { __name__: 'generation_workers', ...generation }, value: load.workers },
        ...node().flatMap(({ labels, value, counter }) => (counter === undefined ? [{ labels, value }] : [])),
      ];
    },
  };
}

/**
 * A Prometheus stand-in that speaks the real `/api/v1/query` format for the handful of queries the
 * runbook uses, computed from the simulated traffic. It is not a PromQL engine.
 */
export function createPrometheusService(options: PrometheusServiceOptions): RequestHandler {
  const source = sourceFor(options);
  return async (req, res, url) => {
    if (url.pathname === '/-/healthy')
      return sendText(res, 200, 'Prometheus Server is Healthy.\n', 'text/plain');
    if (url.pathname !== '/api/v1/query') return sendText(res, 404, '404 page not found\n', 'text/plain');
    if (req.method !== 'GET' && req.method !== 'POST') return methodNotAllowed(res, ['GET', 'POST']);

    const params = new URLSearchParams(url.search);
    if (req.method === 'POST') {
      try {
        for (const [key, value] of new URLSearchParams(await readBody(req))) params.set(key, value);
      } catch (err) {
        if (!(err instanceof BodyTooLargeError)) throw err;
        return sendJson(res, 400, badData('request body too large'));
      }
    }
    const query = params.get('query') ?? '';
    if (query.trim() === '') {
      return sendJson(
        res,
        400,
        badData('invalid parameter "query": parse error: no expression found in input'),
      );
    }
    const result = evaluateQuery(query, source);
    if (result === null)
      return sendJson(res, 400, badData(`sandbox prometheus does not understand: ${query}`));
    const time = Date.now() / 1000;
    return sendJson(res, 200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: result.map((s) => ({ metric: s.metric, value: [time, formatSampleValue(s.value)] })),
      },
    });
  };
}
