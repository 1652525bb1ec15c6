import type { Queue } from 'bullmq';
import type { ActionJob } from '../executors/action-queue.js';
import type { Logger } from '../logging/logger.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { TimelineRecorder } from '../timeline/timeline-recorder.js';
import type { ApprovalPolicy } from './approval-policy.js';
import type { OpenJob } from './incident-queue.js';
import type { IncidentStore } from './incident-store.js';

/** What the incident use cases need, passed in (never imported) so tests and workers wire their own. */
export interface IncidentDeps {
  store: IncidentStore;
  runbooks: RunbookCatalog;
  timeline: TimelineRecorder;
  actionQueue: Queue<ActionJob>;
  incidentQueue: Queue<OpenJob>;
  policy: ApprovalPolicy;
  log: Logger;
  now: () => Date;
  /** Interpolation environment and allow-list for probes (diagnosis runs in the bot process). */
  vars: Variables;
  allowedPrograms: ReadonlySet<string>;
  /** Where host probes read proc(5) files (HOST_PROC_ROOT). @defaultValue `/proc` */
  procRoot?: string;
}
