import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the project's rules (the same command `npm test` runs) over a tree; returns the violations. */
async function violations(cwd: string): Promise<Violation[]> {
  const { stdout } = await run(DEPCRUISE, ['src', '--config', CONFIG, '--output-type', 'json'], {
    cwd,
  }).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/**
 * A small tree laid out like src/, with one planted violation of each rule. It lives under the
 * repository so `@slack/web-api` resolves as in the real tree.
 */
const PLANTED: Record<string, string> = {
  'src/incidents/uses-slack.ts':
    "import type { WebClient } from '@slack/web-api';\nexport type A = WebClient;\n",
  'src/incidents/uses-ledger.ts':
    "import type { Ledger } from '../slack/ledger.js';\nexport type B = Ledger;\n",
  'src/slack/ledger.ts': 'export interface Ledger { ts: string }\n',
  'src/slack/uses-sandbox.ts':
    "import { sandbox } from '../sandbox/sandbox.js';\nexport const c = sandbox;\n",
  'src/sandbox/sandbox.ts': 'export const sandbox = 1;\n',
  'src/timeline/entry.ts':
    "import type { Incident } from '../incidents/incident.js';\nexport type D = Incident;\n",
  'src/incidents/incident.ts':
    "import type { D } from '../timeline/entry.js';\nexport type Incident = { d?: D };\n",
  'src/incidents/server.ts': "import { http } from '../http/server.js';\nexport const e = http;\n",
  'src/http/server.ts': 'export const http = 1;\n',
  'src/alerts/uses-ledger.ts': "import type { Ledger } from '../slack/ledger.js';\nexport type F = Ledger;\n",
  'src/http/uses-bolt.ts': "import type { App } from '@slack/bolt';\nexport type G = App;\n",
  // A cycle of folders with no cycle of files: executors → incidents/state, incidents/worker → executors/step.
  'src/executors/step.ts': "import type { State } from '../incidents/state.js';\nexport type Step = State;\n",
  'src/incidents/state.ts': 'export type State = 1;\n',
  'src/incidents/worker.ts': "import type { Step } from '../executors/step.js';\nexport type W = Step;\n",
};

let tree: string;
beforeAll(async () => {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  tree = await mkdtemp(join(ROOT, '.tmp', 'arch-'));
  await writeFile(
    join(tree, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }),
  );
  for (const [path, text] of Object.entries(PLANTED)) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  }
});
afterAll(async () => {
  await rm(tree, { recursive: true, force: true });
});

// npm test runs the same rules over the real tree (scripts/test.sh → npm run arch); this proves they bite.
describe('the architecture rules npm test enforces', () => {
  it('fail on each planted violation, naming the rule', async () => {
    const found = (await violations(tree)).map(
      (v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*node_modules\//, '')}`,
    );
    expect(found.sort()).toEqual([
      'core-knows-no-surface: src/incidents/server.ts → src/http/server.ts',
      'core-knows-no-surface: src/incidents/uses-ledger.ts → src/slack/ledger.ts',
      'core-knows-no-surface: src/incidents/uses-slack.ts → @slack/web-api/dist/index.js',
      'no-file-cycles: src/incidents/incident.ts → src/timeline/entry.ts',
      'no-folder-cycles: src/executors → src/incidents',
      'no-folder-cycles: src/incidents → src/executors',
      'no-folder-cycles: src/incidents → src/timeline',
      'no-folder-cycles: src/timeline → src/incidents',
      'only-slack-uses-slack: src/http/uses-bolt.ts → @slack/bolt/dist/index.js',
      'only-slack-uses-slack: src/incidents/uses-slack.ts → @slack/web-api/dist/index.js',
      'product-excludes-dev-tools: src/slack/uses-sandbox.ts → src/sandbox/sandbox.ts',
      'surfaces-stay-apart: src/alerts/uses-ledger.ts → src/slack/ledger.ts',
    ]);
  });
});
