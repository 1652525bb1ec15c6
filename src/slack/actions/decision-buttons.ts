import type { App, BlockButtonAction } from '@slack/bolt';
import type { PolicyDecisionKind } from '../../incidents/action-rules.js';
import { unattributable } from '../../incidents/attributable-actor.js';
import { cancelAction } from '../../incidents/cancel-action.js';
import { approveAction, skipAction } from '../../incidents/decide-action.js';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import { previewAction } from '../../incidents/preview-action.js';
import type { Actor } from '../../timeline/actor.js';
import { explainFailure } from '../explain-failure.js';
import { type ButtonValue, decodeButtonValue } from '../render/render-action-card.js';
import {
  type EphemeralAnswer,
  renderCancelAnswer,
  renderDecisionAnswer,
  renderPreviewAnswer,
} from '../render/render-decision-answer.js';
import type { SlackLedger } from '../slack-ledger.js';
import { ephemeralReply } from './ephemeral-reply.js';

type ButtonArgs = Parameters<Parameters<App['action']>[1]>[0] & {
  body: BlockButtonAction;
  action: { value?: string };
};

/** What a button does once Slack's rules passed: a core use case, and what to tell the clicker. */
export type ButtonWork = (
  value: ButtonValue,
  actor: Actor,
  args: ButtonArgs,
) => Promise<EphemeralAnswer | undefined>;

/**
 * One Firebreak button: ack at once, decode the value it was rendered with, check the click came from
 * the incident's own channel (Slack's rule, against the ledger), then do the work and answer the
 * clicker ephemerally. Who may decide is the core's, checked there for every surface.
 */
export function incidentButton(
  core: IncidentDeps,
  ledger: SlackLedger,
  work: ButtonWork,
  /** The decision a click takes, recorded when it is refused here (a Preview is none). */
  decision?: PolicyDecisionKind,
) {
  return async (args: ButtonArgs) => {
    const { ack, body, action, respond } = args;
    await ack();
    const say = ephemeralReply(respond);
    const value = decodeButtonValue(action.value);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    if (!value || !channelId) {
      await say({ text: ':warning: This button is malformed; nothing was done.' });
      return;
    }
    const actor: Actor = { id: body.user.id, via: 'slack' };
    try {
      const home = await ledger.incidentIn(channelId);
      if (home !== value.i) {
        const reason = `this button belongs to incident ${value.i}; use it in its channel`;
        // A refused decision is a fact of the incident it was aimed at, whichever channel it came from.
        // Only when it names someone: an empty user id is not recorded as anybody's.
        if (decision && !unattributable(actor) && (await core.store.get(value.i))) {
          await core.timeline.record(
            value.i,
            { type: 'decision.refused', decision, actionId: value.a, code: 'wrong-channel', reason },
            actor,
          );
        }
        await say({ text: `:no_entry: Not done: ${reason}.` });
        return;
      }
      const answer = await work(value, actor, args);
      if (answer) await say(answer);
    } catch (err) {
      core.log.error({ err, incidentId: value.i, actionId: value.a }, 'button failed');
      await say({
        text: `:x: Could not record your decision: ${explainFailure(err)}. Nothing ran; try again in a moment.`,
      });
    }
  };
}

/**
 * Approve / Skip / Cancel / Preview. The once-only guard is in Redis (decide-action.ts), because an
 * early ack does not stop people clicking again when Slack looks slow.
 */
export function registerDecisionButtons(app: App, core: IncidentDeps, ledger: SlackLedger): void {
  const request = (v: ButtonValue, actor: Actor) => ({
    incidentId: v.i,
    actionId: v.a,
    seenAttempts: v.n,
    actor,
  });
  const decide = (use: typeof approveAction) => async (v: ButtonValue, actor: Actor) =>
    renderDecisionAnswer(await use(core, request(v, actor)), request(v, actor));
  app.action<BlockButtonAction>(/^approve-/, incidentButton(core, ledger, decide(approveAction), 'approve'));
  app.action<BlockButtonAction>(/^skip-/, incidentButton(core, ledger, decide(skipAction), 'skip'));
  app.action<BlockButtonAction>(
    /^cancel-/,
    incidentButton(
      core,
      ledger,
      async (v, actor) =>
        renderCancelAnswer(await cancelAction(core, { incidentId: v.i, actionId: v.a, actor })),
      'cancel',
    ),
  );
  app.action<BlockButtonAction>(
    /^preview-/,
    incidentButton(core, ledger, async (v) =>
      renderPreviewAnswer(await previewAction(core, { incidentId: v.i, actionId: v.a })),
    ),
  );
}
