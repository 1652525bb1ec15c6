/**
 * Who is on the hosts: the workers registered in Redis and what the bot makes of them. Declared in
 * the core because the use cases and every surface read it; `src/workers` keeps the registry.
 */

/** What a worker announces about itself with every heartbeat. Plain, secret-free data. */
export interface WorkerInfo {
  /** Unique per process start: tells a restarted worker from the one that died. */
  instance: string;
  /** WORKER_NAME (default the host name): how people, queues and the snapshot name it. */
  name: string;
  hostname: string;
  pid: number;
  /** Host roles it serves (`--role`). */
  roles: string[];
  /** It also runs the actions without `on:` (the bot with EXECUTORS=on, a worker without --role). */
  unplaced: boolean;
  process: 'bot' | 'worker';
  version: string;
  /** EXECUTOR_ALLOWED_PROGRAMS on that host. */
  allowedPrograms: string[];
  /** `runbookDigest` of each runbook it loaded, by kind. */
  runbooks: Record<string, string>;
  /** Fingerprint of its APPROVAL_SIGNING_KEY (never the key). */
  keyId: string;
  startedAt: string;
  /** How often it renews its registration; it counts as dead after three missed beats. */
  heartbeatMs: number;
}

/** A registry entry as the bot reads it: `live` and `ageMs` measured on Redis's clock. */
export interface WorkerView extends WorkerInfo {
  /** Redis time (epoch ms) of its last heartbeat. */
  seenAt: number;
  ageMs: number;
  live: boolean;
}

/** The workers, live ones first, and what is wrong: "no live worker for role project: start …". */
export interface FleetStatus {
  workers: WorkerView[];
  problems: string[];
}

/** Read side of the registry, for surfaces (`/incident workers`) and readiness. */
export interface WorkerFleet {
  status(): Promise<FleetStatus>;
}
