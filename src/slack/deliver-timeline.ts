import { type ConnectionOptions, Worker } from 'bullmq';
import type { Diagnosis } from '../diagnostics/run-diagnosis.js';
import type { ApprovalPolicy } from '../incidents/approval-policy.js';
import type { Incident } from '../incidents/incident.js';
import type { IncidentState, IncidentStore } from '../incidents/incident-store.js';
import type { Logger } from '../logging/logger.js';
import type { RedisPostmortemStore } from '../postmortem/postmortem-store.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import { undoIdOf } from '../runbooks/runbook-schema.js';
import { DELIVERY_QUEUE, type DeliveryJob, deliveryJobSchema } from '../timeline/delivery-queue.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { RedisChecklistStore } from '../verification/checklist-store.js';
import { deliverClosingEntry, refreshChecklist } from './deliver-closing-entry.js';
import { renderEscalationNotice } from './render/render-escalation-notice.js';
import { renderSnapshot } from './render/render-snapshot.js';
import { renderTimelineLine } from './render/render-timeline-entry.js';
import { isChannelFact } from './slack-errors.js';
import type { SlackLedger, SlackRecord } from './slack-ledger.js';
import type { SlackOutbound } from './slack-outbound.js';
import { ThreadWriter } from './thread-writer.js';

export interface TimelineDeliveryDeps {
  outbound: SlackOutbound;
  store: IncidentStore;
  ledger: SlackLedger;
  runbooks: RunbookCatalog;
  log: Logger;
  vars: Variables;
  /** What each action needs ("1 of 2 approvals"), shown on its card. */
  policy?: ApprovalPolicy;
  /** Where an escalation is also told (the announce channel). */
  announceChannel?: string;
  /** The checklist's record (the live checklist message, the header's recovered time). */
  checklist?: RedisChecklistStore;
  /** Where postmortems are kept (uploaded as files into the thread). */
  postmortems?: RedisPostmortemStore;
}

/**
 * Posts an incident's undelivered timeline entries to its thread, in order, and refreshes the
 * messages they change (action cards, the header). Safe to run twice, and after a replica died in
 * the middle of it: what was posted, and what was being posted, is recorded (see ThreadWriter).
 */
export async function deliverTimeline(
  deps: TimelineDeliveryDeps,
  incidentId: string,
  known?: SlackRecord,
): Promise<number> {
  const { store, ledger } = deps;
  const record = known ?? (await ledger.read(incidentId));
  const { channel, headerTs } = record;
  if (!channel || !headerTs) return 0;
  let entries = await store.readTimeline(incidentId, record.next);
  if (entries.length === 0) return 0;
  // Read after the entries: the state is at least as new as every entry delivered now.
  let state = await store.readIncidentState<Diagnosis>(incidentId);
  if (!state) return 0;
  // The opening offers its groups one entry at a time, milliseconds apart: wait for the last of them
  // (briefly) so the cards go out packed in as few messages as they fit, not one per flush.
  for (let waited = 0; offering(entries, state) && waited < OFFER_LINGER_MS; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    entries = await store.readTimeline(incidentId, record.next);
    state = (await store.readIncidentState<Diagnosis>(incidentId)) ?? state;
  }
  const writer = new ThreadWriter({
    outbound: deps.outbound,
    ledger,
    log: deps.log,
    vars: deps.vars,
    incidentId,
    channel: channel.id,
    headerTs,
    book: record.delivery,
    state,
    runbook: deps.runbooks.get(state.incident.kind),
    ...(deps.policy ? { policy: deps.policy } : {}),
    ...(deps.checklist ? { checklist: deps.checklist } : {}),
  });
  for (const entry of entries) deliverEntry(writer, entry, deps.postmortems);
  try {
    await writer.finish();
    for (const entry of entries) {
      if (entry.type === 'deadline.escalated')
        await tellAnnounceChannel(deps, state.incident, entry, channel.id);
    }
  } catch (err) {
    // An archived or vanished channel is a fact about the channel: record it and stop, don't retry.
    if (!isChannelFact(err)) throw err;
    deps.log.warn({ err, incidentId }, 'incident channel is unusable; entries kept in Redis only');
    await writer.abandon();
  }
  return entries.length;
}

const OFFER_LINGER_MS = 500;

/** The opening is still offering its groups: the last entry is an offer and the offer step is not done. */
function offering(entries: readonly TimelineEntry[], state: IncidentState<Diagnosis>): boolean {
  return entries.at(-1)?.type === 'actions.offered' && !state.incident.progress.offered;
}

/** How each kind of entry shows in the thread: one case per entry type. */
function deliverEntry(
  writer: ThreadWriter,
  entry: TimelineEntry,
  postmortems: RedisPostmortemStore | undefined,
): void {
  const { incident, runbook } = writer;
  switch (entry.type) {
    case 'incident.opened':
      // The header already says who opened it, when and why.
      writer.skip(entry);
      return;
    case 'diagnosis.completed': {
      const diagnosis = writer.diagnosis;
      if (diagnosis) writer.post(entry, renderSnapshot(diagnosis));
      else writer.skip(entry);
      return;
    }
    case 'actions.offered':
      writer.offer(entry, entry.groupId);
      return;
    case 'checklist.started':
    case 'checklist.checked':
    case 'checklist.ticked':
    case 'incident.recovered':
    case 'checklist.regressed':
    case 'postmortem.written':
      // Messages of their own (the live checklist, updated in place; the postmortem file), in order.
      writer.custom(entry, (thread) =>
        deliverClosingEntry({ ...thread, ...(postmortems ? { postmortems } : {}) }, entry),
      );
      return;
    default: {
      const resolved = entry.type === 'incident.status' && entry.to === 'resolved';
      // Leaving `opening` is what the header shows from then on; a line would say it twice.
      const line =
        entry.type === 'incident.status' && entry.from === 'opening'
          ? undefined
          : renderTimelineLine(entry, incident, runbook);
      if (line) writer.line(entry, line, resolved);
      else writer.skip(entry);
      if ('actionId' in entry && entry.actionId) {
        const action = runbook?.actions.find((a) => a.id === entry.actionId);
        // Its undo's card too: an undo is offered only once the action it reverses has succeeded.
        const undo = action && runbook?.actions.find((a) => a.id === undoIdOf(action));
        const groups = [action?.group, undo?.group].filter((g): g is string => g !== undefined);
        if (groups.length > 0) writer.refreshCards([...new Set(groups)]);
      }
      // A deadline marks its group's undecided actions overdue on the card (the escalation's notice in
      // the announce channel follows the thread's delivery: tellAnnounceChannel).
      if (entry.type === 'deadline.reminder' || entry.type === 'deadline.escalated') {
        writer.refreshCards([entry.groupId]);
      }
      // A status change, or an alert that joined (it may have raised the severity): the header shows both.
      if (entry.type === 'incident.status' || entry.type === 'alert.attached') writer.refreshHeader();
      // Resolved: every card loses its buttons, so nobody approves into a closed incident.
      if (resolved) {
        writer.refreshEveryCard();
        writer.custom(entry, (thread) => refreshChecklist(thread));
      }
    }
  }
}

/** An escalation reaches beyond the incident channel, once: the announce channel hears it too. */
async function tellAnnounceChannel(
  deps: TimelineDeliveryDeps,
  incident: Incident,
  entry: Extract<TimelineEntry, { type: 'deadline.escalated' }>,
  channel: string,
): Promise<void> {
  const announce = deps.announceChannel;
  if (!announce || (await deps.ledger.extraPostedTs(incident.id, `announce-${entry.seq}`))) return;
  const message = renderEscalationNotice(incident, deps.runbooks.get(incident.kind), entry, channel);
  const posted = await deps.outbound.post({
    channel: announce,
    message,
    key: `escalation/${incident.id}/${entry.seq}`,
  });
  await deps.ledger.markExtraPosted(incident.id, `announce-${entry.seq}`, posted.ts);
}

export interface DeliveryWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  /**
   * Incidents delivered at once, each into its own channel at its own pace. One incident's flushes
   * never overlap (the queue deduplicates them per incident), so each thread stays in order.
   * @defaultValue 128
   */
  concurrency?: number;
  /**
   * How long a flush stays with its incident after its last entry, watching for the next ones (one
   * LLEN every 200 ms) before it ends. Entries of one moment (an approval, its start and result; the
   * opening's snapshot and offers) then cost one job instead of one each, and cards update once.
   * @defaultValue 1500
   */
  lingerMs?: number;
}

/** Delivers, then keeps delivering while entries keep coming, up to `lingerMs` after the last one. */
async function deliverWhileBusy(
  deps: TimelineDeliveryDeps,
  incidentId: string,
  first: SlackRecord,
  lingerMs: number,
): Promise<void> {
  let record = first;
  for (;;) {
    await deliverTimeline(deps, incidentId, record);
    record = await deps.ledger.read(incidentId);
    let more = false;
    for (let waited = 0; waited < lingerMs && !more; waited += 200) {
      await new Promise((r) => setTimeout(r, 200));
      more = (await deps.store.timelineLength(incidentId)) > record.next;
    }
    if (!more) return;
    record = await deps.ledger.read(incidentId);
  }
}

/**
 * Delivers timelines: many incidents in parallel, each incident by one flush at a time across every
 * replica (BullMQ deduplication per incident with `keepLastIfActive`: one active, at most one
 * waiting). A replica dying mid-flush leaves its job stalled; within ~15 s another takes it over and
 * finishes without posting twice (the ledger's attempts and the messages' metadata).
 */
export function createDeliveryWorker(
  deps: TimelineDeliveryDeps,
  options: DeliveryWorkerOptions,
): Worker<DeliveryJob> {
  const worker = new Worker<DeliveryJob>(
    DELIVERY_QUEUE,
    async (job) => {
      const { incidentId } = deliveryJobSchema.parse(job.data);
      const record = await deps.ledger.read(incidentId);
      if (!record.headerTs) {
        const incident = await deps.store.get(incidentId);
        // Gone, or closed before it ever had a thread: nothing will come to deliver into. Don't retry.
        if (!incident || incident.status === 'resolved') return;
        throw new Error(`incident ${incidentId} has no thread yet; delivery will retry`);
      }
      await deliverWhileBusy(deps, incidentId, record, options.lingerMs ?? 1500);
    },
    {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      concurrency: options.concurrency ?? 128,
      // A flush is safe to run again (ledger + metadata), so a dead replica's job is simply taken over,
      // soon: the lock lapses after 10 s, and the stalled check runs every 5 s.
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 10,
    },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'delivery worker error'));
  worker.on('failed', (job, err) =>
    deps.log.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'timeline delivery failed'),
  );
  return worker;
}
