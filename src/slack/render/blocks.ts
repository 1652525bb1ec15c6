import type { KnownBlock } from '@slack/types';

/** Slack cuts section text at 3,000 characters: keep every rendered text well inside that. */
export function clip(text: string, max = 2800): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text) } };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 1900) }] };
}

/** `<!date^…>` renders in each reader's own time zone, with the date, so incidents crossing midnight read right. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time_secs}|${iso}>`;
}

/** A rendered message: `text` is the notification and screen-reader fallback for the blocks. */
export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}
