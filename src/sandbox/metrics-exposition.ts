import type { Simulation } from './simulation.js';

/** The content type Prometheus expects for the text exposition format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders the generation service's `/metrics` in the Prometheus text exposition format. */
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
    '',
  ].join('\n');
}
