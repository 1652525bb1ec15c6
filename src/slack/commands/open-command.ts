import { renderOpenPointer } from '../render/render-open-pointer.js';
import type { Subcommand } from './subcommand.js';

/** The summary Slack shows is short; the header clips it again (see render-header.ts). */
const MAX_SUMMARY = 500;

/**
 * `/incident <kind> [new] [dry-run] [summary]`: acks at once, then records the incident and queues its opening;
 * the announcement tells the requester where. While an incident an alert opened of that kind is open,
 * it points there instead (the on-call engineer who got the page types `/incident 503` too); `new`
 * opens a second one on purpose. `dry-run` opens a rehearsal: the whole flow, no action changes anything.
 */
export const openCommand: Subcommand<{ kind: string; summary: string; new?: true; dryRun?: true }> = {
  name: '<kind>',
  args: '[new] [dry-run] [summary]',
  summary: (kinds) =>
    `open an incident (kinds: ${kinds.map((k) => `\`${k}\``).join(', ')}); \`new\`: a second one while an alert's is open; \`dry-run\`: every action only says what it would do`,
  parse: ([kind = '', ...rest]) => {
    // The flags lead the summary, in either order: `503 new dry-run checkout down`.
    const flags = new Set<string>();
    let words = rest;
    for (const word of rest.slice(0, 2)) {
      const flag =
        word.toLowerCase() === 'new' ? 'new' : /^(--)?dry-?run$/i.test(word) ? 'dry-run' : undefined;
      if (!flag || flags.has(flag)) break;
      flags.add(flag);
      words = words.slice(1);
    }
    return {
      kind: kind.toLowerCase(),
      summary: words.join(' ').slice(0, MAX_SUMMARY),
      ...(flags.has('new') ? { new: true as const } : {}),
      ...(flags.has('dry-run') ? { dryRun: true as const } : {}),
    };
  },
  // Before any I/O: whether an alert's incident is open is known only after a Redis read.
  ack: (args) =>
    args.dryRun
      ? `:test_tube: Opening a *${args.kind}* incident as a DRY RUN… nothing will be changed.`
      : `:rotating_light: Opening a *${args.kind}* incident…`,
  async run(args, ctx, input) {
    // A rehearsal is never the alert's incident: it opens its own.
    if (!args.new && !args.dryRun) {
      const alerted = await ctx.alertIncidentOf(args.kind);
      if (alerted) return renderOpenPointer(alerted, (await ctx.channelsOf([alerted.id])).get(alerted.id));
    }
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
