/** What a person would curl during the incident: the generation API's health and Prometheus's 503 rate. */
export interface SandboxVitals {
  health: { status: number; ms: number; body: string };
  /** `sum(rate(http_requests_total{status="503"}[5m]))` in requests/s; undefined when Prometheus gave none. */
  rate503: number | undefined;
}

/** The runbook's alert query (HTTP503ErrorSpike fires above 20 req/s). */
export const RATE_503_QUERY = 'sum(rate(http_requests_total{status="503"}[5m]))';

async function timedGet(url: string): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  return { status: response.status, ms: Math.round(performance.now() - started), body };
}

async function queryScalar(prometheusUrl: string, query: string): Promise<number | undefined> {
  const { status, body } = await timedGet(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  if (status !== 200) return undefined;
  const parsed = JSON.parse(body) as { data?: { result?: { value?: [number, string] }[] } };
  const value = parsed.data?.result?.[0]?.value?.[1];
  return value === undefined ? undefined : Number(value);
}

/** Reads both at once, so the health request's overload delay does not skew the rate's time. */
export async function readSandboxVitals(urls: {
  generation: string;
  prometheus: string;
}): Promise<SandboxVitals> {
  const [health, rate503] = await Promise.all([
    timedGet(`${urls.generation}/api/generation/health`),
    queryScalar(urls.prometheus, RATE_503_QUERY),
  ]);
  return { health, rate503 };
}

/** `40.0 req/s`, or `n/a`. */
export function formatRate(rate: number | undefined): string {
  return rate === undefined || Number.isNaN(rate) ? 'n/a' : `${rate.toFixed(1)} req/s`;
}

/** `503 in 2.5 s` / `200 in 3 ms`. */
export function formatHealth(health: SandboxVitals['health']): string {
  const time = health.ms >= 1000 ? `${(health.ms / 1000).toFixed(1)} s` : `${health.ms} ms`;
  return `HTTP ${health.status} in ${time}`;
}
