import fc from 'fast-check';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openingDelivered } from '../../src/dev/opening-delivered.js';
import { blockActionsBody, type FakeMessage } from '../../src/fake-slack/index.js';
import {
  ALICE,
  BOB,
  type BotHarness,
  GENERAL,
  incidentThread,
  startHarness,
} from '../support/bot-harness.js';
import {
  errorLines,
  fuzzRuns,
  fuzzTimeoutMs,
  payloadForm,
  signedPost,
  startTrap,
} from './security-support.js';

/**
 * Every interactive payload shape Slack has — buttons (from the real cards, mutated), modals,
 * shortcuts, menus, events — and shapes it never sends, all signed. No case gets a 5xx or a
 * hang; none executes anything (approvals come from users who are not approvers, or are
 * malformed); no action is left queued or running, before or after a restart; the bot calls no
 * host but Slack's.
 */
let h: BotHarness;
let trap: Awaited<ReturnType<typeof startTrap>>;
let channel: string;
let cards: FakeMessage[];
const APPROVER = 'U0APPROVE1';

beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl'), env: { INCIDENT_APPROVERS: APPROVER } });
  trap = await startTrap();
  await h.slash('503 fuzzed buttons');
  // The opening is over and in Slack (its cards, however they are packed into messages).
  for (let waited = 0; ; waited += 50) {
    const [incident] = await h.bot.deps.store.listOpen();
    if (incident && (await openingDelivered(h.bot, incident.id))) break;
    if (waited > 30_000) throw new Error('the incident did not finish opening');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const found = await incidentThread(h.slack, () => true);
  channel = found.channel.id;
  cards = found.thread.filter((m) => m.blocks.some((b) => b.type === 'actions'));
  expect(cards.length).toBeGreaterThanOrEqual(1);
});
afterAll(async () => {
  await h?.stop();
  await trap?.close();
});

/** Every button on the cards, as Slack would send it back. */
const buttons = () =>
  cards.flatMap((card) =>
    card.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) =>
        (b.elements as Array<{ action_id: string; value?: string }>).map((e) => ({
          card,
          blockId: b.block_id as string,
          actionId: e.action_id,
          value: e.value ?? '',
        })),
      ),
  );

const anyJson = fc.jsonValue({ maxDepth: 3 });
const user = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(ALICE, BOB) },
    fc.constantFrom('', ' ', '\u0000', 'U0APPROVE1\u200b'),
    fc.string({ maxLength: 16 }),
  )
  .filter((id) => id !== APPROVER);

/** A real value, altered: another incident, action or attempt, or not JSON at all. */
const value = (real: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(real) },
    fc.record({ i: fc.string(), a: fc.string(), n: fc.integer() }).map((v) => JSON.stringify(v)),
    fc.integer({ min: -2, max: 1001 }).map((n) => real.replace(/"n":\d+/, `"n":${n}`)),
    fc.string({ maxLength: 300 }),
    anyJson.map((v) => JSON.stringify(v)),
  );

/** Something to do to a payload after it is built: nothing, drop a key, or put any JSON in its place. */
const mutation = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  fc.record({
    key: fc.constantFrom(
      'user',
      'actions',
      'channel',
      'container',
      'message',
      'type',
      'response_url',
      'team',
      'name',
    ),
    to: fc.option(anyJson, { nil: undefined }),
  }),
);

const blockAction = fc
  .record({
    button: fc.nat(),
    user,
    inChannel: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
    evil: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    mutate: mutation,
    extraActions: fc.oneof(
      { weight: 5, arbitrary: fc.constant([]) },
      fc.array(anyJson, { minLength: 1, maxLength: 2 }),
    ),
  })
  .chain((c) => {
    const list = buttons();
    const b = list[c.button % list.length] as (typeof list)[number];
    return value(b.value).map((v) => ({ ...c, b, v }));
  })
  .map(({ b, v, user: userId, inChannel, evil, mutate, extraActions }) => {
    const where = inChannel ? channel : GENERAL;
    const responseUrl = evil
      ? `${trap.url}/r`
      : h.slack.responseUrl({ channelId: where, messageTs: b.card.ts, userId: ALICE });
    const payload = JSON.parse(
      new URLSearchParams(
        blockActionsBody({
          userId,
          channelId: where,
          messageTs: b.card.ts,
          actionId: b.actionId,
          blockId: b.blockId,
          value: v,
          responseUrl,
          message: b.card,
        }),
      ).get('payload') as string,
    ) as Record<string, unknown>;
    if (extraActions.length > 0) payload.actions = [...(payload.actions as unknown[]), ...extraActions];
    if (mutate) {
      if (mutate.to === undefined) delete payload[mutate.key];
      else payload[mutate.key] = mutate.to;
    }
    return { body: payloadForm(payload), evil: evil && payload.response_url === responseUrl };
  });

const otherShape = fc
  .record({
    type: fc.constantFrom('view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion'),
    user: fc.oneof(fc.constant({ id: ALICE }), anyJson),
    view: fc.oneof(fc.record({ id: fc.string({ maxLength: 12 }), callback_id: fc.string() }), anyJson),
    callback_id: fc.oneof(fc.string({ maxLength: 20 }), anyJson),
    action_id: fc.string({ maxLength: 20 }),
    trigger_id: fc.string({ maxLength: 30 }),
    response_urls: fc.option(fc.constant([]), { nil: undefined }),
  })
  .map((payload) => ({ body: payloadForm(payload), evil: false }));

const eventShape = fc
  .record({
    type: fc.constantFrom('event_callback', 'app_rate_limited', 'url_verification_', ''),
    event: fc.oneof(
      fc.record({
        type: fc.constantFrom('app_mention', 'reaction_added', 'message'),
        channel: anyJson,
        item: anyJson,
      }),
      anyJson,
    ),
    event_id: fc.string({ maxLength: 12 }),
  })
  .map((payload) => ({ body: JSON.stringify(payload), evil: false, json: true }));

const junk = fc.oneof(
  fc.object({ maxDepth: 2 }).map((o) => ({ body: payloadForm(o), evil: false })),
  anyJson.map((v) => ({ body: payloadForm(JSON.stringify(v)), evil: false })),
  fc.string({ maxLength: 200 }).map((s) => ({ body: `payload=${encodeURIComponent(s)}`, evil: false })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ body: s, evil: false })),
);

const interaction = fc.oneof({ weight: 6, arbitrary: blockAction }, otherShape, eventShape, junk);

it(
  'answers every interactive payload with 200 or 400 at once, executes nothing, leaves nothing stuck',
  async () => {
    const runs = fuzzRuns();
    const statuses = new Map<number, number>();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(interaction, async (c) => {
        const reply = await signedPost(h, c.body, 'json' in c ? { contentType: 'application/json' } : {});
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        expect([200, 400]).toContain(reply.status);
        if (c.evil) expect(reply.status).toBe(400);
      }),
      { numRuns: runs },
    );
    const ms = performance.now() - started;
    console.info(
      `fuzz-interactions: ${runs} cases in ${(ms / 1000).toFixed(1)} s, statuses ${JSON.stringify([...statuses])}`,
    );

    const store = h.bot.deps.store;
    const [incident] = await store.listOpen();
    if (!incident) throw new Error('the incident is gone');
    const refusals = (await store.readTimeline(incident.id)).filter(
      (e) => e.type === 'decision.refused',
    ).length;
    console.info(`fuzz-interactions: ${refusals} refused decisions recorded in the incident's timeline`);
    const settled = async () =>
      (await store.listActions(incident.id)).every((s) => s.status === 'offered' || s.status === 'skipped');
    await expect.poll(settled, { timeout: 10_000 }).toBe(true);
    await h.restart();
    const after = h.bot.deps.store;
    expect(
      (await after.listActions(incident.id)).every((s) => s.status === 'offered' || s.status === 'skipped'),
    ).toBe(true);
    expect((await after.get(incident.id))?.status).toBe('investigating');
    expect(h.sandbox.adminCalls).toEqual([]);
    expect(trap.requests).toEqual([]);
    // Rate-limited: a handful of lines per kind of refusal, not one per malformed request.
    const lines = h.logs().split('\n');
    const warnings = lines.filter((l) => l.includes('refused a malformed signed request'));
    const loud = lines.filter((l) => /"level":(40|50|60)\b/.test(l)).length;
    console.info(`fuzz-interactions: ${warnings.length} refusal log lines, ${loud} lines at warn or above`);
    expect(warnings.length).toBeLessThan(60);
    const errors = errorLines(h.logs());
    if (errors.length > 0) console.error(errors.map((l) => l.slice(0, 1500)).join('\n'));
    expect(errors).toEqual([]);
  },
  fuzzTimeoutMs(),
);
