import { renderWorkers } from '../render/render-workers.js';
import type { Subcommand } from './subcommand.js';

/** `/incident workers`: who is on the hosts, alive or lately gone, and what is missing. */
export const workersCommand: Subcommand = {
  name: 'workers',
  summary: () => 'the workers on the hosts: who is alive, their roles, what is missing',
  parse: () => ({}),
  async run(_args, ctx) {
    const status = await ctx.workers();
    return status ? renderWorkers(status) : 'No worker registry here.';
  },
};
