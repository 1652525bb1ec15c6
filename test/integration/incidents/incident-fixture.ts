// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { buildCore, type Core, type CoreOptions, type CoreSettings } from '../../../src/app/build-core.js';
import type { RedisConnection } from '../../../src/app/connect-redis.js';
import type { ActionJob } from '../../../src/incidents/action-queue.js';
import type { DecisionRequest } from '../../../src/incidents/decide-action.js';
import type { Incident } from '../../../src/incidents/incident.js';
import type { IncidentDeps } from '../../../src/incidents/incident-deps.js';
import type { OpenJob } from '../../../src/incidents/incident-queue.js';
import type { IncidentStore } from '../../../src/incidents/incident-store.js';
import type { ActionRunnerDeps } from '../../../src/incidents/run-approved-action.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import type { Actor } from '../../../src/timeline/actor.js';
import type { DeliveryJob } from '../../../src/timeline/delivery-queue.js';
import { capturedLog } from '../../support/captured-log.js';
import { deleteKeys } from '../../support/delete-keys.js';
import { seedIncident } from '../../support/seed-incident.js';

export const ALICE = 'U0ALICE001';
export const BOB = 'U0BOB00002';
export const MALLORY = 'U0MALLORY1';
export const CHANNEL = 'C0INC00001';

/** A Slack user as the core sees them. */
export const slackUser = (id: string): Actor => ({ id, via: 'slack' });

/**
 * A small runbook whose actions call `${TARGET_URL}`: a local server each test starts and counts.
 * `hang` has a short timeout, for a target that never answers.
 */
export function testRunbook(): Runbook {
  return runbookSchema.parse({
    kind: 'test',
    title: 'Test incident',
    severity: 'major',
    probes: [{ id: 'ping', title: 'Ping', step: 1, check: { type: 'http', url: '${TARGET_URL}/ping' } }],
    groups: [
      { id: 'P1', title: 'First' },
      { id: 'P2', title: 'Second' },
    ],
    actions: [
      {
        id: 'act',
        title: 'Act',
        group: 'P1',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/act' },
      },
      {
        id: 'flaky',
        title: 'Flaky',
        group: 'P1',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/flaky' },
      },
      {
        id: 'hang',
        title: 'Hang',
        group: 'P2',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/hang', timeout: '300ms' },
      },
    ],
  });
}

export interface Fixture {
  prefix: string;
  redis: RedisConnection;
  store: IncidentStore;
  core: Core;
  deps: IncidentDeps;
  runner: ActionRunnerDeps;
  actionQueue: Queue<ActionJob>;
  incidentQueue: Queue<OpenJob>;
  deliveryQueue: Queue<DeliveryJob>;
  logs(): string;
  /** An incident in `investigating`, with every runbook action offered. */
  seedIncident(overrides?: Partial<Incident>): Promise<Incident>;
  /** A decision by ALICE in Slack on an action never decided before, unless overridden. */
  request(incidentId: string, actionId: string, overrides?: Partial<DecisionRequest>): DecisionRequest;
  /** Deletes this prefix's keys, then closes; `keepData` closes only (a restart follows). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

let counter = 0;

/**
 * The incident core, wired by the same factory as the bot and the worker ({@link buildCore}), on the
 * test run's real Redis under a prefix of its own (keys and BullMQ queues), with the test runbook and
 * every log line kept, so test files and tests never see each other's data.
 */
export async function createFixture(
  redisUrl: string,
  options: {
    approvers?: string[];
    vars?: Record<string, string>;
    /** The runbook of kind `test` (or another kind: seed incidents then say `kind`). @defaultValue testRunbook() */
    runbook?: Runbook;
    /** The whole catalog instead, for tests of several runbooks. @defaultValue [runbook] */
    runbooks?: Runbook[];
    /** Share a prefix with an earlier fixture: a restart of the core on the same Redis. */
    prefix?: string;
    /** The core's clock; tests of schedules move it. @defaultValue the wall clock */
    now?: () => Date;
    settings?: Partial<CoreSettings>;
    recheck?: CoreOptions['recheck'];
  } = {},
): Promise<Fixture> {
  const prefix = options.prefix ?? `t${randomBytes(4).toString('hex')}`;
  const { log, text: logText } = capturedLog('debug');
  const runbook = options.runbook ?? testRunbook();
  const core = await buildCore(
    {
      redisUrl,
      redisPrefix: prefix,
      approvers: options.approvers ?? [],
      runbookDir: 'unused: the runbooks are given',
      vars: options.vars ?? {},
      secrets: [],
      allowedPrograms: new Set(),
      procRoot: '/proc',
      ...options.settings,
    },
    log,
    {
      runbooks: new Map((options.runbooks ?? [runbook]).map((r) => [r.kind, r])),
      ...(options.now ? { now: options.now } : {}),
      ...(options.recheck ? { recheck: options.recheck } : {}),
    },
  );
  const { deps, redis } = core;
  return {
    prefix,
    redis,
    store: deps.store,
    core,
    deps,
    runner: core.runner,
    actionQueue: core.queues.actions,
    incidentQueue: core.queues.incidents,
    deliveryQueue: core.queues.deliveries,
    logs: logText,
    async seedIncident(overrides = {}) {
      counter += 1;
      const kind = overrides.kind ?? runbook.kind;
      return seedIncident(deps.store, core.deps.runbooks.get(kind) ?? runbook, {
        id: `20261125-${runbook.kind}-s${String(counter).padStart(3, '0')}`,
        kind: runbook.kind,
        title: 'Test incident',
        openedBy: ALICE,
        ...overrides,
      });
    },
    request(incidentId, actionId, overrides = {}) {
      return { incidentId, actionId, actor: slackUser(ALICE), seenAttempts: 0, ...overrides };
    },
    async close(options: { keepData?: boolean } = {}) {
      if (options.keepData) {
        await core.close();
        return;
      }
      await deleteKeys(redis, prefix);
      await core.close();
    },
  };
}

/** Every job in a queue, whatever its state. */
export async function allJobs<T>(queue: Queue<T>) {
  return queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
}
