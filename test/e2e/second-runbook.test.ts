import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type BotHarness, startHarness } from '../support/bot-harness.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl'), mode: 'healthy' });
});
afterAll(async () => {
  await h?.stop();
});

it('opens /incident redis-memory from its runbook file alone, retrying a taken channel name', async () => {
  // Slack answers name_taken also for archived channels: the bot must pick another name, not give up.
  h.slack.failNext('conversations.create', { error: 'name_taken' });
  const reply = await h.slash('redis-memory used_memory at 97 %');
  expect(reply.status).toBe(200);

  const channel = await h.slack.waitFor(
    () => h.slack.channels().find((c) => c.name.startsWith('inc-')),
    15_000,
  );
  expect(channel.name).toMatch(/^inc-\d{8}-redis-memory-[a-z0-9]{4}$/);
  const creates = h.slack.callsTo('conversations.create');
  expect(creates).toHaveLength(2);
  expect(creates[0]?.ok).toBe(false);
  expect(creates[1]?.args.name).not.toBe(creates[0]?.args.name);

  const runbook = h.bot.deps.runbooks.get('redis-memory');
  expect(runbook).toBeDefined();
  // The opening is delivered once the last card message lists the cards held back (its undo steps).
  const thread = await h.slack.waitFor(() => {
    const header = h.slack.messages(channel.id)[0];
    const replies = header?.replies ?? [];
    return replies.some((m) => m.blocks.some((b) => b.block_id === 'reveal')) ? replies : undefined;
  }, 15_000);
  expect(thread.some((m) => m.text.startsWith('Diagnostic snapshot'))).toBe(true);
  const offered = thread
    .flatMap((m) => m.blocks.map((b) => b.block_id ?? ''))
    .filter((id) => id.startsWith('action-'));
  // In the runbook's order; every action of the groups offered at once is there.
  const inOrder = runbook?.actions.map((a) => `action-${a.id}`) ?? [];
  expect(offered).toEqual(inOrder.filter((id) => offered.includes(id)));
  const immediate = runbook?.groups
    .filter((g) => !g.scenario && g.offer !== 'after-recovery')
    .map((g) => g.id);
  for (const action of runbook?.actions.filter((a) => immediate?.includes(a.group)) ?? []) {
    expect(offered).toContain(`action-${action.id}`);
  }
  expect(JSON.stringify(h.slack.messages(channel.id)[0]?.blocks)).toContain(runbook?.title as string);
});
