import { createHmac } from 'node:crypto';
import type { FakeMessage, FakeViewJson } from './fake-slack-types.js';
import { slackMessageJson } from './fake-workspace.js';
import { buttonsIn } from './find-button.js';
import { issueTriggerId } from './trigger-ids.js';
import { WORKSPACE } from './workspace-defaults.js';

const {
  teamId: TEAM_ID,
  teamDomain: TEAM_DOMAIN,
  appId: APP_ID,
  botUserId: BOT_USER_ID,
  botId: BOT_ID,
  verificationToken: VERIFICATION_TOKEN,
} = WORKSPACE;

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed by the signing secret, as Slack signs. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

const nowTs = () => {
  const micros = Date.now() * 1000;
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
};

export interface SlashCommandInput {
  /** @defaultValue '/incident' */
  command?: string;
  text: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  teamId?: string;
  responseUrl: string;
  /** @defaultValue a fresh trigger the fake's `views.open` accepts for 3 s (see `issueTriggerId`) */
  triggerId?: string;
}

/** The form body Slack posts for a slash command, every field in Slack's order. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: input.teamId ?? TEAM_ID,
    team_domain: TEAM_DOMAIN,
    channel_id: input.channelId,
    channel_name: input.channelName ?? input.channelId.toLowerCase(),
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command ?? '/incident',
    text: input.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? issueTriggerId(input.userId),
  }).toString();
}

export interface BlockActionInput {
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  teamId?: string;
  messageTs: string;
  /** Set when the clicked message is a thread reply: Slack puts it in `container.thread_ts`. */
  threadTs?: string;
  actionId: string;
  /** @defaultValue the block holding the button in `message`, else 'actions' */
  blockId?: string;
  value?: string;
  responseUrl: string;
  /** The message as posted (a FakeMessage or Slack's JSON); the payload carries it as Slack does. */
  message?: unknown;
  /** @defaultValue a fresh trigger the fake's `views.open` accepts for 3 s (see `issueTriggerId`) */
  triggerId?: string;
}

function messageJson(input: BlockActionInput): Record<string, unknown> {
  const m = input.message;
  if (typeof m === 'object' && m !== null && Array.isArray((m as FakeMessage).replies)) {
    return slackMessageJson(m as FakeMessage);
  }
  if (typeof m === 'object' && m !== null) return { ...(m as Record<string, unknown>) };
  return {
    user: BOT_USER_ID,
    type: 'message',
    ts: input.messageTs,
    bot_id: BOT_ID,
    app_id: APP_ID,
    text: '',
    team: input.teamId ?? TEAM_ID,
    blocks: [],
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
  };
}

/** The form body (`payload=<json>`) Slack posts when a user clicks a button in a channel message. */
export function blockActionsBody(input: BlockActionInput): string {
  const teamId = input.teamId ?? TEAM_ID;
  const message = messageJson(input);
  const blocks = Array.isArray(message.blocks) ? (message.blocks as FakeMessage['blocks']) : [];
  const rendered = buttonsIn(blocks).find(
    (b) => b.action_id === input.actionId && (input.blockId === undefined || b.block_id === input.blockId),
  );
  const value = input.value ?? rendered?.value;
  // A reply's thread is its parent: Slack names it in the container so the app can answer in the thread.
  const replyOf =
    typeof message.thread_ts === 'string' && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  const threadTs = input.threadTs ?? replyOf;
  const action = {
    action_id: input.actionId,
    block_id: input.blockId ?? rendered?.block_id ?? 'actions',
    text: { type: 'plain_text', text: rendered?.text ?? input.actionId, emoji: true },
    ...(value !== undefined ? { value } : {}),
    ...(rendered?.style ? { style: rendered.style } : {}),
    type: 'button',
    action_ts: nowTs(),
  };
  const userName = input.userName ?? input.userId.toLowerCase();
  const payload = {
    type: 'block_actions',
    user: { id: input.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channelId,
      is_ephemeral: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    trigger_id: input.triggerId ?? issueTriggerId(input.userId),
    team: { id: teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: input.channelName ?? input.channelId.toLowerCase() },
    message,
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [action],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface ViewSubmissionInput {
  userId: string;
  userName?: string;
  teamId?: string;
  /** The view as the fake holds it (`fake.openViews(user)`, `fake.views()[i].view`). */
  view: FakeViewJson;
  /** What the user entered: `{ [block_id]: { [action_id]: { type, value | selected_option | … } } }`. */
  values?: Record<string, Record<string, Record<string, unknown>>>;
  /** @defaultValue a fresh trigger (a submission can push a view with it) */
  triggerId?: string;
}

/** The form body (`payload=<json>`) Slack posts when a user submits a modal. */
export function viewSubmissionBody(input: ViewSubmissionInput): string {
  const teamId = input.teamId ?? TEAM_ID;
  const userName = input.userName ?? input.userId.toLowerCase();
  const payload = {
    type: 'view_submission',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: { id: input.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? issueTriggerId(input.userId),
    view: { ...structuredClone(input.view), state: { values: structuredClone(input.values ?? {}) } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Why Slack re-delivers an event (`X-Slack-Retry-Reason`). */
export type SlackRetryReason =
  | 'http_timeout'
  | 'too_many_requests'
  | 'http_error'
  | 'unknown_error'
  | 'ssl_error';

export interface SendOptions {
  /** Signs with another secret (a forgery). */
  signWith?: string;
  /** Unix seconds of `X-Slack-Request-Timestamp`: an old one replays a stale request. */
  timestamp?: number;
  /** Marks a re-delivery as Slack does: `X-Slack-Retry-Num` (1, 2, 3) and `X-Slack-Retry-Reason`. */
  retry?: { num: number; reason: SlackRetryReason };
}

/**
 * POSTs a signed body to the bot's `/slack/events`, as Slack does: Events API bodies (JSON, from
 * `eventCallbackBody`) as `application/json`, slash commands and interactivity as exactly
 * `application/x-www-form-urlencoded` (Bolt refuses a charset suffix).
 */
export async function sendToBot(
  botUrl: string,
  signingSecret: string,
  body: string,
  opts: SendOptions = {},
): Promise<{ status: number; body: string }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  // A form body never starts with `{` (it would be `%7B`), so the first character tells the two apart.
  const json = body.trimStart().startsWith('{');
  const response = await fetch(`${botUrl.replace(/\/$/, '')}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(opts.signWith ?? signingSecret, timestamp, body),
      ...(opts.retry
        ? { 'X-Slack-Retry-Num': String(opts.retry.num), 'X-Slack-Retry-Reason': opts.retry.reason }
        : {}),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
