/** What `/incident …` asked for. Pure, so every spelling is unit-tested. */
export type IncidentCommand =
  | { type: 'open'; kind: string; summary: string }
  | { type: 'status' }
  | { type: 'list' }
  /** `force` resolves even with mitigations still in place (`/incident resolve force`). */
  | { type: 'resolve'; force: boolean }
  | { type: 'help' }
  | { type: 'unknown'; word: string };

const SUBCOMMANDS = new Set(['status', 'list', 'resolve', 'help']);

export function parseIncidentCommand(text: string, kinds: ReadonlySet<string>): IncidentCommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  if (word === '' || word === 'help') return { type: 'help' };
  if (word === 'resolve') {
    return { type: 'resolve', force: rest.some((w) => /^(--)?force$/i.test(w)) };
  }
  if (SUBCOMMANDS.has(word)) return { type: word as 'status' | 'list' };
  if (kinds.has(word)) return { type: 'open', kind: word, summary: rest.join(' ').slice(0, 500) };
  return { type: 'unknown', word: first.slice(0, 40) };
}
