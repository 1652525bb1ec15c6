import { renderPostmortemAnswer } from '../render/render-closing-replies.js';
import type { Subcommand } from './subcommand.js';

/** `/incident postmortem`: writes the postmortem now (it is also written on resolve) and posts it as a file. */
export const postmortemCommand: Subcommand = {
  name: 'postmortem',
  summary: () => "write this incident's postmortem now and post it to the thread as a file (in its channel)",
  parse: () => ({}),
  ack: () => ':writing_hand: Writing the postmortem from the timeline…',
  async run(_args, ctx, input) {
    const here = await ctx.incidentIn(input.channelId);
    if (!here) return '`/incident postmortem` works in an incident channel: run it there.';
    return renderPostmortemAnswer(
      here.id,
      await ctx.writePostmortem(here.id, { id: input.userId, via: 'slack' }),
    );
  },
};
