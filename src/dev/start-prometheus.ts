import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type DaemonOptions, httpReady, type RunningDaemon, startDaemon } from './start-daemon.js';

/** One scrape job: Prometheus's `scrape_configs[]` with static targets. */
export interface ScrapeJob {
  /** The `job` label, e.g. `generation-service` (the name the runbooks' rules use). */
  job: string;
  /** `host:port` of each target. */
  targets: string[];
  /** @defaultValue '/metrics' */
  metricsPath?: string;
}

/** `command` defaults to `prometheus` (Debian's /usr/bin/prometheus). */
export interface PrometheusOptions extends DaemonOptions {
  scrape?: ScrapeJob[];
  /** Rule files as YAML text (the output of `firebreak rules`, or a test's copy of it). */
  ruleFiles?: string[];
  /** Where firing alerts go: an Alertmanager's base URL, `http://127.0.0.1:9093`. */
  alertmanagerUrl?: string;
  /** Short by default: this Prometheus serves tests and the demo, where minutes are too long. @defaultValue '1s' */
  scrapeInterval?: string;
  /** How often rules are evaluated. @defaultValue '1s' */
  evaluationInterval?: string;
  /**
   * How soon a still-firing alert is sent to Alertmanager again (`--rules.alert.resend-delay`,
   * 1m in Prometheus). @defaultValue '1s'
   */
  resendDelay?: string;
}

export type RunningPrometheus = RunningDaemon;

export const PROMETHEUS_MISSING =
  'prometheus not found: run scripts/ensure-deps.sh (apt-get install prometheus)';

function alertingConfig(alertmanagerUrl: string) {
  const url = new URL(alertmanagerUrl);
  const pathPrefix = url.pathname.replace(/\/+$/, '');
  return {
    alertmanagers: [
      {
        scheme: url.protocol.replace(':', ''),
        ...(pathPrefix ? { path_prefix: pathPrefix } : {}),
        static_configs: [{ targets: [url.host] }],
      },
    ],
  };
}

/** prometheus.yml for the options; rule files are named relative to Prometheus's working directory. */
function prometheusConfig(options: PrometheusOptions, ruleFiles: string[]): Record<string, unknown> {
  const interval = options.scrapeInterval ?? '1s';
  return {
    global: {
      scrape_interval: interval,
      // Prometheus refuses a timeout longer than the interval; its default (10s) is.
      scrape_timeout: interval,
      evaluation_interval: options.evaluationInterval ?? '1s',
    },
    ...(ruleFiles.length > 0 ? { rule_files: ruleFiles } : {}),
    ...(options.alertmanagerUrl ? { alerting: alertingConfig(options.alertmanagerUrl) } : {}),
    scrape_configs: (options.scrape ?? []).map((job) => ({
      job_name: job.job,
      metrics_path: job.metricsPath ?? '/metrics',
      static_configs: [{ targets: job.targets }],
    })),
  };
}

/**
 * Starts the real Prometheus on 127.0.0.1 with a generated configuration and a private TSDB in a
 * temporary directory; resolves once `/-/ready` answers. `stop()` kills it and deletes the directory.
 */
export function startPrometheus(options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  return startDaemon({
    name: 'prometheus',
    command: options.command ?? 'prometheus',
    missing: PROMETHEUS_MISSING,
    ready: httpReady('/-/ready'),
    port: options.port,
    startTimeoutMs: options.startTimeoutMs,
    prepare(dir, port) {
      const ruleFiles = (options.ruleFiles ?? []).map((text, i) => {
        const name = `rules-${i + 1}.yml`;
        writeFileSync(join(dir, name), text);
        return name;
      });
      const configFile = join(dir, 'prometheus.yml');
      writeFileSync(configFile, stringify(prometheusConfig(options, ruleFiles)));
      return [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // generatorURL in alerts then points at this Prometheus, not at the machine's hostname.
        `--web.external-url=http://127.0.0.1:${port}`,
        `--rules.alert.resend-delay=${options.resendDelay ?? '1s'}`,
      ];
    },
  });
}
