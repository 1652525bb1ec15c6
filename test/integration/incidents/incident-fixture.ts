// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type ActionJob, createActionQueue } from '../../../src/executors/action-queue.js';
import type { ActionState } from '../../../src/incidents/action-state.js';
import { createApprovalPolicy } from '../../../src/incidents/approval-policy.js';
import type { DecisionRequest } from '../../../src/incidents/decide-action.js';
import type { Incident } from '../../../src/incidents/incident.js';
import type { IncidentDeps } from '../../../src/incidents/incident-deps.js';
import { createIncidentQueue, type OpenJob } from '../../../src/incidents/incident-queue.js';
import { RedisIncidentStore } from '../../../src/incidents/incident-store.js';
import type { ActionRunnerDeps } from '../../../src/incidents/run-approved-action.js';
import { createLogger } from '../../../src/logging/logger.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { createDeliveryQueue, type DeliveryJob } from '../../../src/timeline/delivery-queue.js';
import { createTimelineRecorder } from '../../../src/timeline/timeline-recorder.js';

export const ALICE = 'U0ALICE001';
export const BOB = 'U0BOB00002';
export const MALLORY = 'U0MALLORY1';
export const CHANNEL = 'C0INC00001';

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
  redis: Redis;
  store: RedisIncidentStore;
  deps: IncidentDeps;
  runner: ActionRunnerDeps;
  actionQueue: Queue<ActionJob>;
  incidentQueue: Queue<OpenJob>;
  deliveryQueue: Queue<DeliveryJob>;
  logs(): string;
  /** An incident in `investigating`, in channel CHANNEL, with every runbook action offered. */
  seedIncident(overrides?: Partial<Incident>): Promise<Incident>;
  request(incidentId: string, actionId: string, overrides?: Partial<DecisionRequest>): DecisionRequest;
  close(): Promise<void>;
}

let counter = 0;

/**
 * The incident core wired to the test run's real Redis under a prefix of its own (keys and BullMQ
 * queues), so test files and tests never see each other's data.
 */
export async function createFixture(
  redisUrl: string,
  options: { approvers?: string[]; vars?: Record<string, string> } = {},
): Promise<Fixture> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const store = new RedisIncidentStore(redis, `${prefix}:`);
  const actionQueue = createActionQueue(redis, prefix);
  const incidentQueue = createIncidentQueue(redis, prefix);
  const deliveryQueue = createDeliveryQueue(redis, prefix);
  let logText = '';
  const log = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, done) {
        logText += chunk.toString();
        done();
      },
    }),
  );
  const timeline = createTimelineRecorder(store, deliveryQueue, log);
  const runbook = testRunbook();
  const runbooks = new Map([[runbook.kind, runbook]]);
  const vars = options.vars ?? {};
  const deps: IncidentDeps = {
    store,
    runbooks,
    timeline,
    actionQueue,
    incidentQueue,
    policy: createApprovalPolicy(options.approvers ?? []),
    log,
    now: () => new Date(),
    vars,
    allowedPrograms: new Set(),
  };
  const runner: ActionRunnerDeps = {
    store,
    runbooks,
    timeline,
    log,
    now: () => new Date(),
    vars,
    secrets: [],
    allowedPrograms: new Set(),
  };
  return {
    prefix,
    redis,
    store,
    deps,
    runner,
    actionQueue,
    incidentQueue,
    deliveryQueue,
    logs: () => logText,
    async seedIncident(overrides = {}) {
      counter += 1;
      const incident: Incident = {
        id: `20261125-test-s${String(counter).padStart(3, '0')}`,
        kind: 'test',
        title: 'Test incident',
        summary: '',
        severity: 'major',
        status: 'investigating',
        openedBy: ALICE,
        openedAt: new Date().toISOString(),
        origin: { channelId: 'C0GENERAL1' },
        channel: { id: CHANNEL, name: 'inc-20261125-test-s001' },
        headerTs: '1764036000.000100',
        progress: { invited: true, announced: true, diagnosed: true, offered: true },
        ...overrides,
      };
      if (!(await store.create(incident))) throw new Error(`incident ${incident.id} exists`);
      if (incident.channel) await store.patch(incident.id, { channel: incident.channel });
      const states: ActionState[] = runbook.actions.map((a) => ({
        actionId: a.id,
        groupId: a.group,
        status: 'offered',
      }));
      await store.offerActions(incident.id, states);
      return incident;
    },
    request(incidentId, actionId, overrides = {}) {
      return { incidentId, actionId, userId: ALICE, channelId: CHANNEL, seenAttempts: 0, ...overrides };
    },
    async close() {
      await Promise.all([actionQueue.close(), incidentQueue.close(), deliveryQueue.close()]);
      // Our keys only (never FLUSHDB: other files share this server).
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

/** Every job in a queue, whatever its state. */
export async function allJobs<T>(queue: Queue<T>) {
  return queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
}
