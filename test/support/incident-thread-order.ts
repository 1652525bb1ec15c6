import { expect } from 'vitest';
import type { FakeMessage, FakeSlack } from '../../src/fake-slack/index.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import type { SlackLedger } from '../../src/slack/slack-ledger.js';
import { POST_METADATA_TYPE } from '../../src/slack/slack-outbound.js';

/** The metadata key a Firebreak post carries (`<seq>`, `cards-<group>`), or undefined for anything else. */
export function postKey(message: FakeMessage): string | undefined {
  const metadata = message.metadata;
  if (metadata?.event_type !== POST_METADATA_TYPE) return undefined;
  const key = (metadata.event_payload as { key?: unknown } | undefined)?.key;
  return typeof key === 'string' ? key : undefined;
}

/** The first timeline entry a thread message shows, from its metadata (cards: none). */
function firstSeq(message: FakeMessage): number | undefined {
  const first = (message.metadata?.event_payload as { first?: unknown } | undefined)?.first;
  return typeof first === 'number' ? first : undefined;
}

/**
 * The timeline in Redis is the truth; the thread must show it whole, in its order, each message once:
 * every entry the ledger says was posted is in the thread, no two messages carry the same key, the
 * entries' messages come in timeline order, and Slack accepted exactly as many posts into the channel
 * as the channel holds (so no post was made twice and then lost from view).
 */
export async function expectThreadIntact(
  slack: FakeSlack,
  store: IncidentStore,
  ledger: SlackLedger,
  incidentId: string,
): Promise<FakeMessage[]> {
  const { channel, headerTs, next, delivery } = await ledger.read(incidentId);
  if (!channel || !headerTs) throw new Error(`incident ${incidentId} has no thread yet`);
  const all = slack.thread(channel.id, headerTs);
  // Files (the postmortem) are shared by files.completeUploadExternal, not posted with a key.
  const thread = all.filter((m) => !(m as { files?: unknown[] }).files?.length);
  const timeline = await store.readTimeline(incidentId);
  expect(next).toBe(timeline.length);
  const keys = thread.map(postKey);
  expect(keys.every((k) => k !== undefined)).toBe(true);
  expect(new Set(keys).size).toBe(keys.length);
  const inThread = new Set(thread.map((m) => m.ts));
  for (const [seq, ts] of delivery.posted) {
    // A postmortem entry records its file's id (or why Slack refused it), not a message's ts.
    if (/^\d+\.\d+$/.test(ts)) expect(inThread.has(ts), `entry ${seq} is in the thread`).toBe(true);
  }
  for (const [group, ts] of delivery.cards)
    expect(inThread.has(ts), `card ${group} is in the thread`).toBe(true);
  const order = thread.map(firstSeq).filter((s): s is number => s !== undefined);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  const posted = slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel.id && c.ok);
  expect(posted).toHaveLength(thread.length + slack.messages(channel.id).length);
  return thread;
}

/** The single open incident of a harness (each fault test opens one). */
export async function onlyOpenIncident(store: IncidentStore): Promise<string> {
  const open = await store.listOpen();
  if (open.length !== 1) throw new Error(`expected one open incident, found ${open.length}`);
  return (open[0] as { id: string }).id;
}

/**
 * Resolves once the opening is delivered: the incident is investigating, the thread shows its
 * snapshot and its first cards, and every entry of the timeline so far is delivered.
 */
export async function openingDelivered(
  slack: FakeSlack,
  store: IncidentStore,
  ledger: SlackLedger,
  incidentId: string,
  timeoutMs = 10_000,
) {
  await expect
    .poll(
      async () => {
        const { channel, headerTs, delivery, next } = await ledger.read(incidentId);
        if (!channel || !headerTs) return false;
        const incident = await store.get(incidentId);
        if (incident?.status !== 'investigating' || !incident.progress.offered) return false;
        if (next !== (await store.readTimeline(incidentId)).length) return false;
        const thread = slack.thread(channel.id, headerTs);
        return thread.some((m) => m.text.startsWith('Diagnostic snapshot')) && delivery.cards.has('P1');
      },
      { timeout: timeoutMs, interval: 50 },
    )
    .toBe(true);
}
