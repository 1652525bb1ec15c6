import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openingDelivered } from '../../src/dev/opening-delivered.js';
import { blockActionsBody, type FakeMessage } from '../../src/fake-slack/index.js';
import { REVEAL_ACTION_ID } from '../../src/slack/cards/render-card-message.js';
import { TICK_ACTION_PREFIX, VERIFY_ACTION } from '../../src/slack/render/render-checklist.js';
import { ALICE, type BotHarness, incidentThread, startHarness } from '../support/bot-harness.js';
import { errorLines, payloadForm, signedPost } from './security-support.js';

/**
 * A signed click that carries no response_url — a button in a modal or App Home, or a payload Slack
 * did not send — reaches its handler without Bolt's `respond`. Every Firebreak button must then still
 * answer 200 and do its work (or refuse), quietly: the 10,000-case fuzz run once found the "show
 * every card" button throwing `respond is not a function`, logged as two error lines per click.
 */
let h: BotHarness;
let channel: string;
let incidentId: string;
let card: FakeMessage;
let p1Card: FakeMessage;

beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl'), env: { INCIDENT_APPROVERS: ALICE } });
  await h.slash('503 clicks without a response url');
  for (let waited = 0; ; waited += 50) {
    const [incident] = await h.bot.deps.store.listOpen();
    if (incident && (await openingDelivered(h.bot, incident.id))) {
      incidentId = incident.id;
      break;
    }
    if (waited > 30_000) throw new Error('the incident did not finish opening');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const found = await incidentThread(h.slack, (t) =>
    t.some((m) => m.blocks.some((b) => b.block_id === 'reveal')),
  );
  channel = found.channel.id;
  card = found.thread.find((m) => m.blocks.some((b) => b.block_id === 'reveal')) as FakeMessage;
  p1Card = found.thread.find((m) =>
    m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit'),
  ) as FakeMessage;
});
afterAll(async () => {
  await h?.stop();
});

/** The click as Slack would send it, minus its response_url. */
async function clickWithoutResponseUrl(actionId: string, value?: string, on = card): Promise<number> {
  const form = new URLSearchParams(
    blockActionsBody({
      userId: ALICE,
      channelId: channel,
      messageTs: on.ts,
      actionId,
      ...(value !== undefined ? { value } : {}),
      responseUrl: h.slack.responseUrl({ channelId: channel, messageTs: on.ts, userId: ALICE }),
      message: on,
    }),
  );
  const payload = JSON.parse(form.get('payload') as string) as Record<string, unknown>;
  delete payload.response_url;
  return (await signedPost(h, payloadForm(payload))).status;
}

it('answers every button without a response_url with 200, does its work, and logs no error', async () => {
  const answersBefore = h.slack.responses().length;
  /** The reveal, verify and tick buttons of an incident, each clicked without a response_url. */
  const clickEach = async (id: string) => [
    await clickWithoutResponseUrl(REVEAL_ACTION_ID, id),
    await clickWithoutResponseUrl(VERIFY_ACTION, JSON.stringify({ i: id })),
    await clickWithoutResponseUrl(
      `${TICK_ACTION_PREFIX}check-core-features`,
      JSON.stringify({ i: id, c: 'check-core-features' }),
    ),
  ];
  expect(await clickEach(incidentId)).toEqual([200, 200, 200]);
  expect(await clickWithoutResponseUrl('approve-p1-emergency-rate-limit', undefined, p1Card)).toBe(200);
  // …and their refusals, which answer the clicker where they can: the buttons of another incident.
  expect(await clickEach('20261201-503-zzzz')).toEqual([200, 200, 200]);
  expect(await clickWithoutResponseUrl('approve-p1-emergency-rate-limit', 'not a button value', p1Card)).toBe(
    200,
  );

  // The reveal did its work, recorded as ALICE's.
  await expect
    .poll(async () =>
      (await h.bot.deps.store.readTimeline(incidentId)).some(
        (e) => e.type === 'note' && e.text === 'asked to see every action card' && e.actor === ALICE,
      ),
    )
    .toBe(true);
  // The tick was recorded once, by ALICE: a person vouched, with no one to tell ephemerally.
  await expect
    .poll(async () =>
      (await h.bot.deps.store.readTimeline(incidentId)).some(
        (e) => e.type === 'checklist.ticked' && e.actor === ALICE,
      ),
    )
    .toBe(true);
  // The approval went through the same policy and ran (ALICE is the approver).
  await expect
    .poll(async () => (await h.bot.deps.store.getAction(incidentId, 'p1-emergency-rate-limit'))?.status, {
      timeout: 15_000,
    })
    .toBe('succeeded');
  expect(h.slack.responses().length).toBe(answersBefore);
  expect(errorLines(h.logs())).toEqual([]);
});
