import { WebAPIPlatformError } from '@slack/web-api';

/**
 * Platform errors that describe the channel, not a passing fault: retrying cannot help. `is_inactive`
 * is what chat.update answers for a message in an archived channel.
 */
const CHANNEL_FACTS = new Set([
  'is_archived',
  'channel_not_found',
  'not_in_channel',
  'channel_is_archived',
  'is_inactive',
]);

export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof WebAPIPlatformError ? error.data.error : undefined;
}

export function isChannelFact(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && CHANNEL_FACTS.has(code);
}
