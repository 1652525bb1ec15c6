import type {
  FakeBlock,
  FakeBookmark,
  FakeChannel,
  FakeEphemeral,
  FakeFileObject,
  FakeMessage,
  FakeMessageMetadata,
  FakeUsergroup,
  FakeViewRecord,
} from './fake-slack-types.js';

/** Ids the workspace answers with; the bot user is the one whose token the fake accepts. */
export interface WorkspaceIds {
  botUserId: string;
  botId: string;
  teamId: string;
  appId: string;
  teamDomain: string;
}

/** A file of the v2 upload flow, with the upload ticket its URL carries. */
export interface FileRecord {
  id: string;
  ticket: string;
  name: string;
  title: string;
  length: number;
  created: number;
  altTxt?: string;
  snippetType?: string;
  content?: Buffer;
  completed: boolean;
  channel?: string;
  threadTs?: string;
  messageTs?: string;
  initialComment?: string;
}

/** The fields of a new message; `bot` marks it as the bot's (bot_id, app_id). */
export interface NewMessage {
  user: string;
  text: string;
  blocks: FakeBlock[];
  ts?: string;
  bot?: boolean;
  metadata?: FakeMessageMetadata;
  files?: FakeFileObject[];
}

/** Where a message sits: a top-level message, or a reply with its parent. */
export interface MessageLocation {
  message: FakeMessage;
  parent?: FakeMessage;
}

const BOT_NAME = 'firebreak';

/** The state of one fake Slack workspace: channels, messages and what the bot did to them. */
export class FakeWorkspace {
  readonly channels = new Map<string, FakeChannel>();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly bookmarks: FakeBookmark[] = [];
  /** Channels where every user counts as a member (public channels created by the test, like #incidents). */
  readonly openChannels = new Set<string>();
  readonly files = new Map<string, FileRecord>();
  readonly usergroups = new Map<string, FakeUsergroup>();
  /** Views by id, in creation order; modal stacks by user (root first); home views by user. */
  readonly views = new Map<string, FakeViewRecord>();
  readonly modalStacks = new Map<string, string[]>();
  readonly homeViews = new Map<string, string>();
  /** Trigger ids already exchanged for a view: Slack accepts each once. */
  readonly exchangedTriggers = new Set<string>();
  /** `http://host:port` of the server, set when it listens: upload URLs point here. */
  origin = '';
  private readonly history = new Map<string, FakeMessage[]>();
  private lastMicros = 0;
  private idCounter = 0;

  constructor(readonly ids: WorkspaceIds) {}

  get botName(): string {
    return BOT_NAME;
  }

  /** Slack-style `ts` ("seconds.micros"), strictly increasing so it also identifies the message. */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const seconds = Math.floor(this.lastMicros / 1e6);
    return `${seconds}.${String(this.lastMicros % 1e6).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0${this.idCounter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  createChannel(
    name: string,
    opts: { creator: string; members: string[]; isPrivate?: boolean; isIm?: boolean },
  ): FakeChannel {
    const channel = {
      id: this.nextId(opts.isIm ? 'D' : 'C'),
      name,
      members: [...new Set(opts.members)],
      created: Math.floor(Date.now() / 1000),
      archived: false,
      isPrivate: opts.isPrivate ?? false,
      isIm: opts.isIm ?? false,
      topic: '',
      purpose: '',
      creator: opts.creator,
    };
    this.channels.set(channel.id, channel);
    this.history.set(channel.id, []);
    return channel;
  }

  byName(name: string): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => !c.isIm && c.name === name);
  }

  /** The bot's direct-message channel with `user`, opened on first use as Slack does. */
  imWith(user: string): FakeChannel {
    const existing = [...this.channels.values()].find((c) => c.isIm && c.members.includes(user));
    return (
      existing ?? this.createChannel('', { creator: user, members: [this.ids.botUserId, user], isIm: true })
    );
  }

  isMember(channel: FakeChannel, user: string): boolean {
    return (
      channel.members.includes(user) || (user !== this.ids.botUserId && this.openChannels.has(channel.id))
    );
  }

  topLevel(channelId: string): FakeMessage[] {
    return this.history.get(channelId) ?? [];
  }

  find(channelId: string, ts: string): MessageLocation | undefined {
    for (const message of this.topLevel(channelId)) {
      if (message.ts === ts) return { message };
      const reply = message.replies.find((r) => r.ts === ts);
      if (reply) return { message: reply, parent: message };
    }
    return undefined;
  }

  /** Appends a message; `parent` (a top-level message) makes it a thread reply. */
  post(channelId: string, fields: NewMessage, parent?: FakeMessage): FakeMessage {
    const message: FakeMessage = {
      type: 'message',
      ts: fields.ts ?? this.nextTs(),
      text: fields.text,
      blocks: fields.blocks,
      user: fields.user,
      team: this.ids.teamId,
      replies: [],
    };
    if (fields.metadata) message.metadata = fields.metadata;
    if (fields.files) {
      message.files = fields.files;
      message.upload = true;
    }
    if (fields.bot) {
      message.bot_id = this.ids.botId;
      message.app_id = this.ids.appId;
    }
    if (parent) {
      message.thread_ts = parent.ts;
      parent.thread_ts = parent.ts;
      parent.replies.push(message);
    } else {
      this.topLevel(channelId).push(message);
    }
    return message;
  }

  remove(channelId: string, location: MessageLocation): void {
    const list = location.parent ? location.parent.replies : this.topLevel(channelId);
    const index = list.indexOf(location.message);
    if (index >= 0) list.splice(index, 1);
  }

  /** The channel as Slack's conversations.* methods describe it. */
  channelJson(channel: FakeChannel, withMemberCount = false): Record<string, unknown> {
    if (channel.isIm) {
      const user = channel.members.find((m) => m !== this.ids.botUserId) ?? '';
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user,
        priority: 0,
      };
    }
    const textField = (value: string) => ({ value, creator: value ? channel.creator : '', last_set: 0 });
    return {
      id: channel.id,
      name: channel.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: channel.isPrivate,
      created: channel.created,
      creator: channel.creator,
      is_archived: channel.archived,
      is_general: false,
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      pending_shared: [],
      is_pending_ext_shared: false,
      is_member: channel.members.includes(this.ids.botUserId),
      last_read: '0000000000.000000',
      topic: textField(channel.topic),
      purpose: textField(channel.purpose),
      previous_names: [],
      priority: 0,
      ...(withMemberCount ? { num_members: channel.members.length } : {}),
    };
  }
}

/** A message as Slack returns it in API answers and interaction payloads (thread summary, no `replies`). */
export function slackMessageJson(message: FakeMessage): Record<string, unknown> {
  const { replies, pinned: _pinned, ...rest } = message;
  if (replies.length === 0) return { ...rest };
  const last = replies[replies.length - 1];
  const replyUsers = [...new Set(replies.map((r) => r.user))];
  return {
    ...rest,
    thread_ts: message.ts,
    reply_count: replies.length,
    reply_users_count: replyUsers.length,
    latest_reply: last?.ts,
    reply_users: replyUsers,
  };
}
