import { createHmac, randomBytes } from 'node:crypto';
import type { FakeMessage } from './fake-slack-types.js';
import { slackMessageJson } from './fake-workspace.js';
import { buttonsIn } from './find-button.js';

/** Workspace facts the requests carry; they match the fake Web API's defaults. */
const TEAM_ID = 'T0FBTEAM01';
const TEAM_DOMAIN = 'firebreak-test';
const APP_ID = 'A0FBAPP001';
const BOT_USER_ID = 'U0FBBOT001';
const BOT_ID = 'B0FBBOT001';
/** Slack's deprecated verification token: still sent, never to be trusted (the signature is what counts). */
const VERIFICATION_TOKEN = 'fAkEvErIfIcAtIoNtOkEn001';

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed by the signing secret, as Slack signs. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

const nowTs = () => {
  const micros = Date.now() * 1000;
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
};
const triggerId = () =>
  `${Date.now()}.${Number.parseInt(TEAM_ID.slice(3), 36)}.${randomBytes(16).toString('hex')}`;

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
    trigger_id: input.triggerId ?? triggerId(),
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
    trigger_id: triggerId(),
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

/**
 * POSTs a signed form body to the bot's `/slack/events`, as Slack does. The Content-Type is exactly
 * `application/x-www-form-urlencoded`: Bolt refuses it with a charset suffix.
 * `signWith` signs with another secret (forgery), `timestamp` (Unix seconds) replays an old request.
 */
export async function sendToBot(
  botUrl: string,
  signingSecret: string,
  body: string,
  opts: { signWith?: string; timestamp?: number } = {},
): Promise<{ status: number; body: string }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${botUrl.replace(/\/$/, '')}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(opts.signWith ?? signingSecret, timestamp, body),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
