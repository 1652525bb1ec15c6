import { renderVerifyAnswer } from '../render/render-closing-replies.js';
import type { Subcommand } from './subcommand.js';

/** `/incident verify [all]`: runs the recovery checks due by now (`all`: every tier, the load test too). */
export const verifyCommand: Subcommand<{ all: boolean }> = {
  name: 'verify',
  args: '[all]',
  summary: () => 'run the recovery checks due now (in its channel); `all` runs every tier, the load test too',
  parse: (words) => ({ all: words.some((w) => /^(--)?all$/i.test(w)) }),
  ack: (args) => `:mag: Running the ${args.all ? '' : 'due '}recovery checks…`,
  async run(args, ctx, input) {
    const here = await ctx.incidentIn(input.channelId);
    if (!here) return '`/incident verify` works in an incident channel: run it there.';
    return renderVerifyAnswer(
      await ctx.verify(here.id, { id: input.userId, via: 'slack' }, args.all ? 'all' : 'due'),
    );
  },
};
