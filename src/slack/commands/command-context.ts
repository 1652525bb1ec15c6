import { addToTimeline } from '../../incidents/add-note.js';
import { findOpenIncident } from '../../incidents/find-open-incident.js';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import { openIncident } from '../../incidents/open-incident.js';
import { resolveIncident } from '../../incidents/resolve-incident.js';
import { writePostmortem } from '../../postmortem/write-postmortem.js';
import { runChecks } from '../../verification/run-checks.js';
import type { ClosingServices } from '../closing-services.js';
import type { SlackLedger } from '../slack-ledger.js';
import type { CommandContext } from './subcommand.js';
import { renderUsage } from './subcommands.js';

/** The handlers' context, bound to the incident core, the checklist and postmortem, and the Slack ledger. */
export function commandContext(
  core: IncidentDeps,
  ledger: SlackLedger,
  closing: ClosingServices,
): CommandContext {
  const kinds = [...core.runbooks.keys()].sort();
  return {
    kinds,
    usage: (problem) => renderUsage(kinds, problem),
    async incidentIn(channelId) {
      const id = await ledger.incidentIn(channelId);
      return id ? core.store.get(id) : undefined;
    },
    actionsOf: (id) => core.store.listActions(id),
    openIncidents: () => core.store.listOpen(),
    alertIncidentOf: (kind) => findOpenIncident(core.store, kind, { openedVia: 'alertmanager' }),
    recentIncidents: (limit) => core.store.listRecent(limit),
    channelsOf: (ids) => ledger.channelsOf(ids),
    open: ({ origin, ...request }) =>
      openIncident(core, { ...request, recorded: (incident) => ledger.saveOrigin(incident.id, origin) }),
    resolve: (id, actor, options) => resolveIncident(core, id, actor, options),
    verify: (id, actor, scope) => runChecks(closing.verification, id, { scope, trigger: 'request', actor }),
    note: (id, actor, text) => addToTimeline(core, id, actor, { text }),
    writePostmortem: (id, actor) => writePostmortem(closing.postmortem, id, actor),
    workers: async () => core.workers?.status(),
  };
}
