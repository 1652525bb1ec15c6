import type { App, BlockButtonAction } from '@slack/bolt';
import { approveAction } from '../../incidents/decide-action.js';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import { explainFailure } from '../explain-failure.js';
import { type EphemeralAnswer, renderDecisionAnswer } from '../render/render-decision-answer.js';
import {
  OVERRIDE_CALLBACK,
  parseOverrideMetadata,
  REASON_BLOCK,
  REASON_INPUT,
  renderOverrideModal,
} from '../render/render-override-modal.js';
import type { SlackLedger } from '../slack-ledger.js';
import { incidentButton } from './decision-buttons.js';

/**
 * "Approve anyway…" (offered with a guard refusal) opens a modal for the reason — `views.open` with
 * the click's trigger, which Slack accepts for 3 s only, so the modal opens before anything slow —
 * and its submission approves with that reason through the same core use case as any approval: the
 * policy, the two-person rule and the once-only guard all apply; the override is recorded.
 */
export function registerApproveAnyway(app: App, core: IncidentDeps, ledger: SlackLedger): void {
  app.action<BlockButtonAction>(
    /^override-/,
    incidentButton(
      core,
      ledger,
      async (v, _actor, { body, client }) => {
        const channel = body.channel?.id ?? body.container?.channel_id ?? '';
        const incident = await core.store.get(v.i);
        const title =
          core.runbooks.get(incident?.kind ?? '')?.actions.find((a) => a.id === v.a)?.title ?? v.a;
        await client.views.open({
          trigger_id: body.trigger_id,
          view: renderOverrideModal({ title, metadata: { ...v, c: channel } }),
        });
        return undefined;
      },
      'approve',
    ),
  );

  app.view(OVERRIDE_CALLBACK, async ({ ack, body, view, client }) => {
    const meta = parseOverrideMetadata(view.private_metadata);
    const reason = view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value?.trim() ?? '';
    if (!meta) {
      await ack({
        response_action: 'errors',
        errors: { [REASON_BLOCK]: 'This form is out of date: click the button again.' },
      });
      return;
    }
    if (reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [REASON_BLOCK]: 'Say why it must run although its guard failed.' },
      });
      return;
    }
    await ack();
    const tell = (text: string, blocks?: EphemeralAnswer['blocks']) =>
      client.chat.postEphemeral({
        channel: meta.c,
        user: body.user.id,
        text,
        ...(blocks ? { blocks } : {}),
      });
    try {
      if ((await ledger.incidentIn(meta.c)) !== meta.i) {
        await tell(`:no_entry: Not done: this belongs to incident ${meta.i}; use it in its channel.`);
        return;
      }
      const request = {
        incidentId: meta.i,
        actionId: meta.a,
        seenAttempts: meta.n,
        actor: { id: body.user.id, via: 'slack' as const },
        override: { reason },
      };
      const answer = renderDecisionAnswer(await approveAction(core, request), request);
      if (answer) await tell(answer.text, answer.blocks);
    } catch (err) {
      core.log.error({ err, incidentId: meta.i, actionId: meta.a }, 'approve anyway failed');
      await tell(`:x: Could not record your approval: ${explainFailure(err)}. Nothing ran.`).catch(
        () => undefined,
      );
    }
  });
}
