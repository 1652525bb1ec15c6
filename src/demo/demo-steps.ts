import { setTimeout as sleep } from 'node:timers/promises';
import { cardWith } from '../dev/incident-thread.js';
import type { LocalStack } from '../dev/start-local-stack.js';
import type { Diagnosis } from '../diagnostics/run-diagnosis.js';
import type { FakeSlack } from '../fake-slack/index.js';
import type { Incident } from '../incidents/incident.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { DemoOutput } from './demo-output.js';
import { type ChannelFollower, followChannel } from './follow-channel.js';
import { formatHealth, formatRate, readSandboxVitals, type SandboxVitals } from './sandbox-vitals.js';
import { terminalText } from './terminal-text.js';

export interface DemoCast {
  /** The on-call engineer who types the commands and clicks the buttons. */
  user: string;
  /** A second on-call engineer: destructive actions need two different people. */
  second?: string;
  /** Display names by user id, for the narration. */
  names: Readonly<Record<string, string>>;
  /** The problem as the engineer describes it. */
  summary: string;
}

/** The runbook's warning line for the 503 rate: below it, the stack has recovered. */
const RECOVERED_RATE = 5;

type Action = Runbook['actions'][number];

/** An incident the demo opened, with what each later step needs. */
export interface DemoIncident {
  stack: LocalStack;
  out: DemoOutput;
  /** `@dana`: the engineer, as the narration names them. */
  me: string;
  channel: { id: string; name: string };
  runbook: Runbook;
  follower: ChannelFollower;
  /** The diagnosis snapshot Firebreak stored when the incident opened. */
  diagnosis(): Promise<Diagnosis>;
  /** True once every timeline entry has reached the thread. */
  caughtUp(): Promise<boolean>;
  current(): Promise<Incident>;
  slackText(text: string): string;
}

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
export function responseAt(slack: FakeSlack, url: string): string | undefined {
  const found = slack.responses().find((r) => r.url === url);
  return found ? answerText(found.body) : undefined;
}

/** What the on-call engineer sees first: the generation API's health and the Prometheus 503 rate. */
export async function showFailingStack(stack: LocalStack, out: DemoOutput, rateQuery: string) {
  out.say('What the on-call engineer sees first:');
  const before = await readSandboxVitals(stack.sandboxUrls);
  out.fail(
    `GET /api/generation/health → ${formatHealth(before.health)}  ${out.paint(before.health.body, 'dim')}`,
  );
  out.fail(`Prometheus 503 rate: ${formatRate(before.rate503)} (the alert fires above 20 req/s)`);
  out.note(`query: ${rateQuery}`);
  return before;
}

/**
 * `/incident 503 <summary>` as `cast.user`: the ack, the channel and its invites, the announcement,
 * then the thread until the diagnosis and every action card are posted. `showInFull` cards are printed
 * whole; the others in one line each.
 */
export async function openDemoIncident(
  stack: LocalStack,
  out: DemoOutput,
  cast: DemoCast,
  showInFull: readonly string[],
): Promise<DemoIncident> {
  const { slack } = stack;
  const store = stack.bot.deps.store;
  const name = (id: string) => `@${cast.names[id] ?? id}`;
  const me = name(cast.user);
  const slackText = (text: string) => terminalText(text, { color: out.color });

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
  const ledger = stack.bot.ledger;
  const incident = await waitUntil('the incident record', async () => {
    const id = await ledger.incidentIn(channel.id);
    return id ? store.get(id) : undefined;
  });
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
  const follower = followChannel(slack, channel.id, out, {
    showInFull: (m) => m.blocks.some((b) => showInFull.some((id) => b.block_id === `action-${id}`)),
  });
  const session: DemoIncident = {
    stack,
    out,
    me,
    channel,
    runbook,
    follower,
    slackText,
    current: async () => (await store.get(incident.id)) ?? incident,
    caughtUp: async () =>
      (await ledger.nextToDeliver(incident.id)) >= (await store.readTimeline(incident.id)).length,
    diagnosis: () => waitUntil('the diagnosis', () => store.getDiagnosis<Diagnosis>(incident.id)),
  };
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
    async () => cardsPosted() && (await session.current()).status !== 'opening' && (await session.caughtUp()),
    30_000,
  );
  return session;
}

/** Clicks Approve on each action in turn, as `user`, and follows the thread until each has succeeded. */
export async function approveActions(
  session: DemoIncident,
  user: string,
  actions: readonly Action[],
  /** Who gives a destructive action its second approval. */
  second?: { id: string; name: string },
): Promise<void> {
  const { stack, out, me, channel, follower } = session;
  const store = stack.bot.deps.store;
  const incident = await session.current();
  for (const action of actions) {
    const card = cardWith(stack.slack.messages(channel.id)[0]?.replies ?? [], action.id);
    out.say('');
    out.say(`${me} clicks ${out.paint('[Approve]', 'green', 'bold')} on “${action.title}”`);
    let click = await stack.click(card, `approve-${action.id}`, user);
    if (click.status !== 200) throw new Error(`the click on ${action.id} answered HTTP ${click.status}`);
    if (action.destructive && second) {
      // The two-person rule: the first approval is recorded ("1 of 2"), the second one runs it.
      await follower.follow(`${action.id}'s first approval`, async () =>
        Boolean((await store.getAction(incident.id, action.id))?.approvals?.length),
      );
      out.say(
        `@${second.name} clicks ${out.paint('[Approve (2 of 2)]', 'green', 'bold')}: destructive actions need two people`,
      );
      const updated = cardWith(stack.slack.messages(channel.id)[0]?.replies ?? [], action.id);
      click = await stack.click(updated, `approve-${action.id}`, second.id);
    }
    await follower.follow(`${action.id} to finish`, async () => {
      const refusal = responseAt(stack.slack, click.responseUrl);
      if (refusal) throw new Error(`Firebreak refused the approval of ${action.id}: ${refusal}`);
      const state = await store.getAction(incident.id, action.id);
      if (state?.status === 'failed') throw new Error(`${action.id} failed: ${JSON.stringify(state)}`);
      return state?.status === 'succeeded' && (await session.caughtUp());
    });
  }
  follower.skipSeen();
}

/** Samples the health and the 503 rate each second until both are back to normal (20 s at most). */
export async function waitForRecovery(session: DemoIncident, before: SandboxVitals): Promise<void> {
  const { out, stack } = session;
  let after = await readSandboxVitals(stack.sandboxUrls);
  for (let sample = 0; ; sample++) {
    const healthy = after.health.status === 200;
    const line = `GET /api/generation/health → ${formatHealth(after.health)} · 503 rate ${formatRate(after.rate503)}`;
    if (healthy && (after.rate503 ?? 0) < RECOVERED_RATE) {
      out.ok(line);
      break;
    }
    out.say(`${out.paint('…', 'yellow')} ${line}`);
    if (sample >= 20) throw new Error('the sandbox did not recover within 20 s of the approved actions');
    await sleep(1000);
    after = await readSandboxVitals(stack.sandboxUrls);
  }
  out.ok(
    `Recovered: health ${formatHealth(before.health)} → ${formatHealth(after.health)}, ` +
      `503 rate ${formatRate(before.rate503)} → ${formatRate(after.rate503)} (the runbook warns above ${RECOVERED_RATE}).`,
  );
}

/** `/incident <text>` in the incident channel until it is resolved; then the whole channel as text. */
export async function resolveAndShow(session: DemoIncident, user: string, text: string): Promise<void> {
  const { stack, out, me, channel, follower } = session;
  out.section(`${me} types /incident verify: the recovery checklist runs its due checks now`);
  out.note(
    'The first successful mitigation scheduled the checks (5 min, 30 min, 1 h); verify runs the due ones at once.',
  );
  const verify = await stack.slash('verify', user, channel.id);
  if (verify.status !== 200) throw new Error(`/incident verify answered HTTP ${verify.status}`);
  const verified = await stack.slack.waitFor(() => responseAt(stack.slack, verify.responseUrl), 15_000);
  out.ok(`Firebreak answered ${me}: ${session.slackText(verified)}`);

  // The 30-minute and 1-hour checks are not due in a demo: the resolve says why, and the timeline keeps it.
  const withReason = `${text} demo: the 30-minute and 1-hour checks are not due yet`;
  out.section(`${me} types /incident ${withReason} in #${channel.name}`);
  out.note(
    'Resolving closes the timeline: every action not taken is locked, so nobody approves into it. While a recovery ' +
      'check is failing or not run yet, it asks for a reason, and records it. The postmortem follows as a file.',
  );
  const resolve = await stack.slash(withReason, user, channel.id);
  if (resolve.status !== 200) throw new Error(`/incident ${text} answered HTTP ${resolve.status}`);
  await follower.follow(
    'the incident to be resolved',
    async () => (await session.current()).status === 'resolved' && (await session.caughtUp()),
  );
  const resolved = await stack.slack.waitFor(() => responseAt(stack.slack, resolve.responseUrl), 5000);
  out.ok(`Firebreak answered ${me}: ${session.slackText(resolved)}`);

  out.section(`The whole of #${channel.name}, as a Slack reader sees it`);
  out.block(out.renderTranscript(channel.id), 2);
}
