import type { Subcommand } from './subcommand.js';

/** The summary Slack shows is short; the header clips it again (see render-header.ts). */
const MAX_SUMMARY = 500;

/**
 * `/incident <kind> [summary]`: acks at once ("a channel is on its way"), then records the incident
 * and queues its opening. Nothing to answer afterwards: the announcement tells the requester where.
 */
export const openCommand: Subcommand<{ kind: string; summary: string; dryRun: boolean }> = {
  name: '<kind>',
  args: '[dry-run] [summary]',
  summary: (kinds) =>
    `open an incident (kinds: ${kinds.map((k) => `\`${k}\``).join(', ')}); \`dry-run\`: every action only says what it would do`,
  parse: ([kind = '', ...rest]) => {
    const dryRun = /^(--)?dry-?run$/i.test(rest[0] ?? '');
    return {
      kind: kind.toLowerCase(),
      summary: (dryRun ? rest.slice(1) : rest).join(' ').slice(0, MAX_SUMMARY),
      dryRun,
    };
  },
  ack: (args) =>
    args.dryRun
      ? `:test_tube: Opening a *${args.kind}* incident as a DRY RUN… a channel is on its way; nothing will be changed.`
      : `:rotating_light: Opening a *${args.kind}* incident… a channel is on its way.`,
  async run(args, ctx, input) {
    await ctx.open({
      kind: args.kind,
      summary: args.summary,
      ...(args.dryRun ? { dryRun: true } : {}),
      actor: { id: input.userId, via: 'slack' },
      origin: {
        channelId: input.channelId,
        ...(input.responseUrl ? { responseUrl: input.responseUrl } : {}),
      },
    });
    return undefined;
  },
};
