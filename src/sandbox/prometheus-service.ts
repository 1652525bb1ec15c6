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

/**
 * What queries see, now or at `atMs` (`time=`, each step of a `query_range`): the request counters
 * have a history; the host's series and the gauges are always the present's.
 */
function sourceFor(options: PrometheusServiceOptions, atMs?: number): PromSource {
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
        value: () => (atMs === undefined ? sim.counter(status) : Math.floor(sim.counterAt(status, atMs))),
        rate: (windowMs: number) =>
          atMs === undefined ? sim.rate(status, windowMs) : sim.rateAt(status, windowMs, atMs),
        increase: (windowMs: number) => {
          const at = atMs ?? sim.now();
          return sim.counterAt(status, at) - sim.counterAt(status, at - windowMs);
        },
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
    const range = url.pathname === '/api/v1/query_range';
    if (url.pathname !== '/api/v1/query' && !range) {
      return sendText(res, 404, '404 page not found\n', 'text/plain');
    }
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
    if (range) return answerRange(res, options, query, params);
    const time = params.get('time');
    const atMs = time === null ? undefined : Number(time) * 1000;
    if (atMs !== undefined && !Number.isFinite(atMs)) {
      return sendJson(
        res,
        400,
        badData(`invalid parameter "time": cannot parse "${time}" to a valid timestamp`),
      );
    }
    const result = evaluateQuery(query, atMs === undefined ? source : sourceFor(options, atMs));
    if (result === null)
      return sendJson(res, 400, badData(`sandbox prometheus does not understand: ${query}`));
    const evaluatedAt = atMs === undefined ? Date.now() / 1000 : atMs / 1000;
    return sendJson(res, 200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: result.map((s) => ({ metric: s.metric, value: [evaluatedAt, formatSampleValue(s.value)] })),
      },
    });
  };
}

/** Prometheus refuses ranges of more points than this; so does the stand-in. */
const MAX_POINTS = 11_000;

/** `step` as Prometheus takes it: seconds (`15`, `0.5`) or a duration (`15s`, `1m`). */
function parseStep(text: string | null): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text ?? '');
  if (!match) return undefined;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/** `/api/v1/query_range`: the query evaluated at every step from `start` to `end`, as a matrix. */
function answerRange(
  res: Parameters<RequestHandler>[1],
  options: PrometheusServiceOptions,
  query: string,
  params: URLSearchParams,
): void {
  const start = Number(params.get('start'));
  const end = Number(params.get('end'));
  const step = parseStep(params.get('step'));
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    sendJson(res, 400, badData('invalid parameters "start"/"end": two unix times, end not before start'));
    return;
  }
  if (step === undefined || !(step > 0)) {
    sendJson(res, 400, badData('invalid parameter "step": a positive number of seconds or a duration'));
    return;
  }
  if ((end - start) / step > MAX_POINTS) {
    sendJson(res, 400, badData('exceeded maximum resolution of 11,000 points per timeseries'));
    return;
  }
  const series = new Map<string, { metric: Record<string, string>; values: [number, string][] }>();
  for (let t = start; t <= end; t += step) {
    const samples = evaluateQuery(query, sourceFor(options, t * 1000));
    if (samples === null) {
      sendJson(res, 400, badData(`sandbox prometheus does not understand: ${query}`));
      return;
    }
    for (const sample of samples) {
      const key = JSON.stringify(sample.metric);
      const entry = series.get(key) ?? { metric: sample.metric, values: [] };
      entry.values.push([t, formatSampleValue(sample.value)]);
      series.set(key, entry);
    }
  }
  sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [...series.values()] } });
}
