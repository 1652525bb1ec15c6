import { type ConnectionOptions, Worker } from 'bullmq';
import { activeStatuses } from '../incidents/incident.js';
import { CHECK_QUEUE, type CheckJob, checkJobId, checkJobSchema } from './check-queue.js';
import { checklistTiers } from './checklist-plan.js';
import { runChecks } from './run-checks.js';
import type { VerificationDeps } from './verification-deps.js';

const DEFAULT_RECHECKS = 12;

/**
 * One scheduled run: the checks of every tier due by now (`within`), at most once per job id even if
 * the job is added again after it was removed, or re-run after a stall. While the first tier is not
 * green, it is checked again every `recheck.everyMs`, so the recovered time is found by itself.
 */
export async function runScheduledChecks(deps: VerificationDeps, job: CheckJob): Promise<void> {
  const jobId = checkJobId(job);
  const incident = await deps.store.get(job.incidentId);
  const runbook = incident && deps.runbooks.get(incident.kind);
  if (!incident || !runbook || !activeStatuses.has(incident.status)) return;
  if (await deps.checklist.hasRun(job.incidentId, jobId)) return;
  const tiers = checklistTiers(runbook);
  const first = tiers[0];
  const tier = tiers.find((t) => t.within === job.within);
  if (!tier || !first) return;
  const uptoMs = job.recheck > 0 ? first.ms : tier.ms;
  const ran = await runChecks(deps, job.incidentId, { scope: { uptoMs }, trigger: 'schedule' });
  await deps.checklist.markRun(job.incidentId, jobId, deps.now().toISOString());
  if (ran.kind !== 'ran' || tier !== first) return;
  const record = await deps.checklist.read(job.incidentId);
  const times = deps.recheck?.times ?? DEFAULT_RECHECKS;
  if (record.recoveredAt || job.recheck >= times) return;
  const next = { incidentId: job.incidentId, within: first.within, recheck: job.recheck + 1 };
  await deps.checkQueue.add('check', next, {
    jobId: checkJobId(next),
    delay: deps.recheck?.everyMs ?? first.ms,
  });
}

/** The checklist's worker: scheduled runs and re-checks, in the bot process (probes run there). */
export function createCheckWorker(
  deps: VerificationDeps,
  options: { connection: ConnectionOptions; prefix?: string },
): Worker<CheckJob> {
  const worker = new Worker<CheckJob>(
    CHECK_QUEUE,
    async (job) => runScheduledChecks(deps, checkJobSchema.parse(job.data)),
    // A load test can take minutes: two incidents' checks may run side by side.
    { connection: options.connection, ...(options.prefix ? { prefix: options.prefix } : {}), concurrency: 2 },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'check worker error'));
  worker.on('failed', (job, err) => deps.log.warn({ err, jobId: job?.id }, 'scheduled checks failed'));
  return worker;
}
