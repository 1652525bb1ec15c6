import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import { openIncident } from '../../incidents/open-incident.js';
import { resolveIncident } from '../../incidents/resolve-incident.js';
import type { FirebreakMetrics } from '../../metrics/metrics.js';
import { explainFailure } from '../explain-failure.js';
import {
  renderIncidentList,
  renderIncidentStatus,
  renderResolveAnswer,
  renderUsage,
} from '../render/render-command-replies.js';
import { parseIncidentCommand } from './parse-incident-command.js';

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

/**
 * `/incident`: acks at once (Slack allows 3 s; Redis or a target may be slow), then does the work
 * and answers through the response_url. Nothing here touches a production system.
 */
export function registerIncidentCommand(app: App, deps: IncidentDeps, metrics: FirebreakMetrics): void {
  app.command('/incident', async ({ command, ack, respond }) => {
    const kinds = [...deps.runbooks.keys()].sort();
    const parsed = parseIncidentCommand(command.text, new Set(kinds));
    if (parsed.type === 'help') return void (await ack(ephemeral(renderUsage(kinds))));
    if (parsed.type === 'unknown') {
      return void (await ack(
        ephemeral(renderUsage(kinds, `\`${parsed.word}\` is neither an incident kind nor a command.`)),
      ));
    }
    if (parsed.type === 'open') {
      await ack(ephemeral(`:rotating_light: Opening a *${parsed.kind}* incident… a channel is on its way.`));
    } else {
      await ack();
    }
    try {
      await handle(deps, command, respond, parsed);
      if (parsed.type === 'open') metrics.incidentsOpened.inc({ kind: parsed.kind });
    } catch (err) {
      deps.log.error({ err, subcommand: parsed.type }, '/incident failed');
      const why = explainFailure(err);
      const text =
        parsed.type === 'open'
          ? `:x: No incident was opened: ${why}. Try again in a moment; if it goes on, follow the runbook by hand.`
          : `:x: Sorry — that did not work: ${why}. Nothing was changed; try again in a moment.`;
      await respond(ephemeral(text)).catch((e) =>
        deps.log.error({ err: e }, 'could not answer via response_url'),
      );
    }
  });
}

async function handle(
  deps: IncidentDeps,
  command: SlashCommand,
  respond: RespondFn,
  parsed: ReturnType<typeof parseIncidentCommand>,
): Promise<void> {
  switch (parsed.type) {
    case 'open': {
      await openIncident(deps, {
        kind: parsed.kind,
        summary: parsed.summary,
        userId: command.user_id,
        channelId: command.channel_id,
        responseUrl: command.response_url,
      });
      return;
    }
    case 'status': {
      const here = await deps.store.findByChannel(command.channel_id);
      if (here) {
        await respond(ephemeral(renderIncidentStatus(here, await deps.store.listActions(here.id))));
      } else {
        await respond(ephemeral(renderIncidentList(await deps.store.listOpen(), 'Open incidents')));
      }
      return;
    }
    case 'list':
      await respond(ephemeral(renderIncidentList(await deps.store.listRecent(20), 'Recent incidents')));
      return;
    case 'resolve': {
      const here = await deps.store.findByChannel(command.channel_id);
      if (!here) {
        await respond(ephemeral('`/incident resolve` works in an incident channel: run it there.'));
        return;
      }
      const result = await resolveIncident(deps, here.id, command.user_id, { force: parsed.force });
      await respond(ephemeral(renderResolveAnswer(here.id, result)));
      return;
    }
    default:
      return;
  }
}
