/**
 * Shapes shared by the fake Slack Web API, the request builders and the transcript renderer.
 * Field names follow Slack's wire format (snake_case) wherever the value mirrors something Slack sends.
 */

/** A Block Kit block as the bot sent it: the fake stores whatever JSON arrived, so it stays loose. */
export interface FakeBlock {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

/** A message as Slack stores it, plus its thread replies (top-level messages only have replies). */
export interface FakeMessage {
  type: 'message';
  ts: string;
  text: string;
  blocks: FakeBlock[];
  user: string;
  team: string;
  bot_id?: string;
  app_id?: string;
  thread_ts?: string;
  edited?: { user: string; ts: string };
  pinned?: boolean;
  replies: FakeMessage[];
}

export interface FakeChannel {
  id: string;
  name: string;
  members: string[];
  /** Unix seconds, as Slack reports `created`. */
  created: number;
  archived: boolean;
  /** Who created it: the bot for conversations.create, a workspace admin for addChannel(). */
  creator: string;
  isPrivate: boolean;
  /** Direct-message channels (`D…`) exist when the bot posts to a user id. */
  isIm: boolean;
  topic: string;
  purpose: string;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: FakeBlock[];
  message_ts: string;
  thread_ts?: string;
}

export interface FakeBookmark {
  id: string;
  channel_id: string;
  title: string;
  type: string;
  link?: string;
  emoji?: string;
  date_created: number;
}

/** One Web API request the fake answered. */
export interface SlackCall {
  method: string;
  /** Form or JSON arguments; JSON-in-a-form-field values (`blocks`, `attachments`, `metadata`) parsed. */
  args: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  at: number;
  ok: boolean;
  error?: string;
  /** HTTP status the fake answered with (200 unless a failure was injected). */
  status: number;
}

/**
 * An injected failure: a Slack platform error (`200 {ok:false,error}`), a rate limit (`429` with
 * `Retry-After: <seconds>`) or a bare HTTP status (5xx), which web-api surfaces as three different errors.
 */
export type FakeFailure = { error: string } | { rateLimited: number } | { status: number };

/** What the bot posted to a `response_url`. */
export interface FakeResponse {
  url: string;
  body: unknown;
}

/** Where a response_url points, so the fake can apply `in_channel` / `replace_original` like Slack. */
export interface ResponseUrlContext {
  channelId: string;
  /** The message a button was clicked on: `replace_original` / `delete_original` act on it. */
  messageTs?: string;
  /** The user who typed the command or clicked: ephemeral responses are shown to them. */
  userId?: string;
}

export interface FakeSlackOptions {
  /** The only token the fake accepts (`Authorization: Bearer` or a `token` form field). */
  botToken: string;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (a free port) */
  port?: number;
  /** @defaultValue 'U0FBBOT001' */
  botUserId?: string;
  /** @defaultValue 'T0FBTEAM01' */
  teamId?: string;
}

export interface FakeSlack {
  /** Starts listening; returns the base URL to give WebClient as `slackApiUrl` (ends in `/api/`). */
  start(): Promise<string>;
  /** Closes the server and every open socket. */
  stop(): Promise<void>;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly calls: readonly SlackCall[];
  callsTo(method: string): SlackCall[];
  channels(): FakeChannel[];
  channelByName(name: string): FakeChannel | undefined;
  /** Top-level messages in posting order, each with its replies; copies, safe to keep. */
  messages(channelId: string): FakeMessage[];
  /** The replies under `ts` (the parent excluded), in order. */
  thread(channelId: string, ts: string): FakeMessage[];
  ephemerals(): FakeEphemeral[];
  bookmarks(channelId: string): FakeBookmark[];
  /** The next `times` (default 1) calls to `method` fail with `failure` instead of running. */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /**
   * A response_url for a slash command or interaction. With a context, what the bot posts there acts like
   * Slack: `in_channel` posts, `replace_original` / `delete_original` edit the clicked message, otherwise
   * an ephemeral for the user. Like Slack's, each URL accepts 5 posts, then answers 404 `used_url`.
   */
  responseUrl(context?: ResponseUrlContext): string;
  responses(): FakeResponse[];
  /** Resolves with the first truthy `predicate()` result, polling; rejects after `timeoutMs` (5000). */
  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs?: number): Promise<T>;
  /**
   * Creates a pre-existing public channel (e.g. the announce channel) and returns its id. The bot is in it
   * unless `botIsMember: false`; without `members`, every user counts as a member (for ephemerals).
   */
  addChannel(name: string, options?: { members?: string[]; botIsMember?: boolean }): string;
  /** Posts a message as a human (not through the Web API), e.g. chatter in the incident channel. */
  postAsUser(channelId: string, userId: string, text: string, threadTs?: string): string;
}
