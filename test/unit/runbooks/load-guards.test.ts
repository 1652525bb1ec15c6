import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/firebreak.js';
import { isFirebreakError } from '../../../src/errors.js';
import { loadRunbooks, parseRunbook } from '../../../src/runbooks/load-runbooks.js';
import { reservedKinds } from '../../../src/slack/commands/subcommands.js';

let shipped: string;
beforeAll(async () => {
  shipped = await readFile('commands/503.yaml', 'utf8');
});
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The shipped 503 runbook under another kind: a complete, valid file but for that. */
const shippedAs = (kind: string) => shipped.replace(/^kind: .*$/m, `kind: "${kind}"`);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isFirebreakError(err, 'runbook_invalid')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('it loaded, but it should not have');
}

describe('runbook kinds that collide with /incident subcommands', () => {
  it('are refused at load, naming the file, the line and the command that owns the word', () => {
    const reserved = reservedKinds();
    expect([...reserved.keys()]).toEqual(expect.arrayContaining(['help', 'list', 'resolve', 'status']));
    for (const word of reserved.keys()) {
      const message = messageOf(() =>
        parseRunbook(shippedAs(word), 'commands/x.yaml', { reservedKinds: reserved }),
      );
      expect(message).toMatch(
        new RegExp(
          `commands/x\\.yaml:\\d+: kind: "${word}" is taken by the /incident ${word} command.*rename the kind`,
        ),
      );
    }
    // The core loader knows no surface: without the surface's words, the same file loads.
    expect(parseRunbook(shippedAs('status'), 'commands/x.yaml').kind).toBe('status');
  });

  it('are refused by the bot at start and by `firebreak validate`', async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebreak-reserved-'));
    await writeFile(join(dir, 'status.yaml'), shippedAs('status'));
    const out: string[] = [];
    const err: string[] = [];
    expect(await runCli(['validate', dir], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(1);
    expect(err.join('\n')).toContain('is taken by the /incident status command');
    await expect(loadRunbooks(dir, { reservedKinds: reservedKinds() })).rejects.toThrow(
      /status\.yaml:\d+: kind: "status" is taken/,
    );
  });
});

describe('a YAML alias bomb', () => {
  it('is refused with the file named, before it expands', () => {
    let yaml = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
    let previous = 'a';
    for (let i = 0; i < 9; i++) {
      yaml += `b${i}: &b${i} [${Array(10).fill(`*${previous}`).join(',')}]\n`;
      previous = `b${i}`;
    }
    const message = messageOf(() => parseRunbook(yaml, 'commands/bomb.yaml'));
    expect(message).toContain('commands/bomb.yaml: Excessive alias count');
  });
});
