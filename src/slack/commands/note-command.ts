import { renderNoteAnswer } from '../render/render-closing-replies.js';
import type { Subcommand } from './subcommand.js';

/** `/incident note <text>`: a line of the human story, in the timeline with its author. */
export const noteCommand: Subcommand<{ text: string }> = {
  name: 'note',
  args: '<text>',
  summary: () => "add a note to this incident's timeline (in its channel); it goes into the postmortem",
  parse: (words) => ({ text: words.join(' ').trim() }),
  ack: (args) => (args.text ? undefined : 'Write the note after the command: `/incident note <text>`.'),
  async run(args, ctx, input) {
    if (!args.text) return undefined;
    const here = await ctx.incidentIn(input.channelId);
    if (!here) return '`/incident note` works in an incident channel: run it there.';
    // The text as typed, line breaks and all, rather than the words re-joined.
    const text = input.text.trim().replace(/^\S+\s*/, '') || args.text;
    return renderNoteAnswer(await ctx.note(here.id, { id: input.userId, via: 'slack' }, text));
  },
};
