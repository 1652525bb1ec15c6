import type { WebClient } from '@slack/web-api';
import type { Incident } from '../incidents/incident.js';
import type { Logger } from '../logging/logger.js';
import type { RedisPostmortemStore } from '../postmortem/postmortem-store.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { RedisChecklistStore } from '../verification/checklist-store.js';
import type { ChannelPacer } from './channel-pacer.js';
import type { RenderedMessage } from './render/blocks.js';
import { renderChecklist } from './render/render-checklist.js';
import { dashboardLinks, renderHeader } from './render/render-header.js';
import { renderTimelineLine } from './render/render-timeline-entry.js';
import { isChannelFact, slackErrorCode } from './slack-errors.js';
import type { SlackLedger } from './slack-ledger.js';

/** The entries of the recovery checklist and the postmortem, which change messages of their own. */
export const closingEntryTypes = [
  'checklist.started',
  'checklist.checked',
  'checklist.ticked',
  'incident.recovered',
  'checklist.regressed',
  'postmortem.written',
] as const;
export type ClosingEntry = Extract<TimelineEntry, { type: (typeof closingEntryTypes)[number] }>;

export interface ClosingDelivery {
  client: WebClient;
  log: Logger;
  ledger: SlackLedger;
  pacer: ChannelPacer;
  vars: Variables;
  checklist?: RedisChecklistStore;
  postmortems?: RedisPostmortemStore;
  incident: Incident;
  runbook: Runbook | undefined;
  channel: string;
  headerTs: string;
  /** Posts this entry's message in the thread once (`broadcast`: also to the channel). */
  post(message: RenderedMessage, broadcast?: boolean): Promise<string>;
}

/** The header, with the recovered time once there is one. */
export async function headerMessage(
  d: Pick<ClosingDelivery, 'checklist' | 'vars'>,
  incident: Incident,
  runbook: Runbook | undefined,
): Promise<RenderedMessage> {
  const recoveredAt = d.checklist ? (await d.checklist.read(incident.id)).recoveredAt : undefined;
  return renderHeader(incident, dashboardLinks(runbook, d.vars), recoveredAt ? { recoveredAt } : {});
}

/** Re-renders the live checklist message in place (it exists once `checklist.started` was delivered). */
export async function refreshChecklist(
  d: Pick<ClosingDelivery, 'client' | 'ledger' | 'checklist' | 'incident' | 'runbook' | 'channel'>,
): Promise<void> {
  const ts = await d.ledger.checklistTs(d.incident.id);
  if (!ts || !d.checklist || !d.runbook) return;
  const message = renderChecklist(d.incident, d.runbook, await d.checklist.read(d.incident.id));
  await d.client.chat.update({ channel: d.channel, ts, ...message });
}

const line = (text: string): RenderedMessage => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/**
 * Delivers one checklist or postmortem entry: the checklist message is posted once and then updated
 * in place (a run posts nothing new), a tick or a recovery is also a line (the recovery updates the
 * header), a failure after recovery is broadcast to the channel, and a postmortem is uploaded as a
 * Markdown file into the thread (v2 upload: getUploadURLExternal → bytes → completeUploadExternal).
 */
export async function deliverClosingEntry(d: ClosingDelivery, entry: ClosingEntry): Promise<void> {
  switch (entry.type) {
    case 'checklist.started': {
      if (!d.checklist || !d.runbook || (await d.ledger.checklistTs(d.incident.id))) return;
      const message = renderChecklist(d.incident, d.runbook, await d.checklist.read(d.incident.id));
      await d.ledger.setChecklistTs(d.incident.id, await d.post(message));
      return;
    }
    case 'checklist.checked':
      return refreshChecklist(d);
    case 'checklist.ticked':
    case 'incident.recovered':
    case 'checklist.regressed': {
      const text = renderTimelineLine(entry, d.incident, d.runbook);
      if (text) await d.post(line(text), entry.type === 'checklist.regressed');
      await refreshChecklist(d);
      if (entry.type === 'incident.recovered') {
        await d.client.chat.update({
          channel: d.channel,
          ts: d.headerTs,
          ...(await headerMessage(d, d.incident, d.runbook)),
        });
      }
      return;
    }
    case 'postmortem.written':
      return uploadPostmortem(d, entry);
  }
}

async function uploadPostmortem(
  d: ClosingDelivery,
  entry: Extract<ClosingEntry, { type: 'postmortem.written' }>,
) {
  const kept = await d.postmortems?.get(d.incident.id);
  // Only the latest version is kept: an older entry's file is superseded by the newer entry's.
  if (!kept || kept.version !== entry.version) return;
  if (await d.ledger.postedTs(d.incident.id, entry.seq)) return;
  await d.pacer.take(d.channel);
  let uploaded: Awaited<ReturnType<WebClient['filesUploadV2']>>;
  try {
    uploaded = await d.client.filesUploadV2({
      channel_id: d.channel,
      thread_ts: d.headerTs,
      file: Buffer.from(kept.markdown, 'utf8'),
      filename: `postmortem-${d.incident.id}-v${kept.version}.md`,
      title: `Postmortem ${d.incident.id} (v${kept.version})`,
      initial_comment: `:page_facing_up: Postmortem of *${d.incident.id}*, version ${kept.version}: the timeline, durations, impact and checklist are filled in; the five whys are yours to answer.`,
    });
  } catch (err) {
    // Slack refusing the file (a missing files:write scope, a workspace policy) is a fact, not a fault:
    // retrying would hold every later entry of the thread back. The document stays with the incident.
    const code = slackErrorCode(err);
    if (!code || isChannelFact(err) || code === 'ratelimited') throw err;
    d.log.warn(
      { code, incidentId: d.incident.id },
      'Slack refused the postmortem file (check the files:write scope); it is kept in Redis: firebreak postmortem <id>',
    );
    await d.ledger.markPosted(d.incident.id, entry.seq, `refused-${code}`);
    return;
  }
  const fileId =
    (uploaded.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id ?? 'uploaded';
  await d.ledger.markPosted(d.incident.id, entry.seq, fileId);
}
