import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import type { Runbook } from '../../../src/runbooks/runbook-schema.js';

const seed = (await loadRunbooks('commands')).get('503') as Runbook;
const coverage = await readFile('docs/runbook-coverage.md', 'utf8');

/** Shell commands of a `source:`, one per entry: `\` continuations and open quotes joined, blanks collapsed. */
function commandsOf(source: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const line of source.replace(/\\\n\s*/g, ' ').split('\n')) {
    pending = pending ? `${pending} ${line}` : line;
    if ((pending.match(/'/g)?.length ?? 0) % 2 === 0) {
      commands.push(pending);
      pending = '';
    }
  }
  if (pending) commands.push(pending);
  return commands.map((c) => c.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** The first table's rows as [seed command cell, entry cell], with `\|` unescaped. */
function commandRows(markdown: string): Array<{ command: string; entries: string[] }> {
  const table = markdown.split('## Commands')[1]?.split('\n## ')[0] ?? '';
  return table
    .split('\n')
    .filter((line) => /^\| \d+\s+\|/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
      const entries = [...(cells[3] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
      return { command: (cells[2] ?? '').replace(/\s+/g, ' '), entries };
    });
}

/** `monitoring.queries[0]` → the value at that path of the loaded runbook. */
function valueAt(runbook: Runbook, path: string): unknown {
  let current: unknown = runbook;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

describe('docs/runbook-coverage.md', () => {
  const rows = commandRows(coverage);
  const text = rows.map((row) => row.command).join('\n');

  it('has a row for every command of every source: in 503.yaml', () => {
    const sources = [...seed.probes, ...seed.actions].flatMap((entry) =>
      entry.source ? commandsOf(entry.source).map((command) => ({ id: entry.id, command })) : [],
    );
    expect(sources.length).toBeGreaterThan(50);
    for (const { id, command } of sources) expect(text, `${id}: ${command}`).toContain(command);
  });

  it('names only entries that exist in 503.yaml', () => {
    const ids = new Set(
      [seed.probes, seed.actions, seed.scenarios, seed.checklist, seed.groups].flatMap((list) =>
        list.map((e) => e.id),
      ),
    );
    const entries = rows.flatMap((row) => row.entries);
    const otherTable = coverage.split('## Checks and other content')[1] ?? '';
    const otherEntries = otherTable
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Seed text'))
      .flatMap((line) => [...(line.split('|')[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string));
    expect(otherEntries.length).toBeGreaterThan(10);
    expect(entries.length).toBeGreaterThan(70);
    for (const entry of [...entries, ...otherEntries]) {
      if (/^[a-z0-9][a-z0-9-]*$/.test(entry) && !entry.includes('.')) {
        expect(ids, entry).toContain(entry);
      } else {
        expect(valueAt(seed, entry), entry).toBeDefined();
      }
    }
  });

  it('numbers its rows in order without gaps', () => {
    const numbers = [...coverage.matchAll(/^\| (\d+)\s+\|/gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });
});
