import type { HostLoad } from './host-model.js';

/**
 * What the simulated stack is suffering from: nothing, a traffic surge, or one of the 503 runbook's
 * four root causes (`upstream-outage` is scenario 3; the others carry their scenario's name).
 */
export const SANDBOX_MODES = [
  'healthy',
  'spike',
  'upstream-outage',
  'resource-exhaustion',
  'database-bottleneck',
  'network-saturation',
] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** What the stack shows right now: normal service, or the unmitigated fault of its mode. */
export type SandboxRegime = 'normal' | Exclude<SandboxMode, 'healthy'>;

/** How one regime looks from outside: traffic, the host's numbers, the log it writes. */
export interface FaultProfile {
  /** Requests per second the traffic ticker adds, by outcome. Runbook alert: 503 rate > 20/s. */
  traffic: { ok: number; unavailable: number };
  /** The runbook's danger lines: CPU 80 %, memory 85 %, 5000 connections, 20 database handles. */
  host: HostLoad;
  /** Lines the generation service logs, each at its rate per second. */
  log: readonly { text: string; perSecond: number }[];
  /** What an overloaded generation endpoint answers with its 503. */
  error: string;
}

const UPSTREAM_TIMEOUT = 'Service unavailable - upstream timeout';
const REQUEST_LOG = { text: 'INFO: POST /api/generation/generate 200', perSecond: 4 };

/**
 * Every regime. A plain spike is a surge that traffic control drains: it loads the host to the
 * runbook's warning band but past none of its danger lines, so no root-cause scenario fits it.
 */
export const FAULT_PROFILES: Readonly<Record<SandboxRegime, FaultProfile>> = {
  normal: {
    traffic: { ok: 50, unavailable: 0.1 },
    host: { cpu: 35, iowait: 1, memory: 48, disk: 12, established: 160, dbHandles: 2 },
    log: [REQUEST_LOG],
    error: UPSTREAM_TIMEOUT,
  },
  spike: {
    traffic: { ok: 10, unavailable: 40 },
    host: { cpu: 76, iowait: 2, memory: 82, disk: 35, established: 2400, dbHandles: 6 },
    log: [
      { text: `ERROR: ${UPSTREAM_TIMEOUT}`, perSecond: 8 },
      { text: 'INFO: Scaling up workers due to high load', perSecond: 0.5 },
    ],
    error: UPSTREAM_TIMEOUT,
  },
  'upstream-outage': {
    traffic: { ok: 20, unavailable: 25 },
    host: { cpu: 62, iowait: 1, memory: 71, disk: 15, established: 900, dbHandles: 2 },
    log: [{ text: `ERROR: ${UPSTREAM_TIMEOUT}`, perSecond: 6 }],
    error: 'upstream timeout',
  },
  'resource-exhaustion': {
    traffic: { ok: 15, unavailable: 30 },
    host: { cpu: 94, iowait: 3, memory: 91, disk: 55, established: 700, dbHandles: 4 },
    log: [
      { text: 'INFO: Scaling up workers due to high load', perSecond: 2 },
      { text: `ERROR: ${UPSTREAM_TIMEOUT}`, perSecond: 3 },
    ],
    error: UPSTREAM_TIMEOUT,
  },
  'database-bottleneck': {
    traffic: { ok: 20, unavailable: 25 },
    host: { cpu: 45, iowait: 18, memory: 60, disk: 80, established: 400, dbHandles: 48 },
    // SQLite's own message when a writer waits past its busy timeout.
    log: [{ text: 'ERROR: sqlite3.OperationalError: database is locked', perSecond: 6 }],
    error: 'database is locked',
  },
  'network-saturation': {
    traffic: { ok: 18, unavailable: 28 },
    host: { cpu: 58, iowait: 1, memory: 66, disk: 20, established: 6400, dbHandles: 3 },
    log: [{ text: 'ERROR: Connection pool exhausted', perSecond: 8 }],
    error: 'Connection pool exhausted',
  },
};
