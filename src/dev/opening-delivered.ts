import type { RunningBot } from '../app/start-bot.js';

/**
 * Whether an incident's opening is over and in Slack: its actions are offered, and every timeline
 * entry so far has been delivered (the ledger's cursor is past the last one). What a test or a bench
 * waits for before it clicks, however the cards are laid out.
 */
export async function openingDelivered(bot: RunningBot, incidentId: string): Promise<boolean> {
  const incident = await bot.deps.store.get(incidentId);
  if (!incident?.progress.offered) return false;
  const [timeline, record] = await Promise.all([
    bot.deps.store.readTimeline(incidentId),
    bot.ledger.read(incidentId),
  ]);
  return record.next >= timeline.length;
}
