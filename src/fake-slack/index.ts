/** Slack's stand-in at its HTTP boundary: a fake Web API, signed requests into the bot, readable transcripts. */
export {
  type EventCallbackInput,
  eventCallbackBody,
  newEventId,
  urlVerificationBody,
} from './event-requests.js';
export { createFakeSlack } from './fake-slack-server.js';
export type * from './fake-slack-types.js';
export { type ButtonView, buttonsIn, type FoundButton, findButton } from './find-button.js';
export { mrkdwnToText, type RenderOptions, renderBlocks } from './render-blocks.js';
export { renderMessage, renderTranscript, type TranscriptOptions } from './render-transcript.js';
export {
  type BlockActionInput,
  blockActionsBody,
  type SendOptions,
  type SlackRetryReason,
  type SlashCommandInput,
  sendToBot,
  slackSignature,
  slashCommandBody,
  type ViewSubmissionInput,
  viewSubmissionBody,
} from './slack-requests.js';
export { issueTriggerId, readTriggerId, TRIGGER_LIFETIME_MS } from './trigger-ids.js';
export { parseViewSubmissionAnswer } from './view-submission.js';
