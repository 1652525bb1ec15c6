import type { RespondFn } from '@slack/bolt';
import type { EphemeralAnswer } from '../render/render-decision-answer.js';

/**
 * Answers the clicker alone, through the payload's response_url. Bolt passes no `respond` when the
 * payload has none (a button in a modal or App Home, or a payload Slack did not send): then there is
 * nobody to answer, and the card and the thread still say what happened. A lost answer is not the
 * click's failure either: what the click did is recorded already.
 */
export function ephemeralReply(respond: RespondFn | undefined) {
  return async (answer: EphemeralAnswer | string): Promise<void> => {
    if (typeof respond !== 'function') return;
    const body = typeof answer === 'string' ? { text: answer } : answer;
    await respond({ response_type: 'ephemeral', replace_original: false, ...body }).catch(() => undefined);
  };
}
