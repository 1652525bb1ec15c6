import { describe, expect, it } from 'vitest';
import { helpCommand } from '../../../../src/slack/commands/help-command.js';
import { renderUsage, subcommandFor, subcommands } from '../../../../src/slack/commands/subcommands.js';
import { builtContext } from './command-context-fixture.js';

describe('the /incident subcommand table', () => {
  it('gives every subcommand an answer: an ack, some work, or both', () => {
    for (const [name, sub] of Object.entries(subcommands)) {
      expect(sub.name, name).toBe(name);
      expect(Boolean(sub.ack || sub.run), name).toBe(true);
    }
  });

  it('builds the help from the same table, one line per subcommand', () => {
    const usage = renderUsage(['503']);
    for (const name of Object.keys(subcommands)) expect(usage).toContain(`\`/incident ${name}`);
    expect(usage.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(
      Object.keys(subcommands).length + 1,
    );
  });

  it('dispatches a kind to the open command and a name to its entry', () => {
    expect(subcommandFor({ type: 'open', kind: '503', summary: '' }).name).toBe('<kind>');
    expect(subcommandFor({ type: 'resolve', force: false })).toBe(subcommands.resolve);
  });

  it('answers help in the ack itself', () => {
    const { ctx } = builtContext();
    expect(helpCommand.ack?.({}, ctx)).toBe(renderUsage(ctx.kinds));
    expect(helpCommand.run).toBeUndefined();
  });
});
