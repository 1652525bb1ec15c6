import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { alertGroupId, summarizeDelivery } from '../../../src/alerts/alert-delivery.js';
import { AlertLedger } from '../../../src/alerts/alert-ledger.js';
import { ALERT_QUEUE, type AlertJob, createAlertQueue } from '../../../src/alerts/alert-queue.js';
import type { AlertmanagerPayload } from '../../../src/alerts/alertmanager-payload.js';
import {
  type AlertGroupDeps,
  type GroupResult,
  handleAlertGroup,
} from '../../../src/alerts/handle-alert-group.js';
import { buildCore, type Core } from '../../../src/app/build-core.js';
import type { Incident } from '../../../src/incidents/incident.js';
import type { IncidentStore } from '../../../src/incidents/incident-store.js';
import { loadRunbooks, type RunbookCatalog } from '../../../src/runbooks/load-runbooks.js';
import type { TimelineEntry } from '../../../src/timeline/timeline-entry.js';
import { capturedLog } from '../../support/captured-log.js';
import { deleteKeys } from '../../support/delete-keys.js';

export interface AlertFixture {
  prefix: string;
  /** Replica 0's core; every replica shares the prefix (and so the incidents) over its own connections. */
  core: Core;
  store: IncidentStore;
  /** One per replica: its own core (Redis connections), ledger and handler deps. */
  replicas: Array<{ core: Core; ledger: AlertLedger; deps: AlertGroupDeps }>;
  /** The alert queue, as the route fills it (nothing consumes it here). */
  queue: Queue<AlertJob>;
  logs(): string;
  /** Keeps a payload as its group's latest delivery, as the route does; returns the group id. */
  deliver(payload: AlertmanagerPayload, receivedAt?: Date): Promise<string>;
  /** Runs the alert worker's work for a group on a replica, as one job would. */
  handle(groupId: string, options?: { replica?: number; owner?: string }): Promise<GroupResult>;
  incidents(): Promise<Incident[]>;
  /** The value of a counter of replica 0 with `outcome` (0 when never moved). */
  counted(metric: string, outcome: string): Promise<number>;
  /** The alert entries of an incident's timeline (`alert.*`). */
  alertEntries(incidentId: string): Promise<TimelineEntry[]>;
  close(): Promise<void>;
}

let jobs = 0;

/**
 * The incident core and the alert surface's handling on the test run's real Redis, under a prefix of
 * its own, as `replicas` bot processes would run them (each with its own connections); the shipped
 * runbooks unless told otherwise. No Slack, no workers: tests drive the handling themselves.
 */
export async function createAlertFixture(
  redisUrl: string,
  options: { runbooks?: RunbookCatalog; replicas?: number; repeatWindowMs?: number } = {},
): Promise<AlertFixture> {
  const prefix = `ta${randomBytes(4).toString('hex')}`;
  const runbooks = options.runbooks ?? (await loadRunbooks('commands'));
  const { log, text } = capturedLog();
  const settings = {
    redisUrl,
    redisPrefix: prefix,
    approvers: [],
    runbookDir: 'unused: the runbooks are given',
    vars: {},
    secrets: [],
    allowedPrograms: new Set<string>(),
    procRoot: '/proc',
  };
  const replicas = await Promise.all(
    Array.from({ length: options.replicas ?? 1 }, async () => {
      const core = await buildCore(settings, log, { runbooks });
      const ledger = new AlertLedger(core.redis, `${prefix}:`);
      const deps: AlertGroupDeps = {
        core: core.deps,
        ledger,
        metrics: core.metrics,
        log,
        ...(options.repeatWindowMs !== undefined ? { repeatWindowMs: options.repeatWindowMs } : {}),
      };
      return { core, ledger, deps };
    }),
  );
  const first = replicas[0];
  if (!first) throw new Error('at least one replica');
  const queue = createAlertQueue(first.core.redis, first.core.queuePrefix(ALERT_QUEUE));
  return {
    prefix,
    core: first.core,
    store: first.core.deps.store,
    replicas,
    queue,
    logs: text,
    async deliver(payload, receivedAt = new Date()) {
      const delivery = summarizeDelivery(payload, receivedAt);
      const groupId = alertGroupId(delivery.groupKey);
      await first.ledger.saveLatest(groupId, delivery);
      return groupId;
    },
    handle(groupId, { replica = 0, owner } = {}) {
      const chosen = replicas[replica % replicas.length] ?? first;
      jobs += 1;
      return handleAlertGroup(chosen.deps, groupId, owner ?? `test-${jobs}`);
    },
    async incidents() {
      return first.core.deps.store.listRecent(1000);
    },
    async counted(metric, outcome) {
      const values = (await first.core.metrics.registry.getSingleMetric(metric)?.get())?.values ?? [];
      return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    },
    async alertEntries(incidentId) {
      const timeline = await first.core.deps.store.readTimeline(incidentId);
      return timeline.filter((e) => e.type.startsWith('alert.'));
    },
    async close() {
      await queue.close();
      await deleteKeys(first.core.redis, prefix);
      await Promise.all(replicas.map((r) => r.core.close()));
    },
  };
}
