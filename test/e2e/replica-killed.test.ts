import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, expect, inject, it } from 'vitest';
import { ALICE, type BotHarness, startHarness } from '../support/bot-harness.js';
import { expectThreadIntact, onlyOpenIncident, openingDelivered } from '../support/incident-thread-order.js';
import { readyUrl } from '../support/ready-url.js';

/**
 * A replica killed (SIGKILL) in the middle of a flush, after Slack performed its post and before the
 * answer arrived: another replica takes the stalled flush over and finishes the thread without
 * posting that message again (the ledger says a post began; the message's metadata says it landed).
 */
let h: BotHarness | undefined;
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await h?.stop();
});

it('finishes the thread of a replica killed mid-flush, posting nothing twice', async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  const { slack, stack } = h;
  // The harness's own replica steps aside: the first flush must be the child's.
  await h.bot.stop();
  let output = '';
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    // No announce channel: the first post after the header is then the thread's own (the snapshot).
    env: { ...stack.env, PORT: '0', INCIDENT_ANNOUNCE_CHANNEL: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk.toString();
  });
  const url = await slack.waitFor(() => readyUrl(output, 'firebreak is up'), 20_000);

  await stack.slash('503 killed mid-flush', ALICE, undefined, { url });
  // Once the header is in, the next post (the snapshot) is performed and its answer held back.
  await slack.waitFor(() => slack.callsTo('chat.postMessage').some((c) => c.ok) || undefined, 15_000);
  slack.loseAnswerNext('chat.postMessage', { mode: 'delay', delayMs: 60_000 });
  await slack.waitFor(() => slack.calls.some((c) => c.lost === 'delay') || undefined, 15_000);
  child.kill('SIGKILL');
  await new Promise((resolve) => child?.once('exit', resolve));

  // Another replica: it finds the stalled flush (lock gone after 10 s) and takes it over.
  const survivor = await stack.replica({ INCIDENT_ANNOUNCE_CHANNEL: '' });
  const store = survivor.deps.store;
  const id = await onlyOpenIncident(store);
  // If the kill caught the opening job itself, BullMQ hands it over only once its lock (30 s) has
  // lapsed and a stalled check (every 30 s) has run: up to a minute, then the opening resumes.
  await openingDelivered(slack, store, survivor.ledger, id, 100_000);
  const thread = await expectThreadIntact(slack, store, survivor.ledger, id);
  expect(thread.filter((m) => m.text.startsWith('Diagnostic snapshot'))).toHaveLength(1);
  // It looked before posting again, and found the snapshot the killed replica had posted.
  expect(slack.callsTo('conversations.replies').some((c) => c.args.include_all_metadata)).toBe(true);
  expect(h.logs()).toContain('found an earlier post whose answer was lost');
}, 180_000);
