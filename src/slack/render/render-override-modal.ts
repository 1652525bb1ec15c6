import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { clip, escapeMrkdwn } from './blocks.js';

export const OVERRIDE_CALLBACK = 'approve-anyway';
export const REASON_BLOCK = 'reason';
export const REASON_INPUT = 'reason';

/** What the modal carries through Slack: the button's value and the channel it was clicked in. */
const metadataSchema = z.strictObject({
  i: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  a: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  n: z.int().min(0).max(1000),
  c: z.string().regex(/^[A-Z0-9]{1,30}$/),
});
export type OverrideMetadata = z.infer<typeof metadataSchema>;

export function parseOverrideMetadata(raw: string): OverrideMetadata | undefined {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** "Approve anyway": the reason an approver gives to run an action whose guard failed on fresh values. */
export function renderOverrideModal(input: { title: string; metadata: OverrideMetadata }): ModalView {
  return {
    type: 'modal',
    callback_id: OVERRIDE_CALLBACK,
    private_metadata: JSON.stringify(input.metadata),
    title: { type: 'plain_text', text: 'Approve anyway' },
    submit: { type: 'plain_text', text: 'Approve anyway' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(
            `*${escapeMrkdwn(input.title)}* has a guard that failed on fresh values. It counts as your approval only with a reason, which goes in the timeline with the values.`,
            2900,
          ),
        },
      },
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: { type: 'plain_text', text: 'Why must it run anyway?' },
        element: {
          type: 'plain_text_input',
          action_id: REASON_INPUT,
          multiline: true,
          max_length: 500,
          placeholder: {
            type: 'plain_text',
            text: 'e.g. the memory probe reads the wrong host; the service is OOM-looping',
          },
        },
      },
    ],
  };
}
