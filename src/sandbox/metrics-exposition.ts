import { type NodeSeries, nodeSeries } from './node-metrics.js';
import type { Simulation } from './simulation.js';

/** The content type Prometheus expects for the text exposition format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const labelText = (labels: Record<string, string>) => {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${value}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
};

/** Each metric's HELP and TYPE once, then its samples; CPU seconds with node_exporter's two decimals. */
function renderNode(series: NodeSeries[]): string[] {
  const lines: string[] = [];
  let previous = '';
  for (const s of series) {
    if (s.name !== previous) lines.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
    previous = s.name;
    const value = s.type === 'counter' ? s.value.toFixed(2) : String(s.value);
    lines.push(`${s.name}${labelText(s.labels)} ${value}`);
  }
  return lines;
}

/**
 * Renders the generation service's `/metrics` in the Prometheus text exposition format: its own
 * metrics, then the host's node_exporter metrics, as if node_exporter's were scraped on this target.
 */
export function renderMetrics(sim: Simulation): string {
  const load = sim.load();
  return [
    '# HELP http_requests_total HTTP requests handled by the generation service, by status.',
    '# TYPE http_requests_total counter',
    `http_requests_total{status="200"} ${sim.counter('200')}`,
    `http_requests_total{status="503"} ${sim.counter('503')}`,
    '# HELP process_cpu_percent CPU used by the generation service, in percent.',
    '# TYPE process_cpu_percent gauge',
    `process_cpu_percent ${load.cpu}`,
    '# HELP process_memory_percent Memory used by the generation service, in percent.',
    '# TYPE process_memory_percent gauge',
    `process_memory_percent ${load.memory}`,
    '# HELP generation_workers Worker processes the generation service runs.',
    '# TYPE generation_workers gauge',
    `generation_workers ${load.workers}`,
    ...renderNode(nodeSeries(sim.host())),
    '',
  ].join('\n');
}
