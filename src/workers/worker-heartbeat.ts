import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ApprovalSigner } from '../incidents/approval-signature.js';
import type { WorkerInfo } from '../incidents/worker-fleet.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import { runbookDigest } from '../runbooks/runbook-digest.js';
import { MISSED_BEATS, type WorkerRegistry } from './worker-registry.js';

/** Firebreak's version, from package.json (two levels up from both src/workers and dist/workers). */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return String(JSON.parse(text).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/** What this process announces; `instance` is new at every start. */
export function describeWorker(options: {
  name: string;
  roles: readonly string[];
  unplaced: boolean;
  process: WorkerInfo['process'];
  allowedPrograms: ReadonlySet<string>;
  runbooks: RunbookCatalog;
  signer: ApprovalSigner;
  heartbeatMs: number;
}): WorkerInfo {
  return {
    instance: randomBytes(6).toString('hex'),
    name: options.name,
    hostname: hostname(),
    pid: process.pid,
    roles: [...options.roles].sort(),
    unplaced: options.unplaced,
    process: options.process,
    version: packageVersion(),
    allowedPrograms: [...options.allowedPrograms].sort(),
    runbooks: Object.fromEntries([...options.runbooks].map(([kind, rb]) => [kind, runbookDigest(rb)])),
    keyId: options.signer.keyId,
    startedAt: new Date().toISOString(),
    heartbeatMs: options.heartbeatMs,
  };
}

export interface Heartbeat {
  /** True while the last beat reached Redis within the liveness window (the worker's /readyz). */
  healthy(): boolean;
  /** Stops beating and leaves the registry; bounded, since Redis may be gone. */
  stop(): Promise<void>;
}

/**
 * Registers `info` now and renews it every `heartbeatMs`. A failed beat is logged once per outage,
 * not once per beat; the next one that succeeds re-registers, so a worker the bot forgot comes back.
 */
export async function startHeartbeat(
  registry: WorkerRegistry,
  info: WorkerInfo,
  log: Logger,
): Promise<Heartbeat> {
  let lastOk = Date.now();
  let failing = false;
  const beat = async () => {
    try {
      await registry.beat(info);
      lastOk = Date.now();
      if (failing) log.info('worker registration renewed');
      failing = false;
    } catch (err) {
      if (!failing)
        log.warn({ err: { message: (err as Error).message } }, 'worker heartbeat failed; retrying');
      failing = true;
    }
  };
  await registry.beat(info);
  const timer = setInterval(() => void beat(), info.heartbeatMs);
  timer.unref();
  return {
    healthy: () => Date.now() - lastOk <= info.heartbeatMs * MISSED_BEATS,
    async stop() {
      clearInterval(timer);
      await within(
        registry.leave(info.instance).catch(() => undefined),
        300,
      );
    },
  };
}
