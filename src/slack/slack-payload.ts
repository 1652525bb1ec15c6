import { z } from 'zod';
import { isResponseUrlAllowed } from './response-url-hosts.js';

// Slack's ids and names are short; a field of megabytes is not Slack's.
const id = z.string().max(255);
const text = z.string().max(40_000);
const object = z.looseObject({});

/** An Events API envelope: Bolt reads `event.type`, `event.channel` (string or `{id}`), `event.item`. */
const eventCallback = z.looseObject({
  event: z.looseObject({
    type: id,
    channel: z.union([id, z.looseObject({ id })]).optional(),
    channel_id: id.optional(),
    item: object.optional(),
  }),
});

/** A slash command: form fields, each one string (a repeated field would arrive as an array). */
const slashCommand = z.looseObject({
  command: id,
  text,
  user_id: id,
  channel_id: id,
  team_id: id.optional(),
  trigger_id: id.optional(),
  // Slack sends one with every command; the answers after the ack go there.
  response_url: z.string(),
});

const user = z.looseObject({ id });

/** Block Kit buttons and menus: every action an object naming its action_id, as Bolt's matchers read. */
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  actions: z
    .array(
      z.looseObject({
        action_id: id,
        block_id: id.optional(),
        type: id.optional(),
        value: z.string().max(2000).optional(),
      }),
    )
    .min(1)
    .max(25),
  channel: z.looseObject({ id }).optional(),
  container: z.looseObject({ channel_id: id.optional(), message_ts: id.optional() }).optional(),
  message: object.optional(),
});

const otherInteractions = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('view_submission'), user, view: z.looseObject({ id }) }),
  z.looseObject({ type: z.literal('view_closed'), user, view: z.looseObject({ id }) }),
  z.looseObject({ type: z.literal('shortcut'), user, callback_id: id }),
  z.looseObject({ type: z.literal('message_action'), user, callback_id: id }),
  z.looseObject({ type: z.literal('block_suggestion'), user, action_id: id }),
]);

export type PayloadCheck = { ok: true } | { ok: false; reason: string };

/** Where an answer would go: every response_url a payload carries. */
function responseUrlsOf(body: Record<string, unknown>): unknown[] {
  const urls: unknown[] = [];
  if ('response_url' in body) urls.push(body.response_url);
  if ('response_urls' in body) {
    const list = body.response_urls;
    if (!Array.isArray(list)) return [list];
    for (const entry of list) urls.push((entry as { response_url?: unknown } | null)?.response_url);
  }
  return urls;
}

/**
 * Whether a signed body is one of the shapes Slack sends, complete enough for Bolt to route and for
 * Firebreak's listeners to read, and whether every response_url in it points at Slack (`hosts`).
 * Anything else is refused before Bolt sees it: Bolt's routing throws on some odd shapes, answers
 * no listener after 3 s on others, and would post to whatever response_url a payload names.
 */
export function checkSlackPayload(body: Record<string, unknown>, hosts: readonly string[]): PayloadCheck {
  for (const url of responseUrlsOf(body)) {
    if (!isResponseUrlAllowed(url, hosts)) return { ok: false, reason: 'response_url is not a Slack host' };
  }
  // In the order Bolt routes them (helpers.getTypeAndConversation): the first key present decides.
  const [schema, what] =
    body.event !== undefined
      ? [eventCallback, 'event']
      : body.command !== undefined
        ? [slashCommand, 'slash command']
        : body.type === 'block_actions'
          ? [blockActions, 'block action']
          : [otherInteractions, 'interaction'];
  if (body.name !== undefined && what !== 'event' && what !== 'slash command') {
    // Bolt routes any body with a top-level `name` as an options request, which Firebreak never sends.
    return { ok: false, reason: 'unexpected options request' };
  }
  if (what === 'interaction' && body.actions !== undefined)
    return { ok: false, reason: 'unknown action payload' };
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, reason: `malformed ${what}` };
  return { ok: true };
}
