import type { App, BlockButtonAction } from '@slack/bolt';
import { approveAction, type DecisionResult, skipAction } from '../../incidents/decide-action.js';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import { explainFailure } from '../explain-failure.js';
import { decodeButtonValue } from '../render/render-action-card.js';
import { renderActor } from '../render/render-actor.js';
import { renderRefusal } from '../render/render-refusal.js';
import type { SlackLedger } from '../slack-ledger.js';

function explain(result: DecisionResult): string | undefined {
  switch (result.kind) {
    case 'approved':
    case 'skipped':
      return undefined; // the card and the thread show it to everyone
    case 'refused':
      return `:no_entry: Not done: ${renderRefusal(result.refusal)}.`;
    case 'already-decided': {
      const s = result.state;
      if (!s) return ':information_source: This button is out of date; nothing was done.';
      const by = s.decidedBy ? ` by ${renderActor(s.decidedBy, s.decidedVia)}` : '';
      return `:information_source: Already ${s.status === 'skipped' ? 'skipped' : `approved (${s.status})`}${by}; nothing was done twice.`;
    }
  }
}

/**
 * Approve / Skip buttons. The ack is immediate; the once-only guard is in Redis (decide-action.ts),
 * because an early ack does not stop people clicking again when Slack looks slow. That the click
 * came from the incident's own channel is Slack's rule, checked here against the ledger; who may
 * decide is the core's, checked there for every surface.
 */
export function registerDecisionButtons(app: App, core: IncidentDeps, ledger: SlackLedger): void {
  const handler =
    (decide: typeof approveAction) =>
    async ({
      ack,
      body,
      action,
      respond,
    }: Parameters<Parameters<typeof app.action<BlockButtonAction>>[1]>[0]) => {
      await ack();
      // A click without a response_url (a button in a modal or App Home, or a payload Slack did not
      // send) has nobody to answer: the card and the thread still say what happened.
      const say = async (text: string) => {
        if (typeof respond === 'function')
          await respond({ response_type: 'ephemeral', replace_original: false, text });
      };
      const value = decodeButtonValue(action.value);
      const channelId = body.channel?.id ?? body.container?.channel_id;
      if (!value || !channelId) {
        await say(':warning: This button is malformed; nothing was done.');
        return;
      }
      try {
        const home = await ledger.incidentIn(channelId);
        if (home !== value.i) {
          await say(
            `:no_entry: Not done: this button belongs to incident ${value.i}; use it in its channel.`,
          );
          return;
        }
        const result = await decide(core, {
          incidentId: value.i,
          actionId: value.a,
          seenAttempts: value.n,
          actor: { id: body.user.id, via: 'slack' },
        });
        const text = explain(result);
        if (text) await say(text);
      } catch (err) {
        core.log.error({ err, incidentId: value.i, actionId: value.a }, 'decision failed');
        await say(
          `:x: Could not record your decision: ${explainFailure(err)}. Nothing ran; try again in a moment.`,
        ).catch(() => undefined);
      }
    };
  app.action<BlockButtonAction>(/^approve-/, handler(approveAction));
  app.action<BlockButtonAction>(/^skip-/, handler(skipAction));
}
