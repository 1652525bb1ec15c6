import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { promqlMetricNames } from '../../support/promql-metric-names.js';

const DASHBOARD = resolve(import.meta.dirname, '../../../deploy/grafana/firebreak-dashboard.json');

interface Panel {
  title?: string;
  type?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every series name the code registers: histograms as their `_bucket`, `_sum` and `_count`. */
async function registeredSeries(): Promise<Map<string, string>> {
  const metrics = createMetrics();
  const series = new Map<string, string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    const type = String(metric.type);
    const names =
      type === 'histogram'
        ? ['_bucket', '_sum', '_count'].map((s) => metric.name + s)
        : type === 'summary'
          ? [metric.name, `${metric.name}_sum`, `${metric.name}_count`]
          : [metric.name];
    for (const name of names) series.set(name, type);
  }
  return series;
}

function panelsOf(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
}

/** `label_values(metric{…}, label)`: the metric a template variable lists values of. */
function templateMetric(query: string): string | undefined {
  return /label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(query)?.[1];
}

describe('promqlMetricNames', () => {
  it('finds the metrics of an expression, not its functions, labels, ranges, groupings or variables', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (le, queue) (rate(a_seconds_bucket{job=~"$job", le="3"}[$__rate_interval])))',
      ),
    ).toEqual(['a_seconds_bucket']);
    expect(promqlMetricNames('1 - sum(rate(x_total[5m])) / sum(rate(y_count[5m])) * 1e3')).toEqual([
      'x_total',
      'y_count',
    ]);
    expect(promqlMetricNames('time() - process_start_time_seconds{instance=~"$instance"}')).toEqual([
      'process_start_time_seconds',
    ]);
    expect(promqlMetricNames('count by (version) (nodejs_version_info) or on (job) up')).toEqual([
      'nodejs_version_info',
      'up',
    ]);
  });
});

describe('deploy/grafana/firebreak-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Panel[];
    templating: { list: { name: string; query?: unknown }[] };
  };
  const panels = panelsOf(dashboard.panels).filter((p) => p.type !== 'row');

  it('queries only metrics the code registers', async () => {
    const series = await registeredSeries();
    const unknown = panels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((t) =>
        promqlMetricNames(t.expr ?? '')
          .filter((name) => !series.has(name))
          .map((name) => `${panel.title}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
    const variables = dashboard.templating.list.flatMap((v) => {
      const query =
        typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
      const metric = query ? templateMetric(query) : undefined;
      return metric && !series.has(metric) ? [`$${v.name}: ${metric}`] : [];
    });
    expect(variables).toEqual([]);
  });

  it('has a query in every panel, and puts histogram_quantile over buckets of histograms only', async () => {
    const series = await registeredSeries();
    for (const panel of panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const { expr = '' } of panel.targets ?? []) {
        if (!expr.includes('histogram_quantile')) continue;
        const names = promqlMetricNames(expr);
        expect(
          names.every((n) => n.endsWith('_bucket') && series.get(n) === 'histogram'),
          `${panel.title}: ${expr}`,
        ).toBe(true);
      }
    }
  });

  it("shows Firebreak's own metrics and the standard Node.js ones", async () => {
    const used = new Set(
      panels.flatMap((p) => (p.targets ?? []).flatMap((t) => promqlMetricNames(t.expr ?? ''))),
    );
    const firebreak = [...(await registeredSeries()).keys()].filter((n) => n.startsWith('firebreak_'));
    const families = new Set(firebreak.map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    const shown = [...families].filter((f) => [...used].some((u) => u === f || u.startsWith(`${f}_`)));
    expect(shown.sort()).toEqual([...families].sort());
    for (const node of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(used).toContain(node);
    }
  });
});
