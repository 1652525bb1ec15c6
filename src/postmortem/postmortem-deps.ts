import type { Queue } from 'bullmq';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import type { RedisChecklistStore } from '../verification/checklist-store.js';
import type { PostmortemJob } from './postmortem-queue.js';
import type { RedisPostmortemStore } from './postmortem-store.js';

/** What writing a postmortem needs: the core's records, the checklist's, and where postmortems are kept. */
export type PostmortemDeps = Pick<
  IncidentDeps,
  'store' | 'runbooks' | 'timeline' | 'now' | 'log' | 'vars'
> & {
  checklist: RedisChecklistStore;
  postmortems: RedisPostmortemStore;
  postmortemQueue: Queue<PostmortemJob>;
  /** Per Prometheus request. @defaultValue 10000 */
  prometheusTimeoutMs?: number;
};
