import { renderIncidentList } from '../render/render-command-replies.js';
import type { Subcommand } from './subcommand.js';

/** `/incident list`: the 20 most recent incidents, open or not, with their channels. */
export const listCommand: Subcommand = {
  name: 'list',
  summary: () => 'recent incidents',
  parse: () => ({}),
  async run(_args, ctx) {
    const incidents = await ctx.recentIncidents(20);
    return renderIncidentList(
      incidents,
      'Recent incidents',
      await ctx.channelsOf(incidents.map((i) => i.id)),
    );
  },
};
