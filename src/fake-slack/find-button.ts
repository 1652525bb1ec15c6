import type { FakeBlock } from './fake-slack-types.js';

/** A button as rendered in a message, seen the way a predicate wants to pick it. */
export interface ButtonView {
  block_id: string;
  action_id: string;
  value?: string;
  text: string;
  style?: string;
}

/** The ids a click on that button carries; spreads straight into `blockActionsBody({ ... })`. */
export interface FoundButton {
  blockId: string;
  actionId: string;
  value?: string;
  /** The label, useful in assertion messages. */
  label: string;
  style?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

function buttonView(blockId: string, el: unknown): ButtonView | undefined {
  if (!isObj(el) || el.type !== 'button' || typeof el.action_id !== 'string') return undefined;
  const text = isObj(el.text) && typeof el.text.text === 'string' ? el.text.text : '';
  return {
    block_id: blockId,
    action_id: el.action_id,
    text,
    ...(typeof el.value === 'string' ? { value: el.value } : {}),
    ...(typeof el.style === 'string' ? { style: el.style } : {}),
  };
}

/** Every button in the blocks: elements of actions blocks and section accessories, in display order. */
export function buttonsIn(blocks: readonly FakeBlock[]): ButtonView[] {
  const found: ButtonView[] = [];
  for (const block of blocks) {
    const blockId = block.block_id ?? '';
    const candidates =
      block.type === 'actions' && Array.isArray(block.elements) ? block.elements : [block.accessory];
    for (const el of candidates) {
      const view = buttonView(blockId, el);
      if (view) found.push(view);
    }
  }
  return found;
}

/**
 * Finds the button a user would click in a message the bot actually posted, so tests click what was
 * rendered rather than ids they assume.
 */
export function findButton(
  message: { blocks: readonly FakeBlock[] },
  predicate: (button: ButtonView) => boolean,
): FoundButton | undefined {
  const button = buttonsIn(message.blocks).find(predicate);
  if (!button) return undefined;
  return {
    blockId: button.block_id,
    actionId: button.action_id,
    label: button.text,
    ...(button.value !== undefined ? { value: button.value } : {}),
    ...(button.style !== undefined ? { style: button.style } : {}),
  };
}
