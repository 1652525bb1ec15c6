// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCore, type Core } from '../../../src/app/build-core.js';
import { closeWorkers } from '../../../src/app/close-workers.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { type HostWorker, startHostWorker } from '../../../src/workers/start-host-worker.js';
import { capturedLog } from '../../support/captured-log.js';
import { deleteKeys } from '../../support/delete-keys.js';
import { seedIncident } from '../../support/seed-incident.js';

export const ALICE = 'U0ALICE001';

/**
 * A runbook over two host roles. `memory` and `errors` read the `gen` hosts (each its own /proc
 * root and log file), `proj-memory` the `proj` host; each action calls `${TARGET_URL}/<path>/${HOST_TAG}`,
 * so the target server sees which host ran it. `${HOST_TAG}` is set per worker.
 */
export function fleetRunbook(overrides: { title?: string } = {}): Runbook {
  return runbookSchema.parse({
    kind: 'fleet',
    title: overrides.title ?? 'Fleet incident',
    probes: [
      {
        id: 'ping',
        title: 'Ping',
        step: 1,
        check: { type: 'http', url: '${TARGET_URL}/ping' },
        timeout: '1s',
      },
      {
        id: 'memory',
        title: 'Memory',
        step: 2,
        on: 'gen',
        check: { type: 'host', metric: 'memory' },
        threshold: { warn: 80, critical: 90, unit: '%' },
        timeout: '1s',
      },
      {
        id: 'errors',
        title: 'Errors in the log',
        step: 2,
        on: 'gen',
        check: { type: 'logs', file: '${LOG_FILE}', patterns: ['ERROR'] },
        threshold: { critical: 5, unit: 'lines' },
        timeout: '1s',
      },
      {
        id: 'proj-memory',
        title: 'Project memory',
        step: 2,
        on: 'proj',
        check: { type: 'host', metric: 'memory' },
        timeout: '1s',
      },
    ],
    scenarios: [
      { id: 'exhaustion', number: 1, title: 'Exhaustion', detect: { probe: 'memory', op: '>', value: 85 } },
    ],
    groups: [{ id: 'P1', title: 'First' }],
    actions: [
      {
        id: 'plain',
        title: 'Plain',
        group: 'P1',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/plain' },
      },
      {
        id: 'gen-one',
        title: 'On one gen host',
        group: 'P1',
        on: 'gen',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/one/${HOST_TAG}' },
      },
      {
        id: 'gen-each',
        title: 'On every gen host',
        group: 'P1',
        on: { role: 'gen', each: true },
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/each/${HOST_TAG}' },
      },
      {
        id: 'gen-two',
        title: 'On one gen host, by two people',
        group: 'P1',
        on: 'gen',
        approvals: 2,
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/two/${HOST_TAG}' },
      },
      {
        id: 'proj-one',
        title: 'On the proj host',
        group: 'P1',
        on: 'proj',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/proj/${HOST_TAG}' },
      },
    ],
  });
}

export interface FleetWorker {
  name: string;
  core: Core;
  hands: HostWorker;
  logs(): string;
  /** A clean stop: finishes its jobs, leaves the registry. */
  stop(): Promise<void>;
  /**
   * What SIGKILL leaves behind, in process: the heartbeat, probe answers and job fetching stop at
   * once and nothing leaves the registry; the entry goes stale as a dead process's would.
   */
  vanish(): Promise<void>;
}

export interface Fleet {
  prefix: string;
  key: string;
  /** The bot's side: the core that decides, signs and watches (no executor of its own). */
  bot: Core;
  botLogs(): string;
  targetUrl: string;
  worker(
    name: string,
    roles: string[],
    options?: {
      memoryPercent?: number;
      errorLines?: number;
      runbook?: Runbook;
      key?: string;
      unplaced?: boolean;
    },
  ): Promise<FleetWorker>;
  seedIncident(): Promise<Incident>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * A bot core and any number of in-process host workers on the test run's Redis under one prefix of
 * their own. Each worker is a separate core (its own connections, runbooks, variables and /proc
 * root), started by the same `startHostWorker` as `npm run worker`.
 */
export async function createFleet(
  redisUrl: string,
  targetUrl: string,
  options: { heartbeatMs?: number } = {},
): Promise<Fleet> {
  const prefix = `tf${randomBytes(4).toString('hex')}`;
  const key = randomBytes(32).toString('hex');
  const dir = join(tmpdir(), `firebreak-${prefix}`);
  await mkdir(dir, { recursive: true });
  const runbook = fleetRunbook();
  const settings = (vars: Record<string, string>, approvalKey: string) => ({
    redisUrl,
    redisPrefix: prefix,
    approvers: [],
    runbookDir: 'unused: the runbooks are given',
    vars: { TARGET_URL: targetUrl, ...vars },
    secrets: [],
    allowedPrograms: new Set<string>(),
    procRoot: '/proc',
    approvalKey,
  });
  const botLog = capturedLog();
  const bot = await buildCore(settings({}, key), botLog.log, {
    runbooks: new Map([[runbook.kind, runbook]]),
  });
  const workers: FleetWorker[] = [];

  return {
    prefix,
    key,
    bot,
    botLogs: botLog.text,
    targetUrl,
    async worker(name, roles, opts = {}) {
      const root = join(dir, name);
      await mkdir(root, { recursive: true });
      const total = 1_000_000;
      const available = Math.round(total * (1 - (opts.memoryPercent ?? 50) / 100));
      await writeFile(join(root, 'meminfo'), `MemTotal: ${total} kB\nMemAvailable: ${available} kB\n`);
      const logFile = join(root, 'service.log');
      await writeFile(
        logFile,
        Array.from({ length: opts.errorLines ?? 0 }, (_, i) => `ERROR ${i}`).join('\n'),
      );
      const sink = capturedLog();
      const own = opts.runbook ?? runbook;
      const core = await buildCore(
        settings({ HOST_TAG: name, LOG_FILE: logFile }, opts.key ?? key),
        sink.log,
        {
          runbooks: new Map([[own.kind, own]]),
        },
      );
      const hands = await startHostWorker({
        ...core,
        name,
        roles,
        unplaced: opts.unplaced ?? false,
        process: 'worker',
        heartbeatMs: options.heartbeatMs ?? 200,
        probeContext: { procRoot: root },
      }).catch(async (err) => {
        await core.close();
        throw err;
      });
      let stopped = false;
      const worker: FleetWorker = {
        name,
        core,
        hands,
        logs: sink.text,
        async stop() {
          if (stopped) return;
          stopped = true;
          await closeWorkers(hands.workers, 2000, sink.log);
          await hands.close();
          await core.close();
        },
        async vanish() {
          if (stopped) return;
          stopped = true;
          // Disconnecting every connection first: no heartbeat, answer or job gets out after this.
          core.redis.disconnect();
          core.workerRedis.disconnect();
          await Promise.all(hands.workers.map((w) => w.close(true).catch(() => undefined)));
          await hands.close().catch(() => undefined);
          await core.close().catch(() => undefined);
        },
      };
      workers.push(worker);
      return worker;
    },
    async seedIncident() {
      counter += 1;
      return seedIncident(bot.deps.store, runbook, {
        id: `20261125-fleet-f${String(counter).padStart(3, '0')}`,
        kind: 'fleet',
        title: 'Fleet incident',
        openedBy: ALICE,
      });
    },
    async close() {
      for (const w of workers) await w.stop();
      await deleteKeys(bot.redis, prefix);
      await bot.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
