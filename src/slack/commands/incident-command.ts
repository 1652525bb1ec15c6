import type { App } from '@slack/bolt';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import type { ClosingServices } from '../closing-services.js';
import { explainFailure } from '../explain-failure.js';
import type { FirstDelivery } from '../once-per-delivery.js';
import type { SlackLedger } from '../slack-ledger.js';
import { commandContext } from './command-context.js';
import { parseIncidentCommand, subcommandFor } from './subcommands.js';

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

/**
 * `/incident`: parses against the subcommand table, acks at once (Slack allows 3 s; Redis or a target
 * may be slow) with what needs no I/O, then runs the subcommand and answers through the
 * response_url. Nothing here touches a production system.
 */
export function registerIncidentCommand(
  app: App,
  core: IncidentDeps,
  ledger: SlackLedger,
  closing: ClosingServices,
): void {
  const ctx = commandContext(core, ledger, closing);
  app.command('/incident', async ({ command, ack, respond, context }) => {
    const parsed = parseIncidentCommand(command.text, new Set(ctx.kinds));
    if (parsed.type === 'unknown') {
      return void (await ack(
        ephemeral(ctx.usage(`\`${parsed.word}\` is neither an incident kind nor a command.`)),
      ));
    }
    const sub = subcommandFor(parsed);
    const early = sub.ack?.(parsed, ctx);
    await (early === undefined ? ack() : ack(ephemeral(early)));
    if (!sub.run) return;
    // The same signed command again (a replay: same trigger_id) was acknowledged, and does nothing more.
    if (!(await ((context.firstDelivery as FirstDelivery | undefined) ?? true))) {
      core.log.warn({ subcommand: parsed.type }, 'a slash command arrived twice (same trigger_id); ignored');
      return;
    }
    const input = {
      text: command.text,
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
    };
    try {
      const answer = await sub.run(parsed, ctx, input);
      if (answer !== undefined) await respond(ephemeral(answer));
    } catch (err) {
      core.log.error({ err, subcommand: parsed.type }, '/incident failed');
      const why = explainFailure(err);
      const text =
        parsed.type === 'open'
          ? `:x: No incident was opened: ${why}. Try again in a moment; if it goes on, follow the runbook by hand.`
          : `:x: Sorry — that did not work: ${why}. Nothing was changed; try again in a moment.`;
      await respond(ephemeral(text)).catch((e) =>
        core.log.error({ err: e }, 'could not answer via response_url'),
      );
    }
  });
}
