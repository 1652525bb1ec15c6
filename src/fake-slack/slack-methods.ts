import { chatMethods } from './chat-methods.js';
import { conversationMethods } from './conversation-methods.js';
import type { FakeWorkspace } from './fake-workspace.js';
import { filesMethods } from './files-methods.js';
import { historyMethods } from './history-methods.js';
import {
  type Args,
  channelById,
  fail,
  type Handler,
  type MethodResult,
  str,
  USER_ID,
} from './method-helpers.js';
import { reactionMethods } from './reaction-methods.js';
import { usergroupMethods } from './usergroup-methods.js';
import { viewMethods } from './view-methods.js';

export type { MethodResult } from './method-helpers.js';

const handlers: Record<string, Handler> = {
  ...conversationMethods,
  ...historyMethods,
  ...chatMethods,
  ...filesMethods,
  ...reactionMethods,
  ...usergroupMethods,
  ...viewMethods,
  'auth.test': (ws) => ({
    ok: true,
    url: `https://${ws.ids.teamDomain}.slack.com/`,
    team: 'Firebreak Test',
    user: ws.botName,
    team_id: ws.ids.teamId,
    user_id: ws.ids.botUserId,
    bot_id: ws.ids.botId,
    is_enterprise_install: false,
  }),

  'users.info': (ws, args) => {
    const id = str(args, 'user') ?? '';
    if (!USER_ID.test(id)) return fail('user_not_found');
    const isBot = id === ws.ids.botUserId;
    const name = isBot ? ws.botName : id.toLowerCase();
    const realName = isBot ? 'Firebreak' : `User ${id}`;
    return {
      ok: true,
      user: {
        id,
        team_id: ws.ids.teamId,
        name,
        deleted: false,
        real_name: realName,
        tz: 'Etc/UTC',
        tz_offset: 0,
        is_bot: isBot,
        is_app_user: false,
        profile: { real_name: realName, display_name: name, ...(isBot ? { bot_id: ws.ids.botId } : {}) },
      },
    };
  },

  'pins.add': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    const ts = str(args, 'timestamp');
    if (!ts) return fail('no_item_specified');
    const location = ws.find(channel.id, ts);
    if (!location) return fail('message_not_found');
    if (location.message.pinned) return fail('already_pinned');
    location.message.pinned = true;
    return { ok: true };
  },

  'bookmarks.add': (ws, args) => {
    const channel = channelById(ws, args, 'channel_id');
    if (!channel) return fail('channel_not_found');
    if (channel.archived) return fail('is_archived');
    const title = str(args, 'title');
    const type = str(args, 'type');
    if (!title || !type) return fail('invalid_arguments');
    if (type !== 'link') return fail('invalid_bookmark_type');
    const link = str(args, 'link');
    if (!link) return fail('invalid_link');
    const emoji = str(args, 'emoji');
    const bookmark = {
      id: ws.nextId('Bk'),
      channel_id: channel.id,
      title,
      type,
      link,
      ...(emoji ? { emoji } : {}),
      date_created: Math.floor(Date.now() / 1000),
    };
    ws.bookmarks.push(bookmark);
    return {
      ok: true,
      bookmark: {
        ...bookmark,
        emoji: emoji ?? null,
        icon_url: null,
        entity_id: null,
        date_updated: 0,
        rank: 'U',
        last_updated_by_user_id: ws.ids.botUserId,
        last_updated_by_team_id: ws.ids.teamId,
        shortcut_id: null,
        app_id: ws.ids.appId,
      },
    };
  },
};

/** Runs one Web API method against the workspace; unknown methods answer `unknown_method` as Slack does. */
export function callMethod(ws: FakeWorkspace, method: string, args: Args): MethodResult {
  const handler = handlers[method];
  return handler ? handler(ws, args) : fail('unknown_method');
}
