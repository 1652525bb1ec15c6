import type { Redis } from 'ioredis';
import type { LocalStack } from '../src/dev/start-local-stack.js';
import type { Diagnosis } from '../src/diagnostics/run-diagnosis.js';

/** Redis' own count of every command it ran (INFO commandstats, scripts' inner calls included). */
export async function redisCommands(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/calls=(\d+)/g)) total += Number(match[1]);
  return total;
}

/** Redis' own figure for the memory its data holds (INFO memory: used_memory), bytes. */
export async function redisUsedMemory(admin: Redis): Promise<number> {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

export interface BurstResult {
  incidents: number;
  /** Per incident: from sending `/incident` to its snapshot posted, ms. */
  toSnapshot: number[];
  /** Per incident: its snapshot posted after its own slowest probe finished, ms (the target is ≤ 2000). */
  afterSlowestProbe: number[];
  /** Per incident: from sending `/incident` to its P1 card posted, ms (the target is ≤ 30000). */
  toP1Card: number[];
  /** Messages posted into each incident channel during the opening (header, snapshot, cards). */
  messagesPerIncident: number;
  /** Redis commands per incident, the opening delivered whole (INFO commandstats; every process). */
  redisCommandsPerIncident: number;
  /** Growth of Redis' used_memory per incident, bytes: what an incident costs the store while open. */
  redisBytesPerIncident: number;
  /** From the first command sent to the last opening delivered (and measured), ms. */
  wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens `n` incidents at once through signed slash commands and times each one's snapshot and P1
 * card as Slack received them (the fake's call log), at the bot's real pace.
 */
export async function measureBurst(
  stack: LocalStack,
  admin: Redis,
  n: number,
  label: string,
): Promise<BurstResult> {
  const { slack } = stack;
  const store = stack.bot.deps.store;
  const commandsBefore = await redisCommands(admin);
  const bytesBefore = await redisUsedMemory(admin);
  const callsBefore = slack.calls.length;
  const started = performance.now();
  const sentAt = new Map<string, number>();
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const marker = `${label}-${i}`;
      sentAt.set(marker, Date.now());
      await stack.slash(`503 ${marker}`, 'U0BENCH001');
    }),
  );
  // Which channel is whose: the header carries the summary (the marker).
  const channelOf = new Map<string, { channel: string; header: string }>();
  const deadline = Date.now() + 180_000;
  for (;;) {
    for (const channel of slack.channels()) {
      if (!channel.name.startsWith('inc-')) continue;
      const header = slack.messages(channel.id)[0];
      // The header's first section is the incident's summary: the marker.
      const summary = (
        header?.blocks.find((b) => b.type === 'section')?.text as { text?: string } | undefined
      )?.text;
      if (header && summary && sentAt.has(summary))
        channelOf.set(summary, { channel: channel.id, header: header.ts });
    }
    const done = [...channelOf.values()].filter(({ channel, header }) =>
      slack
        .thread(channel, header)
        .some((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')),
    );
    if (done.length === n) break;
    if (Date.now() > deadline)
      throw new Error(`burst ${label}: only ${done.length} of ${n} P1 cards in 180 s`);
    await sleep(100);
  }
  // The openings delivered whole: each header says Investigating, each thread lists its held-back
  // cards (the last message of the opening). Watched in the fake Slack, so only the bot uses Redis.
  const complete = ({ channel, header }: { channel: string; header: string }) =>
    JSON.stringify(slack.messages(channel)[0]?.blocks ?? []).includes('Investigating') &&
    slack.thread(channel, header).some((m) => m.blocks.some((b) => b.block_id === 'reveal'));
  while (![...channelOf.values()].every(complete)) {
    if (Date.now() > deadline) throw new Error(`burst ${label}: openings not delivered`);
    await sleep(100);
  }
  const commands = (await redisCommands(admin)) - commandsBefore;
  const bytes = (await redisUsedMemory(admin)) - bytesBefore;
  const result: BurstResult = {
    incidents: n,
    toSnapshot: [],
    afterSlowestProbe: [],
    toP1Card: [],
    messagesPerIncident: 0,
    redisCommandsPerIncident: commands / n,
    redisBytesPerIncident: bytes / n,
    wallMs: 0,
  };
  const posts = slack.calls.slice(callsBefore).filter((c) => c.method === 'chat.postMessage' && c.ok);
  for (const [marker, { channel }] of channelOf) {
    const mine = posts.filter((c) => c.args.channel === channel);
    const snapshot = mine.find((c) => String(c.args.text).startsWith('Diagnostic snapshot'));
    const p1 = mine.find((c) =>
      JSON.stringify(c.args.blocks ?? []).includes('action-p1-emergency-rate-limit'),
    );
    const sent = sentAt.get(marker) ?? 0;
    const id = await stack.bot.ledger.incidentIn(channel);
    const diagnosis = id ? await store.getDiagnosis<Diagnosis>(id) : undefined;
    if (!snapshot || !p1 || !diagnosis) throw new Error(`burst ${label}: ${marker} is incomplete`);
    result.toSnapshot.push(snapshot.at - sent);
    result.afterSlowestProbe.push(snapshot.at - Date.parse(diagnosis.finishedAt));
    result.toP1Card.push(p1.at - sent);
  }
  result.wallMs = performance.now() - started;
  const channels = new Set([...channelOf.values()].map((c) => c.channel));
  const inChannels = slack.calls
    .slice(callsBefore)
    .filter((c) => c.method === 'chat.postMessage' && c.ok && channels.has(String(c.args.channel)));
  result.messagesPerIncident = inChannels.length / n;
  return result;
}

export function distribution(values: readonly number[]): { p50: number; p90: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p90: at(0.9), max: sorted.at(-1) ?? Number.NaN };
}
