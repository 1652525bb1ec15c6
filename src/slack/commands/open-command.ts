import { renderOpenPointer } from '../render/render-open-pointer.js';
import type { Subcommand } from './subcommand.js';

/** The summary Slack shows is short; the header clips it again (see render-header.ts). */
const MAX_SUMMARY = 500;

/**
 * `/incident <kind> [new] [summary]`: acks at once, then records the incident and queues its opening;
 * the announcement tells the requester where. While an incident an alert opened of that kind is open,
 * it points there instead (the on-call engineer who got the page types `/incident 503` too); `new`
 * opens a second one on purpose.
 */
export const openCommand: Subcommand<{ kind: string; summary: string; new?: true }> = {
  name: '<kind>',
  args: '[new] [summary]',
  summary: (kinds) =>
    `open an incident (kinds: ${kinds.map((k) => `\`${k}\``).join(', ')}); \`new\`: a second one while an alert's is open`,
  parse: ([kind = '', ...rest]) => {
    const again = rest[0]?.toLowerCase() === 'new';
    return {
      kind: kind.toLowerCase(),
      summary: (again ? rest.slice(1) : rest).join(' ').slice(0, MAX_SUMMARY),
      ...(again ? { new: true as const } : {}),
    };
  },
  // Before any I/O: whether an alert's incident is open is known only after a Redis read.
  ack: (args) => `:rotating_light: Opening a *${args.kind}* incident…`,
  async run(args, ctx, input) {
    if (!args.new) {
      const alerted = await ctx.alertIncidentOf(args.kind);
      if (alerted) return renderOpenPointer(alerted, (await ctx.channelsOf([alerted.id])).get(alerted.id));
    }
    await ctx.open({
      kind: args.kind,
      summary: args.summary,
      actor: { id: input.userId, via: 'slack' },
      origin: {
        channelId: input.channelId,
        ...(input.responseUrl ? { responseUrl: input.responseUrl } : {}),
      },
    });
    return undefined;
  },
};
