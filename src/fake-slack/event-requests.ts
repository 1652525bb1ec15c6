import { randomBytes } from 'node:crypto';
import { WORKSPACE } from './workspace-defaults.js';

const {
  teamId: TEAM_ID,
  appId: APP_ID,
  botUserId: BOT_USER_ID,
  verificationToken: VERIFICATION_TOKEN,
} = WORKSPACE;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An Events API event id: `Ev` and ten upper-case letters or digits, as Slack's. */
export function newEventId(): string {
  return `Ev${[...randomBytes(10)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('')}`;
}

export interface EventCallbackInput {
  /** The inner event (`reaction_added`, `app_home_opened`, `message`…): at least its `type`. */
  event: { type: string; [key: string]: unknown };
  /** @defaultValue a fresh `Ev…`; pass the same id again to model Slack re-delivering one event */
  eventId?: string;
  /** Unix seconds. @defaultValue now */
  eventTime?: number;
  teamId?: string;
  apiAppId?: string;
  /** The installation the event is delivered for: the bot user. */
  botUserId?: string;
}

/**
 * The JSON body Slack posts to the Events API request URL for one event: the `event_callback` envelope
 * with `event_id`, `event_time`, the team, the app and the `authorizations` Bolt reads. Send it with
 * `sendToBot` (add `retry` to model a re-delivery).
 */
export function eventCallbackBody(input: EventCallbackInput): string {
  const teamId = input.teamId ?? TEAM_ID;
  const eventTime = input.eventTime ?? Math.floor(Date.now() / 1000);
  const eventContext = Buffer.from(JSON.stringify({ tid: teamId, aid: input.apiAppId ?? APP_ID })).toString(
    'base64url',
  );
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: input.apiAppId ?? APP_ID,
    event: { event_ts: `${eventTime}.000100`, ...input.event },
    type: 'event_callback',
    event_id: input.eventId ?? newEventId(),
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: input.botUserId ?? BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${eventContext}`,
  });
}

/** The JSON body Slack posts once to verify a request URL; the app must echo `challenge`. */
export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' });
}
