import type { ActionState } from '../../../../src/incidents/action-state.js';
import type { Incident } from '../../../../src/incidents/incident.js';
import type { ResolveResult } from '../../../../src/incidents/resolve-incident.js';
import type { FleetStatus } from '../../../../src/incidents/worker-fleet.js';
import type { CommandContext, CommandInput } from '../../../../src/slack/commands/subcommand.js';
import { renderUsage } from '../../../../src/slack/commands/subcommands.js';
import type { RunChecksResult } from '../../../../src/verification/run-checks.js';
import { incident } from '../render/render-fixtures.js';

export const INCIDENT_CHANNEL = { id: 'C0INC00001', name: 'inc-20261125-503-k3f9' };

/** What a built context was asked to do, for the assertions. */
export interface Calls {
  opened: Parameters<CommandContext['open']>[0][];
  resolved: Parameters<CommandContext['resolve']>[];
  verified: Parameters<CommandContext['verify']>[];
  noted: Parameters<CommandContext['note']>[];
  postmortems: Parameters<CommandContext['writePostmortem']>[];
}

/**
 * A {@link CommandContext} over plain data: one incident (`incident()` of the render fixtures) in
 * INCIDENT_CHANNEL, its actions, and a resolve answer. The handlers run as they do in the bot.
 */
export function builtContext(
  data: {
    incidents?: Incident[];
    actions?: ActionState[];
    resolveResult?: ResolveResult;
    verifyResult?: RunChecksResult;
    fleet?: FleetStatus;
  } = {},
): { ctx: CommandContext; calls: Calls } {
  const incidents = data.incidents ?? [incident()];
  const calls: Calls = { opened: [], resolved: [], verified: [], noted: [], postmortems: [] };
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
    verify: async (...args) => {
      calls.verified.push(args);
      return data.verifyResult ?? { kind: 'no-checks' };
    },
    note: async (...args) => {
      calls.noted.push(args);
      return {
        kind: 'noted',
        entry: { seq: 9, at: '2026-11-25T10:00:00.000Z', type: 'note', text: args[2] },
      };
    },
    writePostmortem: async (...args) => {
      calls.postmortems.push(args);
      return { kind: 'written', version: 2, markdown: '# Postmortem' };
    },
    workers: async () => data.fleet,
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
