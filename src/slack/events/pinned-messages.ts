import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { addToTimeline } from '../../incidents/add-note.js';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import { mrkdwnToPlain } from '../render/mrkdwn-to-plain.js';
import type { SlackLedger } from '../slack-ledger.js';

/** The reaction that marks a message for the timeline. */
export const PIN_REACTION = 'pushpin';

interface FoundMessage {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
}

/**
 * The marked message itself, in one call: `conversations.replies` answers a top-level message's ts
 * with that message first, and a reply's ts with that reply alone.
 */
async function findMessage(
  client: WebClient,
  channel: string,
  ts: string,
): Promise<FoundMessage | undefined> {
  const replies = await client.conversations.replies({ channel, ts, limit: 1 });
  return (replies.messages as FoundMessage[] | undefined)?.find((m) => m.ts === ts);
}

/**
 * `reaction_added` (Events API, through the same signed `/slack/events`): a :pushpin: on a message of
 * an incident's channel puts that message in the timeline, with its author as the actor and who
 * marked it. Once per message however many pins or re-deliveries (claimed in the ledger first).
 */
export function registerPinnedMessages(app: App, core: IncidentDeps, ledger: SlackLedger): void {
  app.event('reaction_added', async ({ event, client }) => {
    if (event.reaction !== PIN_REACTION || event.item.type !== 'message') return;
    const { channel, ts } = event.item;
    const incidentId = await ledger.incidentIn(channel);
    if (!incidentId || !(await ledger.claimPinned(incidentId, ts))) return;
    try {
      const message = await findMessage(client, channel, ts);
      if (!message?.text) {
        core.log.warn({ incidentId, ts }, 'a pinned message could not be read; not in the timeline');
        await ledger.releasePinned(incidentId, ts);
        return;
      }
      const author = message.user ?? message.bot_id ?? event.item_user ?? 'unknown';
      await addToTimeline(
        core,
        incidentId,
        { id: author, via: 'slack' },
        { text: mrkdwnToPlain(message.text), markedBy: event.user },
      );
    } catch (err) {
      // Slack re-delivers an event that failed: give the claim back so the retry can record it.
      await ledger.releasePinned(incidentId, ts).catch(() => undefined);
      throw err;
    }
  });
}
