import type { FakeChannel, FakeMessage, FakeSlack } from '../fake-slack/index.js';

/** An incident channel as the fake Slack holds it: the pinned header and its thread (the timeline). */
export interface IncidentThread {
  channel: FakeChannel;
  header: FakeMessage;
  thread: FakeMessage[];
}

/**
 * Resolves with the (first) incident channel's header and thread once `predicate(thread)` holds, polling
 * the fake Slack; rejects after `timeoutMs` listing the last Web API calls.
 */
export async function incidentThread(
  slack: FakeSlack,
  predicate: (thread: FakeMessage[]) => boolean,
  timeoutMs = 15_000,
): Promise<IncidentThread> {
  return slack.waitFor(() => {
    const channel = slack.channels().find((c) => c.name.startsWith('inc-'));
    if (!channel) return undefined;
    const [header] = slack.messages(channel.id);
    if (!header) return undefined;
    const thread = slack.thread(channel.id, header.ts);
    return predicate(thread) ? { channel, header, thread } : undefined;
  }, timeoutMs);
}

/** The card (thread message) that offers `actionId`: its block is `action-<actionId>`. */
export function cardWith(thread: readonly FakeMessage[], actionId: string): FakeMessage {
  const card = thread.find((m) => m.blocks.some((b) => b.block_id === `action-${actionId}`));
  if (!card) throw new Error(`no card offers ${actionId}`);
  return card;
}
