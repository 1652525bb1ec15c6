// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isFirebreakError } from '../../../src/errors.js';
import { loadRunbooks, parseRunbook } from '../../../src/runbooks/load-runbooks.js';

/** A valid runbook as a plain object; each test breaks one thing. */
// biome-ignore lint/suspicious/noExplicitAny: tests mutate the raw document into invalid shapes on purpose.
function valid(): any {
  return {
    kind: 'demo',
    title: 'Demo',
    probes: [
      {
        id: 'cpu',
        title: 'CPU',
        step: 1,
        check: { type: 'host', metric: 'cpu' },
        threshold: { critical: 80 },
      },
    ],
    scenarios: [{ id: 'hot', number: 1, title: 'Hot', detect: { probe: 'cpu', op: '>', value: 80 } }],
    groups: [
      { id: 'P1', title: 'Now', deadline: '30s' },
      { id: 'normalize', title: 'After', offer: 'after-recovery' },
    ],
    actions: [
      {
        id: 'limit',
        title: 'Limit',
        group: 'P1',
        run: { type: 'http', method: 'POST', url: '${X:-http://x}/a' },
        undo: 'unlimit',
      },
      { id: 'unlimit', title: 'Unlimit', group: 'normalize', run: { type: 'wait', duration: '1s' } },
      {
        id: 'reload',
        title: 'Reload',
        group: 'P1',
        run: { type: 'process', command: ['nginx', '-s', 'reload'] },
      },
      { id: 'flush', title: 'Flush', group: 'P1', run: { type: 'http', method: 'POST', url: 'http://x/f' } },
    ],
  };
}

/** The loader's message for a runbook after `mutate`; fails the test when it loads. */
function errorFor(mutate: (runbook: ReturnType<typeof valid>) => void): string {
  const runbook = valid();
  mutate(runbook);
  return errorForText(stringify(runbook));
}

function errorForText(text: string): string {
  try {
    parseRunbook(text, 'commands/bad.yaml');
  } catch (err) {
    expect(isFirebreakError(err, 'runbook_invalid')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the runbook loaded, but it should not have');
}

describe('parseRunbook accepts', () => {
  it('the base document of these tests', () => {
    expect(parseRunbook(stringify(valid()), 'ok.yaml').actions).toHaveLength(4);
  });
});

describe('parseRunbook rejects, naming file, line, field path and expectation', () => {
  it('an unknown key', () => {
    const message = errorFor((r) => {
      r.actions[0].rn = 'typo';
    });
    expect(message).toMatch(/commands\/bad\.yaml:\d+: actions\[0\]\.rn: unknown key/);
  });

  it('a wrong type', () => {
    const message = errorFor((r) => {
      r.probes[0].step = 'one';
    });
    expect(message).toMatch(/commands\/bad\.yaml:\d+: probes\[0\]\.step: .*expected number, received string/);
  });

  it('a value outside an enum', () => {
    const message = errorFor((r) => {
      r.actions[3].run.method = 'FETCH';
    });
    expect(message).toMatch(/commands\/bad\.yaml:\d+: actions\[3\]\.run\.method: .*expected one of "GET"\|/);
  });

  it('a missing required field', () => {
    const message = errorFor((r) => {
      delete r.actions[1].title;
    });
    expect(message).toContain('commands/bad.yaml');
    expect(message).toMatch(/actions\[1\]\.title: .*expected string, received undefined/);
  });

  it('a malformed duration', () => {
    const message = errorFor((r) => {
      r.groups[0].deadline = '30 seconds';
    });
    expect(message).toMatch(/commands\/bad\.yaml:\d+: groups\[0\]\.deadline: a duration like "500ms", "30s"/);
  });

  it('an id that is not a lowercase slug', () => {
    const message = errorFor((r) => {
      r.actions[2].id = 'Reload_Nginx';
    });
    expect(message).toMatch(/commands\/bad\.yaml:\d+: actions\[2\]\.id: a lowercase id of a-z, 0-9 and "-"/);
  });

  it('a duplicate id', () => {
    const message = errorFor((r) => {
      r.actions[3].id = 'reload';
    });
    expect(message).toMatch(/commands\/bad\.yaml:\d+: actions\[3\]\.id: duplicate id "reload"/);
  });

  it('an undo naming a missing action', () => {
    const message = errorFor((r) => {
      r.actions[0].undo = 'restore';
    });
    expect(message).toMatch(/commands\/bad\.yaml:\d+: actions\[0\]\.undo: unknown action "restore"/);
  });

  it('a scenario condition naming an unknown probe, listing the known ones', () => {
    const message = errorFor((r) => {
      r.scenarios[0].detect = {
        any: [
          { probe: 'cpu', op: '>', value: 1 },
          { probe: 'gpu', verdict: ['critical'] },
        ],
      };
    });
    expect(message).toMatch(
      /commands\/bad\.yaml:\d+: scenarios\[0\]\.detect: unknown probe "gpu" \(probes: cpu\)/,
    );
  });

  it('an action guard naming an unknown probe', () => {
    const message = errorFor((r) => {
      r.actions[2].when = { probe: 'memory', op: '>', value: 85 };
    });
    expect(message).toMatch(/actions\[2\]\.when: unknown probe "memory"/);
  });

  it('an unknown group', () => {
    const message = errorFor((r) => {
      r.actions[3].group = 'P9';
    });
    expect(message).toMatch(
      /commands\/bad\.yaml:\d+: actions\[3\]\.group: unknown group "P9" \(groups: P1, normalize\)/,
    );
  });

  it('invalid YAML, with its line', () => {
    const message = errorForText('kind: demo\ntitle: "unterminated\nprobes: []\n');
    expect(message).toMatch(/^invalid YAML\ncommands\/bad\.yaml:\d+: /);
    expect(errorForText('kind: demo\ntitle: Demo\nsummary: a: b\n')).toMatch(
      /commands\/bad\.yaml:3: Nested mappings/,
    );
  });

  it('a duplicate YAML key, with its line', () => {
    expect(errorForText('kind: demo\ntitle: a\ntitle: b\n')).toMatch(
      /commands\/bad\.yaml:3: Map keys must be unique/,
    );
  });
});

describe('loadRunbooks rejects a directory', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('where two files define the same kind', async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebreak-runbooks-'));
    await writeFile(join(dir, 'a.yaml'), stringify(valid()));
    await writeFile(join(dir, 'b.yml'), stringify(valid()));
    await expect(loadRunbooks(dir)).rejects.toThrow(/b\.yml: kind "demo" is also defined in .*a\.yaml/);
  });

  it('without runbooks', async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebreak-runbooks-'));
    await writeFile(join(dir, 'notes.txt'), 'not a runbook');
    await expect(loadRunbooks(dir)).rejects.toThrow(/no runbooks \(\*\.yaml\) in .*: check RUNBOOK_DIR/);
  });

  it('that does not exist', async () => {
    await expect(loadRunbooks(join(tmpdir(), 'firebreak-no-such-dir'))).rejects.toThrow(
      /cannot read runbook directory .*firebreak-no-such-dir: check RUNBOOK_DIR/,
    );
  });
});
