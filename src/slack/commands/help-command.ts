import type { Subcommand } from './subcommand.js';

/** `/incident help`: usage, in the ack itself. */
export const helpCommand: Subcommand = {
  name: 'help',
  summary: () => 'this message',
  parse: () => ({}),
  ack: (_args, ctx) => ctx.usage(),
};
