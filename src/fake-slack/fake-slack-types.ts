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

/**
 * Message metadata as `chat.postMessage` / `chat.update` take it and `conversations.history` /
 * `conversations.replies` return it (only with `include_all_metadata: true`).
 */
export interface FakeMessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** One emoji on a message, as `reactions.get` and message JSON carry it. */
export interface FakeReaction {
  name: string;
  users: string[];
  count: number;
}

/** A file as Slack describes it inside a message's `files` and in `files.info` (the fields apps read). */
export interface FakeFileObject {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
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
  metadata?: FakeMessageMetadata;
  /** Files shared with the message by `files.completeUploadExternal`. */
  files?: FakeFileObject[];
  /** Slack marks the message that shares a fresh upload with `upload: true`. */
  upload?: boolean;
  reactions?: FakeReaction[];
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
  /** Whether the method succeeded: with a lost answer it did, though the client never heard it. */
  ok: boolean;
  error?: string;
  /** HTTP status the fake answered with (200 unless a failure was injected; 0 when it dropped the connection). */
  status: number;
  /** Set when the call was performed but its answer was lost on purpose (`loseAnswerNext`). */
  lost?: LostAnswer['mode'];
}

/**
 * An injected failure: a Slack platform error (`200 {ok:false,error}`), a rate limit (`429` with
 * `Retry-After: <seconds>`) or a bare HTTP status (5xx), which web-api surfaces as three different errors.
 */
export type FakeFailure = { error: string } | { rateLimited: number } | { status: number };

/**
 * How the answer to a call that the fake DID perform gets lost, the way a network or Slack's edge loses it:
 * - `drop`: the connection is closed without an answer (web-api: `WebAPIRequestError`);
 * - `status`: an HTTP error status (500, 502, 503…) is sent instead of the result (`WebAPIHTTPError`);
 * - `delay`: the real answer is sent only after `delayMs`, past a client `timeout` (`WebAPIRequestError`).
 */
export type LostAnswer =
  | { mode: 'drop' }
  | { mode: 'status'; status: number }
  | { mode: 'delay'; delayMs: number };

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

/** A file of the v2 upload flow, as a test reads it back (`FakeSlack.files()`). */
export interface FakeFile {
  /** `F…`, from `files.getUploadURLExternal`. */
  id: string;
  /** The `filename` given to `files.getUploadURLExternal`. */
  name: string;
  /** The title given to `files.completeUploadExternal`, else the name. */
  title: string;
  /** The `length` declared to `files.getUploadURLExternal`. */
  length: number;
  /** `awaiting_upload` until bytes reach the upload URL, `uploaded` until completed, then `completed`. */
  state: 'awaiting_upload' | 'uploaded' | 'completed';
  /** The bytes as posted to the upload URL (absent until then). */
  content?: Buffer;
  /** `content` decoded as UTF-8, for text files. */
  text?: string;
  /** Where it was shared; absent for a completed but private file (no `channel_id`). */
  channel?: string;
  thread_ts?: string;
  /** The `ts` of the message that shared it. */
  message_ts?: string;
  initial_comment?: string;
  alt_txt?: string;
  snippet_type?: string;
}

/** A user group (`S…`) made with `addUsergroup`. */
export interface FakeUsergroup {
  id: string;
  handle: string;
  name: string;
  description: string;
  users: string[];
  /** Disabled groups are listed only with `include_disabled`. */
  disabled: boolean;
  /** Unix seconds. */
  created: number;
}

/** A view as Slack returns it from `views.*` and sends it in `view_submission` payloads. */
export interface FakeViewJson {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  blocks: FakeBlock[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, Record<string, unknown>>> };
  hash: string;
  title?: { type: 'plain_text'; text: string; emoji?: boolean };
  close: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  submit: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

/** A view the bot opened, pushed or published, with what the fake knows about where it is shown. */
export interface FakeViewRecord {
  /** The user who sees it (the trigger's user, or `user_id` for `views.publish`). */
  userId: string;
  /** Modals: open until a submission answer or `views.open` closes it. Home views: always true. */
  open: boolean;
  view: FakeViewJson;
  /** The field errors of the last `response_action: 'errors'` answer, by block_id. */
  errors?: Record<string, string>;
}

/**
 * The bot's answer to a `view_submission`, as Slack reads the HTTP reply: `none` is an empty ack (Slack
 * closes the submitted view); the others are Slack's `response_action`s.
 */
export type ViewSubmissionAnswer =
  | { response_action: 'none' }
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: Record<string, unknown> }
  | { response_action: 'push'; view: Record<string, unknown> }
  | { response_action: 'clear' };

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
   * Every call to `method` (`'*'`: to every Web API method) fails with `failure` instead of running, from now
   * for `durationMs` — an outage or a rate-limit window. `failNext` failures are used up first.
   */
  failFor(method: string, failure: FakeFailure, durationMs: number): void;
  /**
   * The next `times` (default 1) calls to `method` are PERFORMED (a message is posted, a channel created) and
   * then their answer is lost as `loss` says — the case where a retry must not do the work twice.
   */
  loseAnswerNext(method: string, loss: LostAnswer & { times?: number }): void;
  /** Forgets every pending `failNext`, `failFor` and `loseAnswerNext`. */
  clearFaults(): void;
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
  /**
   * A human adds `:name:` to the message `ts`: recorded on the message (seen by `reactions.get` and history)
   * and returned as the `reaction_added` event Slack would send; wrap it with `eventCallbackBody`.
   */
  addReaction(channelId: string, ts: string, userId: string, name: string): Record<string, unknown>;
  /** Every file of the v2 upload flow, in the order `files.getUploadURLExternal` created them. */
  files(): FakeFile[];
  /**
   * Creates an enabled (unless `disabled`) user group and returns its `S…` id; `id` fixes it, for a bot
   * configured with the id before the group exists (INCIDENT_APPROVER_GROUPS).
   */
  addUsergroup(
    handle: string,
    userIds: string[],
    options?: { name?: string; description?: string; disabled?: boolean; id?: string },
  ): string;
  /** Every view the bot opened, pushed or published, oldest first. */
  views(): FakeViewRecord[];
  /** The user's open modal stack, root first (empty when none is open). */
  openViews(userId: string): FakeViewJson[];
  /** The App Home view last published for the user. */
  homeView(userId: string): FakeViewJson | undefined;
  /**
   * Reads the bot's reply to a `view_submission` for `viewId` (what `sendToBot` returned) and applies it as
   * Slack would: an empty ack closes the view, `update` replaces it, `push` stacks a new one, `clear` closes
   * the stack, `errors` keeps it open with the errors recorded. Throws, saying why, where Slack would show
   * the user an error instead (non-200 reply, unknown action, invalid view).
   */
  applyViewSubmissionAnswer(viewId: string, reply: { status: number; body: string }): ViewSubmissionAnswer;
  /** The `app_home_opened` event Slack sends when the user opens the app's Home tab (with the published view). */
  appHomeOpenedEvent(userId: string): Record<string, unknown>;
}
