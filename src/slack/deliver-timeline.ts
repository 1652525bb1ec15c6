import type { WebClient } from '@slack/web-api';
import { type ConnectionOptions, Worker } from 'bullmq';
import type { Diagnosis } from '../diagnostics/run-diagnosis.js';
import type { ApprovalPolicy } from '../incidents/approval-policy.js';
import type { Incident } from '../incidents/incident.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { Logger } from '../logging/logger.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import { undoIdOf } from '../runbooks/runbook-schema.js';
import { DELIVERY_QUEUE, type DeliveryJob, deliveryJobSchema } from '../timeline/delivery-queue.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { ChannelPacer } from './channel-pacer.js';
import type { RenderedMessage } from './render/blocks.js';
import { renderActionCard } from './render/render-action-card.js';
import { renderEscalationNotice } from './render/render-escalation-notice.js';
import { dashboardLinks, renderHeader } from './render/render-header.js';
import { renderSnapshot } from './render/render-snapshot.js';
import { renderTimelineLine } from './render/render-timeline-entry.js';
import { isChannelFact } from './slack-errors.js';
import type { SlackLedger } from './slack-ledger.js';

export interface TimelineDeliveryDeps {
  client: WebClient;
  store: IncidentStore;
  ledger: SlackLedger;
  runbooks: RunbookCatalog;
  pacer: ChannelPacer;
  log: Logger;
  vars: Variables;
  /** What each action needs ("1 of 2 approvals"), shown on its card. */
  policy?: ApprovalPolicy;
  /** Where an escalation is also told (the announce channel). */
  announceChannel?: string;
}

/**
 * Posts an incident's undelivered timeline entries to its thread, in order, and refreshes the
 * messages they change (action cards, the header). Safe to run twice: what was posted is recorded.
 */
export async function deliverTimeline(deps: TimelineDeliveryDeps, incidentId: string): Promise<number> {
  const { store, ledger } = deps;
  const first = await store.get(incidentId);
  const { channel, headerTs, next } = await ledger.read(incidentId);
  if (!first || !channel || !headerTs) return 0;
  const thread: Thread = { channel: channel.id, headerTs };
  const entries = await store.readTimeline(incidentId, next);
  for (const entry of entries) {
    // Fresh per entry: a card or header must show the incident as it is now, not as it was.
    const incident = (await store.get(incidentId)) ?? first;
    try {
      await deliverEntry(deps, incident, thread, entry);
    } catch (err) {
      // An archived or vanished channel is a fact about the channel: record it and stop, don't retry.
      if (!isChannelFact(err)) throw err;
      deps.log.warn(
        { err, incidentId, seq: entry.seq },
        'incident channel is unusable; entry kept in Redis only',
      );
    }
    await ledger.markDelivered(incidentId, entry.seq);
  }
  return entries.length;
}

/** Where an incident's timeline goes: its channel and the header whose thread it is. */
interface Thread {
  channel: string;
  headerTs: string;
}

async function deliverEntry(
  deps: TimelineDeliveryDeps,
  incident: Incident,
  { channel, headerTs }: Thread,
  entry: TimelineEntry,
): Promise<void> {
  const { store, ledger, client } = deps;
  const runbook = deps.runbooks.get(incident.kind);
  const post = async (message: RenderedMessage, broadcast = false): Promise<string> => {
    const already = await ledger.postedTs(incident.id, entry.seq);
    if (already) return already;
    await deps.pacer.take(channel);
    const result = await client.chat.postMessage({
      channel,
      thread_ts: headerTs,
      ...message,
      unfurl_links: false,
      reply_broadcast: broadcast,
    });
    await ledger.markPosted(incident.id, entry.seq, result.ts as string);
    return result.ts as string;
  };
  // What cards are rendered from, read once per entry however many cards it refreshes.
  const cardState = async () => ({
    states: new Map((await store.listActions(incident.id)).map((s) => [s.actionId, s])),
    diagnosis: await store.getDiagnosis<Diagnosis>(incident.id),
  });
  const { policy } = deps;
  const card = (groupId: string, state: Awaited<ReturnType<typeof cardState>>) =>
    runbook
      ? renderActionCard({
          incident,
          runbook,
          groupId,
          ...state,
          vars: deps.vars,
          ...(policy ? { requirement: (action) => policy.requirement(incident, runbook, action) } : {}),
        })
      : undefined;
  const refreshCards = async (groupIds: readonly string[]) => {
    const state = await cardState();
    for (const groupId of groupIds) {
      const ts = await ledger.cardTs(incident.id, groupId);
      const message = card(groupId, state);
      if (ts && message) await client.chat.update({ channel, ts, ...message });
    }
  };

  switch (entry.type) {
    case 'diagnosis.completed': {
      const diagnosis = await store.getDiagnosis<Diagnosis>(incident.id);
      if (diagnosis) await post(renderSnapshot(diagnosis));
      return;
    }
    case 'actions.offered': {
      const message = card(entry.groupId, await cardState());
      if (message) await ledger.setCardTs(incident.id, entry.groupId, await post(message));
      return;
    }
    default: {
      const line = renderTimelineLine(entry, incident, runbook);
      const resolved = entry.type === 'incident.status' && entry.to === 'resolved';
      if (line)
        await post(
          { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] },
          resolved,
        );
      if ('actionId' in entry && entry.actionId) {
        const action = runbook?.actions.find((a) => a.id === entry.actionId);
        // Its undo's card too: an undo is offered only once the action it reverses has succeeded.
        const undo = action && runbook?.actions.find((a) => a.id === undoIdOf(action));
        const groups = [action?.group, undo?.group].filter((g): g is string => g !== undefined);
        if (groups.length > 0) await refreshCards([...new Set(groups)]);
      }
      // A deadline marks its group's undecided actions overdue on the card.
      if (entry.type === 'deadline.reminder' || entry.type === 'deadline.escalated') {
        await refreshCards([entry.groupId]);
      }
      if (entry.type === 'deadline.escalated') await tellAnnounceChannel(deps, incident, entry, channel);
      if (entry.type === 'incident.status') {
        await client.chat.update({
          channel,
          ts: headerTs,
          ...renderHeader(incident, dashboardLinks(runbook, deps.vars)),
        });
        // Resolved: every card loses its buttons, so nobody approves into a closed incident.
        if (resolved && runbook) await refreshCards(runbook.groups.map((g) => g.id));
      }
      // An alert that joined may have raised the severity, or be the incident's first alert: both show in the header.
      if (entry.type === 'alert.attached') {
        await client.chat.update({
          channel,
          ts: headerTs,
          ...renderHeader(incident, dashboardLinks(runbook, deps.vars)),
        });
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
  await deps.pacer.take(announce);
  const message = renderEscalationNotice(incident, deps.runbooks.get(incident.kind), entry, channel);
  const result = await deps.client.chat.postMessage({ channel: announce, ...message, unfurl_links: false });
  await deps.ledger.markExtraPosted(incident.id, `announce-${entry.seq}`, result.ts as string);
}

export interface DeliveryWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
}

/** One delivery at a time keeps each thread in order; pacing per channel keeps Slack's limits. */
export function createDeliveryWorker(
  deps: TimelineDeliveryDeps,
  options: DeliveryWorkerOptions,
): Worker<DeliveryJob> {
  const worker = new Worker<DeliveryJob>(
    DELIVERY_QUEUE,
    async (job) => {
      const { incidentId } = deliveryJobSchema.parse(job.data);
      const incident = await deps.store.get(incidentId);
      const { headerTs } = await deps.ledger.read(incidentId);
      // Gone, or closed before it ever had a thread: nothing will come to deliver into. Don't retry.
      if (!incident || (!headerTs && incident.status === 'resolved')) return;
      if (!headerTs) throw new Error(`incident ${incidentId} has no thread yet; delivery will retry`);
      await deliverTimeline(deps, incidentId);
    },
    { connection: options.connection, ...(options.prefix ? { prefix: options.prefix } : {}), concurrency: 1 },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'delivery worker error'));
  worker.on('failed', (job, err) =>
    deps.log.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'timeline delivery failed'),
  );
  return worker;
}
