import { renderResolveAnswer } from '../render/render-command-replies.js';
import type { Subcommand } from './subcommand.js';

/** `/incident resolve [force]`, in the incident's channel. */
export const resolveCommand: Subcommand<{ force: boolean }> = {
  name: 'resolve',
  args: '[force]',
  summary: () => 'resolve this incident (in its channel); `force` even with mitigations still in place',
  parse: (words) => ({ force: words.some((w) => /^(--)?force$/i.test(w)) }),
  async run(args, ctx, input) {
    const here = await ctx.incidentIn(input.channelId);
    if (!here) return '`/incident resolve` works in an incident channel: run it there.';
    const result = await ctx.resolve(here.id, { id: input.userId, via: 'slack' }, { force: args.force });
    return renderResolveAnswer(here.id, result);
  },
};
