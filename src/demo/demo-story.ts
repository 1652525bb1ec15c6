import { setTimeout as sleep } from 'node:timers/promises';
import { cardWith } from '../dev/incident-thread.js';
import type { LocalStack } from '../dev/start-local-stack.js';
import type { FakeSlack } from '../fake-slack/index.js';
import type { Incident } from '../incidents/incident.js';
import type { DemoOutput } from './demo-output.js';
import { followChannel } from './follow-channel.js';
import { formatHealth, formatRate, RATE_503_QUERY, readSandboxVitals } from './sandbox-vitals.js';
import { terminalText } from './terminal-text.js';

export interface DemoCast {
  /** The on-call engineer who types the commands and clicks the buttons. */
  user: string;
  /** Display names by user id, for the narration. */
  names: Readonly<Record<string, string>>;
  /** The problem as the engineer describes it. */
  summary: string;
}

/** The runbook's warning line for the 503 rate: below it, the spike is over. */
const RECOVERED_RATE = 5;

const answerText = (body: unknown): string => {
  const parsed = typeof body === 'string' ? (JSON.parse(body || '{}') as unknown) : body;
  const text = (parsed as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
};

/** Polls an async condition (fake Slack's waitFor takes synchronous ones only). */
async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(100);
  }
}

/** What the bot answered at a response_url (ephemeral to the user), once it has. */
function responseAt(slack: FakeSlack, url: string): string | undefined {
  const found = slack.responses().find((r) => r.url === url);
  return found ? answerText(found.body) : undefined;
}

/**
 * The demo's story against a running {@link LocalStack}: the spike, `/incident 503`, the diagnosis, the
 * approval of the P1 actions that call the service's admin API, the recovery, their undo, `/incident resolve`, and the
 * channel's transcript. Throws when any part does not happen.
 */
export async function playDemoStory(stack: LocalStack, out: DemoOutput, cast: DemoCast): Promise<void> {
  const { slack, sandboxUrls } = stack;
  const store = stack.bot.deps.store;
  const ledger = stack.bot.ledger;
  const slackText = (text: string) => terminalText(text, { color: out.color });
  const name = (id: string) => `@${cast.names[id] ?? id}`;
  const me = name(cast.user);

  out.section('The stack is failing');
  out.say('The sandbox simulates the runbook’s AI script generator stack, and it is in a 503 spike.');
  out.say('What the on-call engineer sees first:');
  const before = await readSandboxVitals(sandboxUrls);
  out.fail(
    `GET /api/generation/health → ${formatHealth(before.health)}  ${out.paint(before.health.body, 'dim')}`,
  );
  out.fail(`Prometheus 503 rate: ${formatRate(before.rate503)} (the alert fires above 20 req/s)`);
  out.note(`query: ${RATE_503_QUERY}`);

  out.section(`${me} types /incident 503 ${cast.summary}`);
  out.say('Fake Slack signs the command with the app’s signing secret and POSTs it to /slack/events.');
  const started = performance.now();
  const opened = await stack.slash(`503 ${cast.summary}`, cast.user);
  if (opened.status !== 200) throw new Error(`/incident 503 answered HTTP ${opened.status}: ${opened.body}`);
  out.ok(
    `Firebreak acknowledged in ${Math.round(performance.now() - started)} ms (Slack allows 3 s), to ${me} only:`,
  );
  out.block(slackText(answerText(opened.body)), 6);
  const channel = await slack.waitFor(() => slack.channels().find((c) => c.name.startsWith('inc-')), 10_000);
  const incident = await waitUntil('the incident record', async () => {
    const id = await ledger.incidentIn(channel.id);
    return id ? store.get(id) : undefined;
  });
  const current = async (): Promise<Incident> => (await store.get(incident.id)) ?? incident;
  const caughtUp = async () =>
    (await ledger.nextToDeliver(incident.id)) >= (await store.readTimeline(incident.id)).length;
  const invited = await slack.waitFor(() => {
    const members = slack.channels().find((c) => c.id === channel.id)?.members ?? [];
    const people = members.filter((m) => m !== slack.botUserId);
    return people.length > 1 ? people : undefined;
  }, 5000);
  out.ok(
    `Created #${channel.name} and invited ${invited.map(name).join(', ')} (the requester and the on-call).`,
  );
  const announcement = await slack.waitFor(() => slack.messages(stack.announceChannel).at(-1), 5000);
  out.say('Announced in #incidents:');
  out.block(out.renderMessage(announcement), 6);

  out.section(`#${channel.name}: the header, the diagnosis and the actions`);
  out.say('The pinned header is the incident’s status; its thread is the timeline. Firebreak probes the');
  out.say(
    'whole runbook in parallel, posts one snapshot, then the action cards, packed into as few messages as Slack allows.',
  );
  out.note('Slack allows about 1 message/s per channel, so the bot paces its posts (the demo at 2/s).');
  const runbook = stack.bot.deps.runbooks.get(incident.kind);
  if (!runbook) throw new Error(`no runbook for ${incident.kind}`);
  const p1 = runbook.actions.filter((a) => a.group === 'P1' && a.run.type === 'http');
  const follower = followChannel(slack, channel.id, out, {
    showInFull: (m) => m.blocks.some((b) => p1.some((a) => b.block_id === `action-${a.id}`)),
  });
  const cardsPosted = () => {
    const thread = slack.messages(channel.id)[0]?.replies ?? [];
    const blockIds = new Set(thread.flatMap((m) => m.blocks.map((b) => b.block_id)));
    // Every card offered at once: the priority groups (a scenario's card waits for its diagnosis,
    // the after-recovery card for something to undo).
    const immediate = runbook.groups
      .filter((g) => !g.scenario && g.offer !== 'after-recovery')
      .map((g) => g.id);
    return runbook.actions
      .filter((a) => immediate.includes(a.group))
      .every((a) => blockIds.has(`action-${a.id}`));
  };
  await follower.follow(
    'the diagnosis and the action cards',
    async () => cardsPosted() && (await current()).status !== 'opening' && (await caughtUp()),
    30_000,
  );

  out.section(`${me} approves the P1 traffic-control actions`);
  out.say(`P1 must be done within 30 s. ${p1.length} of its actions call the service’s admin API over HTTP:`);
  for (const action of p1) out.say(`  • ${action.title}`);
  out.note('(the nginx ones need a real nginx; the final transcript shows every card)');
  out.note('Each click is a signed block_actions request; Firebreak records the approval in Redis once,');
  out.note('queues a job, and its HTTP executor calls the admin API with the admin token.');
  for (const action of p1) {
    const header = slack.messages(channel.id)[0];
    const card = cardWith(header?.replies ?? [], action.id);
    out.say('');
    out.say(`${me} clicks ${out.paint('[Approve]', 'green', 'bold')} on “${action.title}”`);
    const click = await stack.click(card, `approve-${action.id}`, cast.user);
    if (click.status !== 200) throw new Error(`the click on ${action.id} answered HTTP ${click.status}`);
    await follower.follow(`${action.id} to finish`, async () => {
      const refusal = responseAt(slack, click.responseUrl);
      if (refusal) throw new Error(`Firebreak refused the approval of ${action.id}: ${refusal}`);
      const state = await store.getAction(incident.id, action.id);
      if (state?.status === 'failed') throw new Error(`${action.id} failed: ${JSON.stringify(state)}`);
      return state?.status === 'succeeded' && (await caughtUp());
    });
  }
  follower.skipSeen();

  out.section('The sandbox recovers');
  out.say('Rate limit and circuit breaker together drain the surge. The same two curls as before:');
  let after = await readSandboxVitals(sandboxUrls);
  for (let sample = 0; ; sample++) {
    const healthy = after.health.status === 200;
    const line = `GET /api/generation/health → ${formatHealth(after.health)} · 503 rate ${formatRate(after.rate503)}`;
    if (healthy && (after.rate503 ?? 0) < RECOVERED_RATE) {
      out.ok(line);
      break;
    }
    out.say(`${out.paint('…', 'yellow')} ${line}`);
    if (sample >= 20) throw new Error('the sandbox did not recover within 20 s of the P1 actions');
    await sleep(1000);
    after = await readSandboxVitals(sandboxUrls);
  }
  out.ok(
    `Recovered: health ${formatHealth(before.health)} → ${formatHealth(after.health)}, ` +
      `503 rate ${formatRate(before.rate503)} → ${formatRate(after.rate503)} (the runbook warns above ${RECOVERED_RATE}).`,
  );

  out.section(`${me} tries /incident resolve, with the mitigations still in place`);
  const early = await stack.slash('resolve', cast.user, channel.id);
  if (early.status !== 200) throw new Error(`/incident resolve answered HTTP ${early.status}`);
  const refusal = await slack.waitFor(() => responseAt(slack, early.responseUrl), 5000);
  out.say(`Firebreak answers ${me} (only they see it):`);
  out.block(slackText(refusal), 4);

  out.section(`${me} normalizes: approves the undo of each P1 action`);
  out.note(
    'Each action that changed the system names its undo in the runbook; the after-recovery card offers it.',
  );
  for (const action of p1) {
    const undo = runbook.actions.find((a) => a.id === action.undo);
    if (!undo) continue;
    const card = cardWith(slack.messages(channel.id)[0]?.replies ?? [], undo.id);
    out.say(`${me} clicks ${out.paint('[Approve]', 'green', 'bold')} on “${undo.title}”`);
    const click = await stack.click(card, `approve-${undo.id}`, cast.user);
    if (click.status !== 200) throw new Error(`the click on ${undo.id} answered HTTP ${click.status}`);
    await follower.follow(`${undo.id} to finish`, async () => {
      const state = await store.getAction(incident.id, undo.id);
      if (state?.status === 'failed') throw new Error(`${undo.id} failed: ${JSON.stringify(state)}`);
      return state?.status === 'succeeded' && (await caughtUp());
    });
  }
  follower.skipSeen();

  out.section(`${me} types /incident resolve in #${channel.name}`);
  out.note('Resolving closes the timeline: every action not taken is locked, so nobody approves into it.');
  const resolve = await stack.slash('resolve', cast.user, channel.id);
  if (resolve.status !== 200) throw new Error(`/incident resolve answered HTTP ${resolve.status}`);
  await follower.follow(
    'the incident to be resolved',
    async () => (await current()).status === 'resolved' && (await caughtUp()),
  );
  const resolved = await slack.waitFor(() => responseAt(slack, resolve.responseUrl), 5000);
  out.ok(`Firebreak answered ${me}: ${slackText(resolved)}`);

  out.section(`The whole of #${channel.name}, as a Slack reader sees it`);
  out.block(out.renderTranscript(channel.id), 2);
}
