import type { FakeChannel } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';
import {
  type Args,
  channelById,
  cursorPosition,
  encodeCursor,
  fail,
  flag,
  type Handler,
  type MethodResult,
  pageLimit,
  str,
  USER_ID,
  writeBlocker,
} from './method-helpers.js';

/** Slack's rule: lowercase letters, digits, `-` and `_`, at most 80 characters, not only punctuation. */
function validateChannelName(name: string | undefined): string | undefined {
  if (!name) return 'invalid_name_required';
  if (name.length > 80) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

const CONVERSATION_TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;
type ConversationType = (typeof CONVERSATION_TYPES)[number];

/** The type conversations.list filters on; the fake has no multi-person DMs. */
function typeOf(channel: FakeChannel): ConversationType {
  if (channel.isIm) return 'im';
  return channel.isPrivate ? 'private_channel' : 'public_channel';
}

/** What a bot token sees: every public channel, and private channels and DMs it is a member of. */
function visibleTo(ws: FakeWorkspace, channel: FakeChannel): boolean {
  return typeOf(channel) === 'public_channel' || channel.members.includes(ws.ids.botUserId);
}

/** conversations.*: channels, membership and archiving, with Slack's error codes. */
export const conversationMethods: Record<string, Handler> = {
  'conversations.create': (ws, args) => {
    const name = str(args, 'name');
    const invalid = validateChannelName(name);
    if (invalid || name === undefined) return fail(invalid ?? 'invalid_name_required');
    // Archived channels keep their name: Slack refuses to reuse it.
    if (ws.byName(name)) return fail('name_taken');
    const channel = ws.createChannel(name, {
      creator: ws.ids.botUserId,
      members: [ws.ids.botUserId],
      isPrivate: flag(args, 'is_private'),
    });
    return { ok: true, channel: ws.channelJson(channel) };
  },

  'conversations.invite': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    const users = (str(args, 'users') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) return fail('no_user');
    if (channel.isIm) return fail('method_not_supported_for_channel_type');
    const blocker = writeBlocker(ws, channel);
    if (blocker) return fail(blocker);
    const errors: Array<{ user: string; ok: false; error: string }> = [];
    for (const user of users) {
      if (!USER_ID.test(user)) errors.push({ user, ok: false, error: 'user_not_found' });
      else if (user === ws.ids.botUserId) errors.push({ user, ok: false, error: 'cant_invite_self' });
      else if (channel.members.includes(user)) errors.push({ user, ok: false, error: 'already_in_channel' });
    }
    const hard = errors.find((e) => e.error !== 'already_in_channel');
    if (hard && !flag(args, 'force')) return fail(hard.error, { errors });
    const invitable = users.filter((u) => !errors.some((e) => e.user === u));
    if (invitable.length === 0) return fail(errors[0]?.error ?? 'already_in_channel', { errors });
    channel.members.push(...new Set(invitable));
    return { ok: true, channel: ws.channelJson(channel) };
  },

  'conversations.join': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel || (channel.isPrivate && !channel.members.includes(ws.ids.botUserId))) {
      return fail('channel_not_found');
    }
    if (channel.isIm || channel.isPrivate) return fail('method_not_supported_for_channel_type');
    if (channel.archived) return fail('is_archived');
    if (channel.members.includes(ws.ids.botUserId)) {
      return {
        ok: true,
        channel: ws.channelJson(channel),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      };
    }
    channel.members.push(ws.ids.botUserId);
    return { ok: true, channel: ws.channelJson(channel) };
  },

  'conversations.info': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel || (channel.isPrivate && !channel.members.includes(ws.ids.botUserId))) {
      return fail('channel_not_found');
    }
    return { ok: true, channel: ws.channelJson(channel, flag(args, 'include_num_members')) };
  },

  'conversations.members': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    return { ok: true, members: [...channel.members], response_metadata: { next_cursor: '' } };
  },

  'conversations.archive': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    if (channel.isIm) return fail('method_not_supported_for_channel_type');
    if (channel.archived) return fail('already_archived');
    if (!channel.members.includes(ws.ids.botUserId)) return fail('not_in_channel');
    channel.archived = true;
    return { ok: true };
  },

  'conversations.list': (ws, args) => {
    const types = (str(args, 'types') || 'public_channel').split(',').map((t) => t.trim());
    if (!types.every((t) => (CONVERSATION_TYPES as readonly string[]).includes(t)))
      return fail('invalid_types');
    const limit = pageLimit(args, 100, 1000);
    if (limit === undefined) return fail('invalid_limit');
    const listed = [...ws.channels.values()].filter(
      (c) => types.includes(typeOf(c)) && visibleTo(ws, c) && !(c.archived && flag(args, 'exclude_archived')),
    );
    // Slack's cursor names the first channel of the next page (`team:C…`, base64).
    const position = cursorPosition(args, 'team');
    const start = position === undefined ? 0 : listed.findIndex((c) => c.id === position);
    if (position === 'invalid_cursor' || start < 0) return fail('invalid_cursor');
    const next = listed[start + limit];
    return {
      ok: true,
      channels: listed.slice(start, start + limit).map((c) => ws.channelJson(c, !c.isIm)),
      response_metadata: { next_cursor: next ? encodeCursor('team', next.id) : '' },
    };
  },

  'conversations.setTopic': (ws, args) => setText(ws, args, 'topic'),
  'conversations.setPurpose': (ws, args) => setText(ws, args, 'purpose'),
};

function setText(ws: FakeWorkspace, args: Args, field: 'topic' | 'purpose'): MethodResult {
  const channel = channelById(ws, args);
  const blocker = writeBlocker(ws, channel);
  if (blocker || !channel) return fail(blocker ?? 'channel_not_found');
  const value = str(args, field) ?? '';
  if (value.length > 250) return fail('too_long');
  channel[field] = value;
  return { ok: true, channel: ws.channelJson(channel) };
}
