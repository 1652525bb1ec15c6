import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { PROMETHEUS_RULES_PATH, type PrometheusRuleFile } from '../../../src/alerts/prometheus-rules.js';

/**
 * The shipped rules (prometheus/alerts.yml) with test timings: `for:` of 500ms instead of minutes,
 * range windows of 3s instead of 5m (six samples at a 500ms scrape, so a heal shows within seconds)
 * and a 500ms evaluation interval. Thresholds, labels and annotations stay as shipped: what fires
 * here is what fires in production. (Most of the time to the first notification is Prometheus's own
 * target discovery, which hands the first targets over after 5 s and has no setting.)
 */
export async function shippedRulesWithTestTimings(): Promise<string> {
  const rules = parse(await readFile(PROMETHEUS_RULES_PATH, 'utf8')) as PrometheusRuleFile;
  return stringify({
    groups: rules.groups.map((group) => ({
      ...group,
      interval: '500ms',
      rules: group.rules.map((rule) => ({
        ...rule,
        expr: rule.expr.replace(/\[\d+[mh]\]/g, '[3s]'),
        ...(rule.for ? { for: '500ms' } : {}),
      })),
    })),
  });
}

/** The shipped alertmanager.yml, for `startAlertmanager` to point at a test receiver. */
export async function shippedAlertmanagerConfig(): Promise<Record<string, unknown>> {
  return parse(await readFile('prometheus/alertmanager.yml', 'utf8')) as Record<string, unknown>;
}

/** Alertmanager's timings for tests: a group is sent within half a second, changes as fast. */
export const TEST_ALERTMANAGER_TIMING = { groupWait: '500ms', groupInterval: '500ms', repeatInterval: '1m' };
