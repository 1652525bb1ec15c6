import { slackSignature } from '../../src/fake-slack/index.js';
import type { BotHarness } from './bot-harness.js';

export const FORM = 'application/x-www-form-urlencoded';

export interface PostOptions {
  contentType?: string;
  /** Unix seconds. @defaultValue now */
  timestamp?: number;
  /** @defaultValue the harness's signing secret */
  secret?: string;
  /** Replaces the signature header entirely (a garbled or missing one). */
  signature?: string | null;
  /** Signs a different body than the one sent (tampering in transit). */
  signedBody?: string;
}

/** POSTs `body` to the bot's /slack/events, signed as Slack signs (or as an attacker would). */
export async function signedPost(
  h: BotHarness,
  body: string | Buffer,
  options: PostOptions = {},
): Promise<{ status: number; body: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const signature =
    options.signature === undefined
      ? slackSignature(options.secret ?? h.secrets.signingSecret, timestamp, options.signedBody ?? text)
      : options.signature;
  const response = await fetch(`${h.bot.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? FORM,
      'x-slack-request-timestamp': String(timestamp),
      ...(signature === null ? {} : { 'x-slack-signature': signature }),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
