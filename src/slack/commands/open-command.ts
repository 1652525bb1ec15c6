import { isRefusedError } from '../../incidents/refused-error.js';
import { renderRefusal } from '../render/render-refusal.js';
import type { Subcommand } from './subcommand.js';

/** The summary Slack shows is short; the header clips it again (see render-header.ts). */
const MAX_SUMMARY = 500;

/**
 * `/incident <kind> [summary]`: acks at once ("a channel is on its way"), then records the incident
 * and queues its opening. Nothing to answer afterwards: the announcement tells the requester where.
 */
export const openCommand: Subcommand<{ kind: string; summary: string }> = {
  name: '<kind>',
  args: '[summary]',
  summary: (kinds) => `open an incident (kinds: ${kinds.map((k) => `\`${k}\``).join(', ')})`,
  parse: ([kind = '', ...rest]) => ({
    kind: kind.toLowerCase(),
    summary: rest.join(' ').slice(0, MAX_SUMMARY),
  }),
  ack: (args) => `:rotating_light: Opening a *${args.kind}* incident… a channel is on its way.`,
  async run(args, ctx, input) {
    try {
      await ctx.open({
        kind: args.kind,
        summary: args.summary,
        actor: { id: input.userId, via: 'slack' },
        origin: {
          channelId: input.channelId,
          ...(input.responseUrl ? { responseUrl: input.responseUrl } : {}),
        },
      });
    } catch (err) {
      // A refusal (an opening limit, a user id the record cannot hold) is an answer, not a failure.
      if (isRefusedError(err)) return `:no_entry: No incident was opened: ${renderRefusal(err.refusal)}.`;
      throw err;
    }
    return undefined;
  },
};
