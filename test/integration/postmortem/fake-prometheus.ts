import { type LocalServer, sendJson, startServer } from '../diagnostics/local-server.js';

/** A series over time: unix seconds → value. */
export type Series = (seconds: number) => number;

/**
 * Prometheus' HTTP API for scripted answers: `query_range` samples `range` on the requested grid;
 * `query` answers `instant(query, time)`. Every request is kept, to assert what was asked.
 */
export async function startFakePrometheus(options: {
  range: Series;
  instant: (query: string, seconds: number) => number;
}): Promise<LocalServer & { asked: URLSearchParams[] }> {
  const asked: URLSearchParams[] = [];
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://prometheus.invalid');
    const params = url.searchParams;
    asked.push(params);
    const query = params.get('query') ?? '';
    if (url.pathname === '/api/v1/query_range') {
      const start = Number(params.get('start'));
      const end = Number(params.get('end'));
      const step = Number.parseFloat(params.get('step') ?? '15');
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += step) values.push([t, String(options.range(t))]);
      return sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: {}, values }] },
      });
    }
    if (url.pathname === '/api/v1/query') {
      const time = Number(params.get('time') ?? Date.now() / 1000);
      const value = String(options.instant(query, time));
      return sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [time, value] }] },
      });
    }
    sendJson(res, 404, { status: 'error', errorType: 'not_found', error: url.pathname });
  });
  return Object.assign(server, { asked });
}
