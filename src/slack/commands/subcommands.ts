import { helpCommand } from './help-command.js';
import { listCommand } from './list-command.js';
import { noteCommand } from './note-command.js';
import { openCommand } from './open-command.js';
import { postmortemCommand } from './postmortem-command.js';
import { resolveCommand } from './resolve-command.js';
import { statusCommand } from './status-command.js';
import type { Subcommand } from './subcommand.js';
import { verifyCommand } from './verify-command.js';
import { workersCommand } from './workers-command.js';

/**
 * Every named `/incident` subcommand: parsing, dispatch and help all read this one table. A new
 * subcommand is one file and one line here. Kinds (`/incident 503`) are the open command.
 */
export const subcommands = {
  status: statusCommand,
  list: listCommand,
  resolve: resolveCommand,
  verify: verifyCommand,
  note: noteCommand,
  postmortem: postmortemCommand,
  workers: workersCommand,
  help: helpCommand,
} as const satisfies Record<string, Subcommand>;

type Table = typeof subcommands;
type ArgsOf<S> = S extends Subcommand<infer A> ? A : never;

/** What `/incident …` asked for: `{ type, ...arguments }`. Pure, so every spelling is unit-tested. */
export type IncidentCommand =
  | { [K in keyof Table]: { type: K } & ArgsOf<Table[K]> }[keyof Table]
  | ({ type: 'open' } & ArgsOf<typeof openCommand>)
  | { type: 'unknown'; word: string };

const UNKNOWN_WORD_MAX = 40;

function isNamed(word: string): word is keyof Table {
  return Object.hasOwn(subcommands, word);
}

export function parseIncidentCommand(text: string, kinds: ReadonlySet<string>): IncidentCommand {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const word = first.toLowerCase();
  if (word === '') return { type: 'help' };
  if (isNamed(word)) return { type: word, ...subcommands[word].parse(rest) } as IncidentCommand;
  if (kinds.has(word)) return { type: 'open', ...openCommand.parse([word, ...rest]) };
  return { type: 'unknown', word: first.slice(0, UNKNOWN_WORD_MAX) };
}

/** The table entry that handles a parsed command (the open command for a kind). */
export function subcommandFor(command: Exclude<IncidentCommand, { type: 'unknown' }>): Subcommand {
  return command.type === 'open' ? openCommand : subcommands[command.type];
}

/** `/incident help` and the answer to anything it does not understand, from the table. */
export function renderUsage(kinds: readonly string[], problem?: string): string {
  const line = (s: Subcommand) =>
    `• \`/incident ${s.name}${s.args ? ` ${s.args}` : ''}\` — ${s.summary(kinds)}`;
  return [
    ...(problem ? [`:warning: ${problem}`, ''] : []),
    '*Usage*',
    line(openCommand),
    ...Object.values(subcommands).map(line),
  ].join('\n');
}
