import type { FakeMessageMetadata } from './fake-slack-types.js';
import { type FakeWorkspace, slackMessageJson } from './fake-workspace.js';
import {
  type Args,
  channelById,
  channelForChat,
  fail,
  type Handler,
  isFailure,
  type MethodResult,
  messageContent,
  permalink,
  str,
  USER_ID,
  writeBlocker,
} from './method-helpers.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `metadata` as Slack checks it: JSON (web-api sends a JSON string, parsed on arrival) holding a string
 * `event_type` and an object `event_payload`. Returns undefined when absent, a failure when refused.
 */
function messageMetadata(args: Args): FakeMetadataResult {
  const raw = args.metadata;
  if (raw === undefined || raw === '') return { metadata: undefined };
  if (!isObject(raw)) return fail('invalid_metadata_format');
  if (typeof raw.event_type !== 'string' || raw.event_type === '' || !isObject(raw.event_payload))
    return fail('invalid_metadata_schema');
  return { metadata: { event_type: raw.event_type, event_payload: structuredClone(raw.event_payload) } };
}
type FakeMetadataResult = MethodResult | { metadata: FakeMessageMetadata | undefined };
const metadataFailed = (v: FakeMetadataResult): v is MethodResult => 'ok' in v;

/** chat.*: posting, threading, editing and ephemerals, with Slack's error codes. */
export const chatMethods: Record<string, Handler> = {
  'chat.postMessage': (ws, args) => {
    const channel = channelForChat(ws, args, true);
    const blocker = writeBlocker(ws, channel);
    if (blocker || !channel) return fail(blocker ?? 'channel_not_found');
    const ts = ws.nextTs();
    const content = messageContent(args, `${channel.id}/${ts}`);
    if (isFailure(content)) return content;
    const meta = messageMetadata(args);
    if (metadataFailed(meta)) return meta;
    const threadTs = str(args, 'thread_ts');
    let parent: ReturnType<FakeWorkspace['find']>;
    if (threadTs) {
      parent = ws.find(channel.id, threadTs);
      if (!parent) return fail('thread_not_found');
    }
    // A reply's ts given as thread_ts still lands in the thread of its parent.
    const root = parent?.parent ?? parent?.message;
    const message = ws.post(
      channel.id,
      {
        user: ws.ids.botUserId,
        text: str(args, 'text') ?? '',
        blocks: content.blocks ?? [],
        ts,
        bot: true,
        ...(meta.metadata ? { metadata: meta.metadata } : {}),
      },
      root,
    );
    const json = slackMessageJson(message);
    if (root) json.parent_user_id = root.user;
    return { ok: true, channel: channel.id, ts: message.ts, message: json };
  },

  'chat.update': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    const location = ws.find(channel.id, str(args, 'ts') ?? '');
    if (!location) return fail('message_not_found');
    if (channel.archived) return fail('is_inactive');
    const { message } = location;
    if (message.user !== ws.ids.botUserId) return fail('cant_update_message');
    const editTs = ws.nextTs();
    const content = messageContent(args, `${channel.id}/${editTs}`);
    if (isFailure(content)) return content;
    const meta = messageMetadata(args);
    if (metadataFailed(meta)) return meta;
    // Slack keeps the previous blocks (and metadata) when omitted; an empty blocks array removes them.
    if (content.blocks) message.blocks = content.blocks;
    if (meta.metadata) message.metadata = meta.metadata;
    const text = str(args, 'text');
    if (text !== undefined) message.text = text;
    message.edited = { user: ws.ids.botUserId, ts: editTs };
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: slackMessageJson(message),
    };
  },

  'chat.delete': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    const location = ws.find(channel.id, str(args, 'ts') ?? '');
    if (!location) return fail('message_not_found');
    if (location.message.user !== ws.ids.botUserId) return fail('cant_delete_message');
    ws.remove(channel.id, location);
    return { ok: true, channel: channel.id, ts: location.message.ts };
  },

  'chat.postEphemeral': (ws, args) => {
    const channel = channelForChat(ws, args, false);
    const blocker = writeBlocker(ws, channel);
    if (blocker || !channel) return fail(blocker ?? 'channel_not_found');
    const user = str(args, 'user') ?? '';
    if (!USER_ID.test(user)) return fail('user_not_found');
    if (!ws.isMember(channel, user)) return fail('user_not_in_channel');
    const messageTs = ws.nextTs();
    const content = messageContent(args, `${channel.id}/${messageTs}`);
    if (isFailure(content)) return content;
    const threadTs = str(args, 'thread_ts');
    ws.ephemerals.push({
      channel: channel.id,
      user,
      text: str(args, 'text') ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      message_ts: messageTs,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { ok: true, message_ts: messageTs };
  },

  'chat.getPermalink': (ws, args) => {
    const channel = channelById(ws, args);
    if (!channel) return fail('channel_not_found');
    const location = ws.find(channel.id, str(args, 'message_ts') ?? '');
    if (!location) return fail('message_not_found');
    const base = permalink(channel.id, location.message.ts);
    const thread = location.parent ? `?thread_ts=${location.parent.ts}&cid=${channel.id}` : '';
    return { ok: true, channel: channel.id, permalink: base + thread };
  },
};
