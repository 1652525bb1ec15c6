import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { runChecks } from '../../verification/run-checks.js';
import { tickCheck } from '../../verification/tick-check.js';
import type { ClosingServices } from '../closing-services.js';
import { explainFailure } from '../explain-failure.js';
import { renderActor } from '../render/render-actor.js';
import { decodeTickValue, TICK_ACTION_PREFIX, VERIFY_ACTION } from '../render/render-checklist.js';
import { renderVerifyAnswer } from '../render/render-closing-replies.js';
import { renderRefusal } from '../render/render-refusal.js';
import type { SlackLedger } from '../slack-ledger.js';
import { ephemeralReply } from './ephemeral-reply.js';

const verifyValue = z.strictObject({ i: z.string().min(1) });

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * The live checklist's buttons: "Verify now" runs the due checks, "Mark done" records who ticked a
 * check that needs a person. Acked at once; the once-only guard of a tick is in Redis. Like the
 * action buttons, they work only in the incident's own channel.
 */
export function registerChecklistButtons(app: App, closing: ClosingServices, ledger: SlackLedger): void {
  const inHome = async (args: ButtonArgs, incidentId: string): Promise<boolean> => {
    const channelId = args.body.channel?.id ?? args.body.container?.channel_id;
    return channelId !== undefined && (await ledger.incidentIn(channelId)) === incidentId;
  };
  const say = (args: ButtonArgs, text: string) => ephemeralReply(args.respond)(text);

  app.action<BlockButtonAction>(VERIFY_ACTION, async (args) => {
    await args.ack();
    const value = (() => {
      try {
        return verifyValue.parse(JSON.parse(args.action.value ?? ''));
      } catch {
        return undefined;
      }
    })();
    if (!value || !(await inHome(args, value.i))) {
      return void (await say(args, ':warning: This button does not belong here; nothing was run.'));
    }
    try {
      const actor = { id: args.body.user.id, via: 'slack' as const };
      const result = await runChecks(closing.verification, value.i, {
        scope: 'due',
        trigger: 'request',
        actor,
      });
      await say(args, renderVerifyAnswer(result));
    } catch (err) {
      closing.verification.log.error({ err, incidentId: value.i }, 'verify button failed');
      await say(args, `:x: Could not run the checks: ${explainFailure(err)}. Try again in a moment.`);
    }
  });

  app.action<BlockButtonAction>(new RegExp(`^${TICK_ACTION_PREFIX}`), async (args) => {
    await args.ack();
    const value = decodeTickValue(args.action.value);
    if (!value || !(await inHome(args, value.i))) {
      return void (await say(args, ':warning: This button does not belong here; nothing was recorded.'));
    }
    try {
      const result = await tickCheck(closing.verification, value.i, value.c, {
        id: args.body.user.id,
        via: 'slack',
      });
      if (result.kind === 'already-ticked') {
        const by = result.result?.by ? ` by ${renderActor(result.result.by, result.result.via)}` : '';
        await say(args, `:information_source: Already ticked${by}; nothing was recorded twice.`);
      } else if (result.kind === 'refused') {
        await say(args, `:no_entry: Not recorded: ${renderRefusal(result.refusal)}.`);
      } else if (result.kind === 'not-tickable') {
        await say(args, ':warning: That check is measured by probes; it cannot be ticked by hand.');
      }
    } catch (err) {
      closing.verification.log.error({ err, incidentId: value.i }, 'tick button failed');
      await say(args, `:x: Could not record the tick: ${explainFailure(err)}. Try again in a moment.`);
    }
  });
}
