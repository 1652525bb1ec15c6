import type { Queue } from 'bullmq';
import type { RemoteProbes } from '../diagnostics/run-diagnosis.js';
import type { Logger } from '../logging/logger.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { TimelineRecorder } from '../timeline/timeline-recorder.js';
import type { ActionJob, ActionQueues } from './action-queue.js';
import type { ApprovalPolicy } from './approval-policy.js';
import type { ApprovalSigner } from './approval-signature.js';
import type { DeadlineJob } from './deadlines/deadline-queue.js';
import type { OpenJob } from './incident-queue.js';
import type { IncidentStore } from './incident-store.js';
import type { ResolveGate } from './resolve-gate.js';
import type { TargetLocks } from './target-locks.js';
import type { WorkerFleet } from './worker-fleet.js';

/**
 * What the incident use cases need, passed in (never imported) so the bot, `npm run worker`, the
 * tests and the demo wire the same core (`src/app/build-core.ts`).
 */
export interface IncidentDeps {
  store: IncidentStore;
  runbooks: RunbookCatalog;
  timeline: TimelineRecorder;
  actionQueue: Queue<ActionJob>;
  incidentQueue: Queue<OpenJob>;
  /** Group deadlines: a reminder, then an escalation (delayed jobs with deterministic ids). */
  deadlineQueue: Queue<DeadlineJob>;
  policy: ApprovalPolicy;
  /** One action per target at a time. */
  targets: TargetLocks;
  log: Logger;
  now: () => Date;
  /** Interpolation environment and allow-list for probes (diagnosis runs in the bot process). */
  vars: Variables;
  allowedPrograms: ReadonlySet<string>;
  /** Values masked in previews (the Preview button, dry runs): the worker's own secrets list. */
  secrets: readonly string[];
  /** Where host probes read proc(5) files (HOST_PROC_ROOT, as node_exporter's --path.procfs). */
  procRoot: string;
  metrics: IncidentMetrics;
  /** What must be green before a resolve needs no reason (the recovery checklist). Absent: nothing. */
  resolveGate?: ResolveGate;
  /** The role queues (`on:`); `actionQueue` is its role-less one. */
  actionQueues: ActionQueues;
  /** Signs each approval so that workers run only what the bot approved (APPROVAL_SIGNING_KEY). */
  signer: ApprovalSigner;
  /** Sends probes with `on:` to their role's workers; without it they run in this process. */
  hostProbes?: RemoteProbes;
  /** The workers on the hosts, as the registry knows them (`/incident workers`). */
  workers?: WorkerFleet;
}

/** The metrics the core moves itself, whichever process it runs in. */
export type IncidentMetrics = Pick<
  FirebreakMetrics,
  'incidentsOpened' | 'decisions' | 'actionsFinished' | 'probeDuration' | 'deadlinesFired'
>;
