import type { KnownBlock } from '@slack/types';
import type { CancelResult } from '../../incidents/cancel-action.js';
import type { DecisionResult } from '../../incidents/decide-action.js';
import type { PreviewResult } from '../../incidents/preview-action.js';
import { clip, escapeMrkdwn, section } from './blocks.js';
import { encodeButtonValue } from './render-action-card.js';
import { renderActor } from './render-actor.js';
import { renderRefusal } from './render-refusal.js';

/** What the clicker alone is told; `blocks` when there is something to click next ("Approve anyway…"). */
export interface EphemeralAnswer {
  text: string;
  blocks?: KnownBlock[];
}

const said = (text: string): EphemeralAnswer => ({ text });

/**
 * The answer to an Approve / Skip click, for the clicker only, or undefined when the card and the
 * thread already show everyone what happened. A guard that failed on fresh values comes with an
 * "Approve anyway…" button, which asks for the reason in a modal.
 */
export function renderDecisionAnswer(
  result: DecisionResult,
  button: { incidentId: string; actionId: string; seenAttempts: number },
): EphemeralAnswer | undefined {
  switch (result.kind) {
    case 'approved':
    case 'skipped':
      return undefined;
    case 'approval-recorded':
      return said(
        result.needsOther
          ? ':ballot_box_with_check: Your approval is recorded. It also needs someone other than the person who opened the incident.'
          : `:ballot_box_with_check: Your approval is recorded: ${result.count} of ${result.required}. It runs when someone else approves too.`,
      );
    case 'already-approved':
      return said(
        ':information_source: You already approved this; it waits for someone else’s approval. Nothing was done twice.',
      );
    case 'refused': {
      const text = `:no_entry: Not done: ${renderRefusal(result.refusal)}.`;
      if (result.refusal.code !== 'guard-failed') return said(text);
      const value = encodeButtonValue({ i: button.incidentId, a: button.actionId, n: button.seenAttempts });
      return {
        text,
        blocks: [
          section(`${text}\nIf it must run anyway, say why: the reason and these values go in the timeline.`),
          {
            type: 'actions',
            block_id: 'approve-anyway',
            elements: [
              {
                type: 'button',
                action_id: `override-${button.actionId}`,
                text: { type: 'plain_text', text: 'Approve anyway…' },
                style: 'danger',
                value,
              },
            ],
          },
        ],
      };
    }
    case 'already-decided': {
      const s = result.state;
      if (!s) return said(':information_source: This button is out of date; nothing was done.');
      const by = s.decidedBy ? ` by ${renderActor(s.decidedBy, s.decidedVia)}` : '';
      return said(
        `:information_source: Already ${s.status === 'skipped' ? 'skipped' : `approved (${s.status})`}${by}; nothing was done twice.`,
      );
    }
  }
}

/** The answer to a Cancel click. */
export function renderCancelAnswer(result: CancelResult): EphemeralAnswer | undefined {
  switch (result.kind) {
    case 'cancelled':
    case 'cancelling':
      return undefined;
    case 'already-decided':
      return said(`:information_source: Nothing to stop: it is ${result.state?.status ?? 'gone'}.`);
    case 'refused':
      return said(`:no_entry: Not cancelled: ${renderRefusal(result.refusal)}.`);
  }
}

/** The Preview button's answer: what approving would do, resolved, secrets masked. */
export function renderPreviewAnswer(result: PreviewResult): EphemeralAnswer {
  if (result.kind === 'refused') return said(`:no_entry: ${renderRefusal(result.refusal)}.`);
  const mode = result.dryRun ? ' — DRY RUN: approving it changes nothing' : '';
  const body = clip(result.text.replaceAll('```', "'''"), 2600);
  return {
    text: `Preview of ${result.title}${mode}`,
    blocks: [
      section(
        `:mag: *Preview: ${escapeMrkdwn(result.title)}*${mode}\nNothing ran; this is what approving it would do.`,
      ),
      section(`\`\`\`${escapeMrkdwn(body)}\`\`\``),
    ],
  };
}
