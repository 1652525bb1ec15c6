import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FakeMessage } from '../../src/fake-slack/index.js';
import { ALICE, BOB, type BotHarness, cardWith, startHarness } from '../support/bot-harness.js';

/**
 * The production layout on one machine: the bot (EXECUTORS=on: the actions without a role) and
 * `npm run worker -- --role …` processes for the generation and project hosts, as real child
 * processes on one Redis — a worker is a process that can be killed with SIGKILL, and each has its
 * own environment (its own log file, allow-list, heartbeat), as a host would.
 */
const KEY = randomBytes(32).toString('hex');
const PATTERN = 'ERROR: Connection pool exhausted';

let h: BotHarness;
let dir: string;
const children = new Map<string, { child: ChildProcess; output: () => string }>();

async function startWorker(name: string, roles: string, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/worker-main.ts', '--role', roles, '--name', name],
    {
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: inject('redisUrl'),
        REDIS_PREFIX: h.stack.prefix,
        // Its own port, taken by itself: nothing here calls it.
        WORKER_PORT: '0',
        APPROVAL_SIGNING_KEY: KEY,
        WORKER_HEARTBEAT: '300ms',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c) => {
    output += c.toString();
  });
  children.set(name, { child, output: () => output });
  await h.slack.waitFor(
    () => output.includes('executor worker is up') || (child.exitCode !== null && 'exited'),
    30_000,
  );
  if (child.exitCode !== null) throw new Error(`worker ${name} exited: ${output}`);
}

async function kill(name: string) {
  const worker = children.get(name);
  if (!worker || worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGKILL');
  await exited;
}

/** The thread of the newest incident channel once `predicate` holds. */
async function newestThread(predicate: (thread: FakeMessage[]) => boolean, timeoutMs = 20_000) {
  return h.slack.waitFor(() => {
    const channel = h.slack
      .channels()
      .filter((c) => c.name.startsWith('inc-'))
      .at(-1);
    const header = channel && h.slack.messages(channel.id)[0];
    if (!channel || !header) return undefined;
    const thread = h.slack.thread(channel.id, header.ts);
    return predicate(thread) ? thread : undefined;
  }, timeoutMs);
}

const text = (message: FakeMessage | undefined) => JSON.stringify(message?.blocks ?? []);
const snapshotOf = (thread: FakeMessage[]) => thread.find((m) => m.text.startsWith('Diagnostic snapshot'));

beforeAll(async () => {
  h = await startHarness({
    redisUrl: inject('redisUrl'),
    env: { APPROVAL_SIGNING_KEY: KEY, WORKER_HEARTBEAT: '300ms' },
  });
  dir = await mkdtemp(join(tmpdir(), 'firebreak-hosts-'));
  const log = (name: string, lines: number) => {
    const file = join(dir, `${name}.log`);
    return writeFile(file, `${Array.from({ length: lines }, () => PATTERN).join('\n')}\n`).then(() => file);
  };
  await Promise.all([
    startWorker('gen-1', 'generation', {
      GENERATION_LOG_FILE: await log('gen-1', 12),
      EXECUTOR_ALLOWED_PROGRAMS: 'find',
    }),
    // A long heartbeat: after SIGKILL it still counts as live for a while, so the bot asks it and gets no answer.
    startWorker('gen-2', 'generation', {
      GENERATION_LOG_FILE: await log('gen-2', 3),
      EXECUTOR_ALLOWED_PROGRAMS: 'find',
      WORKER_HEARTBEAT: '20s',
    }),
    startWorker('proj-1', 'project'),
  ]);
}, 60_000);

afterAll(async () => {
  for (const name of children.keys()) await kill(name);
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('workers per host role', () => {
  it('reads each host of a role for the snapshot, one line per host, and only that role’s hosts', async () => {
    await h.slash('503 hosts');
    const thread = await newestThread((t) => snapshotOf(t) !== undefined);
    const snapshot = text(snapshotOf(thread));
    // Each generation worker read its own log file: 12 pattern lines on gen-1, 3 on gen-2.
    expect(snapshot).toContain(
      'Error patterns in the generation service log: *12 lines* on gen-1, *3 lines* on gen-2',
    );
    // Host probes ran on the generation hosts, the SQLite ones on the project host alone.
    expect(snapshot).toMatch(/CPU usage: \*[\d.]+ %\* on gen-1, \*[\d.]+ %\* on gen-2/);
    expect(snapshot).toMatch(/Open SQLite database handles: proj-1: [^"]*\(/);
    expect(snapshot).not.toMatch(/SQLite[^\n"]*gen-/);
  });

  it('runs an each action on every generation host in turn, each host’s result on the card', async () => {
    const thread = await newestThread((t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p2-clean-temp-files')),
    );
    // Destructive: two different people approve it.
    await h.click(cardWith(thread, 'p2-clean-temp-files'), 'approve-p2-clean-temp-files', ALICE);
    const once = await newestThread((t) =>
      text(cardWith(t, 'p2-clean-temp-files')).includes('1 of 2 approvals'),
    );
    await h.click(cardWith(once, 'p2-clean-temp-files'), 'approve-p2-clean-temp-files', BOB);
    // The card may show the end before the thread has caught up (it is rendered from the state as it
    // is now); the thread ends with the action's own line.
    const done = await newestThread(
      (t) =>
        text(cardWith(t, 'p2-clean-temp-files')).includes('succeeded on all 2 generation hosts') &&
        t.some((m) => m.text.includes('Delete ai-script temp files older than an hour* succeeded')),
    );
    expect(text(cardWith(done, 'p2-clean-temp-files'))).toContain(
      ':white_check_mark: gen-1 · :white_check_mark: gen-2',
    );
    // Lines that arrive together may share a message: read the thread line by line.
    const lines = done.flatMap((m) => m.text.split('\n'));
    expect(lines.findIndex((l) => l.includes('on *gen-1*: find /tmp'))).toBeLessThan(
      lines.findIndex((l) => l.includes('on *gen-2*: find /tmp')),
    );
    // One generation worker took the job and ran its own turn; the other ran its turn on request.
    const gens = `${children.get('gen-1')?.output()}${children.get('gen-2')?.output()}`;
    expect(gens.match(/running approved action/g)).toHaveLength(1);
    expect(gens.match(/running this host’s turn of an approved action/g)).toHaveLength(1);
    expect(children.get('proj-1')?.output()).not.toContain('approved action');
  });

  it('shows an action whose role has no worker as waiting, and runs it when one appears', async () => {
    const thread = await newestThread((t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-nginx-reload')),
    );
    await h.click(cardWith(thread, 'p1-nginx-reload'), 'approve-p1-nginx-reload', ALICE);
    await newestThread((t) =>
      text(cardWith(t, 'p1-nginx-reload')).includes(
        'waiting — no live worker for role nginx: start `npm run worker -- --role nginx` on those hosts',
      ),
    );
    // Its worker may not run nginx (no EXECUTOR_ALLOWED_PROGRAMS): it fails there, which proves it got there.
    await startWorker('edge-1', 'nginx');
    const done = await newestThread((t) => text(cardWith(t, 'p1-nginx-reload')).includes(':x: *failed*'));
    expect(text(cardWith(done, 'p1-nginx-reload'))).toMatch(/:x: edge-1 \([^)]*nginx[^)]*not allowed/);
  });

  it('turns a killed worker into an unknown line of its own, within the probe timeout', async () => {
    await kill('gen-2');
    const incidentChannels = () => h.slack.channels().filter((c) => c.name.startsWith('inc-')).length;
    const before = incidentChannels();
    await h.slash('503 after a kill');
    // Its own channel (the thread opens with the snapshot: the header names the incident).
    await h.slack.waitFor(() => incidentChannels() > before || undefined, 20_000);
    const thread = await newestThread((t) => snapshotOf(t) !== undefined);
    const snapshot = text(snapshotOf(thread));
    expect(snapshot).toContain('*12 lines* on gen-1, gen-2: no answer within 5 s');
  });

  it('says in /readyz and /incident workers that a role has no live worker, within seconds of a kill', async () => {
    await kill('proj-1');
    const readyz = async () =>
      (await (await fetch(`${h.bot.url}/readyz`)).json()) as { workers: { problems: string[] } };
    await expect
      .poll(async () => (await readyz()).workers.problems, { timeout: 10_000 })
      .toContain('no live worker for role project: start `npm run worker -- --role project` on those hosts');
    const reply = await h.slash('workers');
    const answer = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === reply.responseUrl));
    const body = (answer.body as { text: string }).text;
    expect(body).toMatch(/:large_green_circle: \*gen-1\* — role \*generation\*/);
    expect(body).toMatch(/:red_circle: \*proj-1\* — role \*project\* · gone: no heartbeat/);
    expect(body).toContain(':warning: no live worker for role project');
  });

  it('never lets the approval key reach Slack or a log', () => {
    const everything = [
      h.logs(),
      ...[...children.values()].map((c) => c.output()),
      JSON.stringify(h.slack.channels().map((c) => h.slack.messages(c.id))),
    ];
    for (const text of everything) expect(text).not.toContain(KEY);
  });
});
