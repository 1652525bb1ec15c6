import type { ActionState } from '../../../../src/incidents/action-state.js';
import type { Incident } from '../../../../src/incidents/incident.js';
import type { ResolveResult } from '../../../../src/incidents/resolve-incident.js';
import type { CommandContext, CommandInput } from '../../../../src/slack/commands/subcommand.js';
import { renderUsage } from '../../../../src/slack/commands/subcommands.js';
import { incident } from '../render/render-fixtures.js';

export const INCIDENT_CHANNEL = { id: 'C0INC00001', name: 'inc-20261125-503-k3f9' };

/** What a built context was asked to do, for the assertions. */
export interface Calls {
  opened: Parameters<CommandContext['open']>[0][];
  resolved: Parameters<CommandContext['resolve']>[];
}

/**
 * A {@link CommandContext} over plain data: one incident (`incident()` of the render fixtures) in
 * INCIDENT_CHANNEL, its actions, and a resolve answer. The handlers run as they do in the bot.
 */
export function builtContext(
  data: { incidents?: Incident[]; actions?: ActionState[]; resolveResult?: ResolveResult } = {},
): { ctx: CommandContext; calls: Calls } {
  const incidents = data.incidents ?? [incident()];
  const calls: Calls = { opened: [], resolved: [] };
  const kinds = ['503', 'redis-memory'];
  const ctx: CommandContext = {
    kinds,
    usage: (problem) => renderUsage(kinds, problem),
    incidentIn: async (channelId) => (channelId === INCIDENT_CHANNEL.id ? incidents[0] : undefined),
    actionsOf: async () => data.actions ?? [],
    openIncidents: async () => incidents.filter((i) => i.status !== 'resolved'),
    alertIncidentOf: async (kind) =>
      incidents.findLast((i) => i.kind === kind && i.status !== 'resolved' && i.openedVia === 'alertmanager'),
    recentIncidents: async (limit) => incidents.slice(0, limit),
    channelsOf: async (ids) =>
      new Map(ids.filter((id) => id === incidents[0]?.id).map((id) => [id, INCIDENT_CHANNEL])),
    open: async (request) => {
      calls.opened.push(request);
      return incident({ status: 'opening', kind: request.kind });
    },
    resolve: async (...args) => {
      calls.resolved.push(args);
      return (
        data.resolveResult ?? {
          kind: 'resolved',
          incident: incident({ status: 'resolved' }),
          stillApplied: [],
        }
      );
    },
  };
  return { ctx, calls };
}

export const input = (overrides: Partial<CommandInput> = {}): CommandInput => ({
  text: '',
  userId: 'U0BOB00002',
  channelId: 'C0GENERAL1',
  responseUrl: 'https://hooks.slack.com/commands/T0/1/abc',
  ...overrides,
});
