import type { Queue } from 'bullmq';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import type { CheckJob } from './check-queue.js';
import type { RedisChecklistStore } from './checklist-store.js';

/** What the recovery checklist needs: the core's store, runbooks and timeline, and its own record and queue. */
export type VerificationDeps = Pick<
  IncidentDeps,
  'store' | 'runbooks' | 'timeline' | 'now' | 'log' | 'vars' | 'allowedPrograms' | 'procRoot'
> & {
  checklist: RedisChecklistStore;
  checkQueue: Queue<CheckJob>;
  metrics: VerificationMetrics;
  /**
   * How often the first tier is re-run while the incident has not recovered, and how many times.
   * @defaultValue the first tier's `within` (5 min for the 503 runbook), 12 times
   */
  recheck?: { everyMs?: number; times?: number };
};

export type VerificationMetrics = Pick<
  FirebreakMetrics,
  | 'incidentsResolved'
  | 'timeToAcknowledge'
  | 'timeToMitigate'
  | 'timeToRecover'
  | 'actionsByExecutor'
  | 'probeDuration'
  | 'checklistResults'
>;
