import type { KnownBlock } from '@slack/types';
import { activeStatuses } from '../../incidents/incident.js';
import type { Variables } from '../../runbooks/interpolate.js';
import { context, escapeMrkdwn, type RenderedMessage } from '../render/blocks.js';
import { renderActionCard } from '../render/render-action-card.js';
import { type CardContext, MAX_BLOCKS } from './card-plan.js';

/** The button that posts the cards not shown yet. */
export const REVEAL_ACTION_ID = 'reveal-cards';

/**
 * One message holding several action cards (P1, P2, …), each as `renderActionCard` draws it, a
 * divider between them. The message holding the last card shown also lists the cards not shown yet,
 * with a button to post them now.
 */
export function renderCardMessage(
  ctx: CardContext,
  groupIds: readonly string[],
  hidden: readonly string[],
  vars: Variables,
): RenderedMessage {
  const blocks: KnownBlock[] = [];
  const texts: string[] = [];
  for (const groupId of groupIds) {
    const card = renderActionCard({ ...ctx, groupId, vars });
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...card.blocks);
    texts.push(card.text);
  }
  if (hidden.length > 0 && activeStatuses.has(ctx.incident.status)) {
    const titles = hidden.map((id) => ctx.runbook.groups.find((g) => g.id === id)?.title ?? id);
    blocks.push(
      context(
        `Not shown yet (not indicated by the diagnosis, or nothing to undo yet): ${titles.map(escapeMrkdwn).join(' · ')}`,
      ),
      {
        type: 'actions',
        block_id: 'reveal',
        elements: [
          {
            type: 'button',
            action_id: REVEAL_ACTION_ID,
            text: { type: 'plain_text', text: 'Show them now' },
            value: ctx.incident.id,
          },
        ],
      },
    );
  }
  // The packing leaves room for the worst case; should a card still outgrow it, Slack would refuse
  // the whole message, so the tail is cut instead.
  return { text: texts.join('\n'), blocks: blocks.slice(0, MAX_BLOCKS) };
}
