import { renderResolveAnswer } from '../render/render-command-replies.js';
import type { Subcommand } from './subcommand.js';

const FORCE = /^(--)?force$/i;

/**
 * `/incident resolve [force] [reason…]`, in the incident's channel. The words besides `force` are the
 * reason, recorded when the recovery checklist is not green yet (it is asked for then).
 */
export const resolveCommand: Subcommand<{ force: boolean; reason?: string }> = {
  name: 'resolve',
  args: '[force] [reason]',
  summary: () =>
    'resolve this incident (in its channel); `force` even with mitigations still in place; a reason when checks are not green',
  parse: (words) => {
    const reason = words
      .filter((w) => !FORCE.test(w))
      .join(' ')
      .trim();
    return { force: words.some((w) => FORCE.test(w)), ...(reason ? { reason } : {}) };
  },
  async run(args, ctx, input) {
    const here = await ctx.incidentIn(input.channelId);
    if (!here) return '`/incident resolve` works in an incident channel: run it there.';
    const result = await ctx.resolve(
      here.id,
      { id: input.userId, via: 'slack' },
      { force: args.force, ...(args.reason ? { reason: args.reason } : {}) },
    );
    return renderResolveAnswer(here.id, result);
  },
};
