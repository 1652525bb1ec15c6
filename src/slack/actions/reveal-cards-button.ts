import type { App, BlockButtonAction } from '@slack/bolt';
import { unattributable } from '../../incidents/attributable-actor.js';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import type { Actor } from '../../timeline/actor.js';
import { REVEAL_ACTION_ID } from '../cards/render-card-message.js';
import { explainFailure } from '../explain-failure.js';
import { renderRefusal } from '../render/render-refusal.js';
import type { SlackLedger } from '../slack-ledger.js';
import { ephemeralReply } from './ephemeral-reply.js';

/**
 * "Show them now" under the cards: posts the action cards held back (scenarios the diagnosis did not
 * point at, the after-recovery steps before anything was applied). Recorded in the timeline, whose
 * delivery then posts them, in order, like any other message of the thread.
 */
export function registerRevealButton(app: App, core: IncidentDeps, ledger: SlackLedger): void {
  app.action<BlockButtonAction>(REVEAL_ACTION_ID, async ({ ack, body, action, respond }) => {
    await ack();
    const say = ephemeralReply(respond);
    const incidentId = action.value ?? '';
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const actor: Actor = { id: body.user?.id ?? '', via: 'slack' };
    try {
      if (!channelId || (await ledger.incidentIn(channelId)) !== incidentId) {
        await say(':warning: This button is not from this incident channel; nothing was done.');
        return;
      }
      // Recorded with who asked: a click nobody can be named for records nothing.
      const anonymous = unattributable(actor);
      if (anonymous) {
        await say(renderRefusal(anonymous));
        return;
      }
      const book = (await ledger.read(incidentId)).delivery;
      if (book.revealed) return;
      await ledger.reveal(incidentId);
      await core.timeline.record(incidentId, { type: 'note', text: 'asked to see every action card' }, actor);
    } catch (err) {
      core.log.error({ err, incidentId }, 'could not show the held-back cards');
      await say(`:x: Could not show them: ${explainFailure(err)}.`);
    }
  });
}
