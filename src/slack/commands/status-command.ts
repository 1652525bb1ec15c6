import { renderIncidentList, renderIncidentStatus } from '../render/render-command-replies.js';
import type { Subcommand } from './subcommand.js';

/** `/incident status`: in an incident channel, that incident; anywhere else, the open ones. */
export const statusCommand: Subcommand = {
  name: 'status',
  summary: () => 'this incident (in its channel) or the open ones',
  parse: () => ({}),
  async run(_args, ctx, input) {
    const here = await ctx.incidentIn(input.channelId);
    if (here) {
      const channels = await ctx.channelsOf([here.id]);
      return renderIncidentStatus(here, await ctx.actionsOf(here.id), channels.get(here.id));
    }
    const open = await ctx.openIncidents();
    return renderIncidentList(open, 'Open incidents', await ctx.channelsOf(open.map((i) => i.id)));
  },
};
