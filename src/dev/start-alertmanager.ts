import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type DaemonOptions, httpReady, type RunningDaemon, startDaemon } from './start-daemon.js';

/** Alertmanager's route timings; `1s`, `5m`, `4h`. */
export interface AlertmanagerTiming {
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

/** `command` defaults to `prometheus-alertmanager`, Debian's name for the alertmanager binary. */
export interface AlertmanagerOptions extends DaemonOptions {
  /** Where every webhook receiver of the configuration sends: a test's receiver, or Firebreak. */
  webhookUrl: string;
  /**
   * Sent as `Authorization: Bearer <token>`. Written to a file in the private directory that each
   * webhook's `http_config.authorization.credentials_file` names, as in prometheus/alertmanager.yml;
   * without it the webhooks send no Authorization header.
   */
  bearerToken?: string;
  /**
   * The configuration to start from, e.g. prometheus/alertmanager.yml parsed: its routes and
   * receivers are kept, webhook URLs and credentials replaced. @defaultValue one route to one webhook
   * receiver `firebreak`, grouped by alertname
   */
  config?: Record<string, unknown>;
  /** Replaces the root route's timings: tests want seconds. @defaultValue 1s / 1s / 1m */
  timing?: Partial<AlertmanagerTiming>;
}

export type RunningAlertmanager = RunningDaemon;

export const ALERTMANAGER_MISSING =
  'prometheus-alertmanager not found: run scripts/ensure-deps.sh (apt-get install prometheus-alertmanager)';

const DEFAULT_CONFIG = {
  route: { receiver: 'firebreak', group_by: ['alertname'] },
  receivers: [{ name: 'firebreak', webhook_configs: [{ url: 'http://127.0.0.1/', send_resolved: true }] }],
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The configuration to write: webhooks re-pointed, credentials replaced, root route timings set. */
function alertmanagerConfig(options: AlertmanagerOptions, tokenFile: string | undefined): Json {
  const config = structuredClone(options.config ?? DEFAULT_CONFIG) as Json;
  const timing = { groupWait: '1s', groupInterval: '1s', repeatInterval: '1m', ...options.timing };
  const route = isObject(config.route) ? config.route : {};
  config.route = {
    ...route,
    group_wait: timing.groupWait,
    group_interval: timing.groupInterval,
    repeat_interval: timing.repeatInterval,
  };
  const receivers = Array.isArray(config.receivers) ? config.receivers : [];
  for (const receiver of receivers.filter(isObject)) {
    const webhooks = Array.isArray(receiver.webhook_configs) ? receiver.webhook_configs : [];
    for (const webhook of webhooks.filter(isObject)) {
      webhook.url = options.webhookUrl;
      const http = isObject(webhook.http_config) ? webhook.http_config : {};
      // Never the system's token file: this Alertmanager's own, or none at all.
      delete http.authorization;
      if (tokenFile) http.authorization = { type: 'Bearer', credentials_file: tokenFile };
      webhook.http_config = http;
    }
  }
  return config;
}

/**
 * Starts the real Alertmanager on 127.0.0.1 with a generated configuration and private storage in
 * a temporary directory, clustering off (its gossip listener would bind 0.0.0.0:9094); resolves once
 * `/-/ready` answers. `stop()` kills it and deletes the directory.
 */
export function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  return startDaemon({
    name: 'alertmanager',
    command: options.command ?? 'prometheus-alertmanager',
    missing: ALERTMANAGER_MISSING,
    ready: httpReady('/-/ready'),
    port: options.port,
    startTimeoutMs: options.startTimeoutMs,
    prepare(dir, port) {
      let tokenFile: string | undefined;
      if (options.bearerToken !== undefined) {
        tokenFile = join(dir, 'webhook-token');
        writeFileSync(tokenFile, options.bearerToken, { mode: 0o600 });
      }
      const configFile = join(dir, 'alertmanager.yml');
      writeFileSync(configFile, stringify(alertmanagerConfig(options, tokenFile)));
      return [
        `--config.file=${configFile}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // The payload's externalURL then points at this Alertmanager, not at the machine's hostname.
        `--web.external-url=http://127.0.0.1:${port}`,
        // An empty address turns clustering (and its gossip port) off.
        '--cluster.listen-address=',
      ];
    },
  });
}
