import type { FakeMessage } from './fake-slack-types.js';
import { type FakeWorkspace, slackMessageJson } from './fake-workspace.js';
import { channelById, fail, type Handler, permalink, str, writeBlocker } from './method-helpers.js';

/** Emoji names as Slack takes them: no colons, lowercase letters, digits and `_ + ' -`. */
const EMOJI = /^[a-z0-9_+'-]+$/;

/** Records `user`'s `:name:` on the message; false when that user already has it. */
function react(message: FakeMessage, user: string, name: string): boolean {
  message.reactions ??= [];
  const existing = message.reactions.find((r) => r.name === name);
  if (existing?.users.includes(user)) return false;
  if (existing) {
    existing.users.push(user);
    existing.count += 1;
  } else {
    message.reactions.push({ name, users: [user], count: 1 });
  }
  return true;
}

/** A human's reaction, recorded, and the `reaction_added` event Slack sends the app for it. */
export function addReaction(
  ws: FakeWorkspace,
  channelId: string,
  ts: string,
  userId: string,
  name: string,
): Record<string, unknown> {
  if (!EMOJI.test(name)) throw new Error(`addReaction: "${name}" is not an emoji name (no colons: "eyes")`);
  const location = ws.channels.has(channelId) ? ws.find(channelId, ts) : undefined;
  if (!location) throw new Error(`addReaction: no message ${ts} in ${channelId}`);
  if (!react(location.message, userId, name))
    throw new Error(`addReaction: ${userId} already reacted :${name}: to ${ts}`);
  return {
    type: 'reaction_added',
    user: userId,
    reaction: name,
    item: { type: 'message', channel: channelId, ts: location.message.ts },
    item_user: location.message.user,
    event_ts: ws.nextTs(),
  };
}

/** reactions.get and reactions.add on messages, with Slack's error codes. */
export const reactionMethods: Record<string, Handler> = {
  'reactions.get': (ws, args) => {
    const ts = str(args, 'timestamp');
    if (!ts) return fail('no_item_specified');
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    const location = ws.find(channel.id, ts);
    if (!location) return fail('message_not_found');
    return {
      ok: true,
      type: 'message',
      channel: channel.id,
      message: {
        ...slackMessageJson(location.message),
        permalink: permalink(channel.id, location.message.ts),
      },
    };
  },

  'reactions.add': (ws, args) => {
    const ts = str(args, 'timestamp');
    if (!ts) return fail('no_item_specified');
    const channel = channelById(ws, args);
    const blocker = writeBlocker(ws, channel);
    if (blocker || !channel) return fail(blocker ?? 'channel_not_found');
    const name = str(args, 'name') ?? '';
    if (!EMOJI.test(name)) return fail('invalid_name');
    const location = ws.find(channel.id, ts);
    if (!location) return fail('message_not_found');
    if (!react(location.message, ws.ids.botUserId, name)) return fail('already_reacted');
    return { ok: true };
  },
};
